/**
 * Exports in real Chromium: Download HAR, Download JSON and Download SVG save real files (read back
 * and checked: HAR 1.2 with every exchange of the log, in order), Copy Mermaid really copies, and
 * without a clipboard the text is shown to copy by hand. The default flow and an attack.
 */
import { readFile } from 'node:fs/promises'
import type { Download, Page } from '@playwright/test'
import { harProblems } from '../flow/harSpec.ts'
import { expect, expectNoAxeViolations, LabPage, test } from './helpers.ts'

interface HarLike {
  log: {
    version: string
    entries: {
      request: { method: string; url: string }
      response: { status: number }
      _from: string
      _channel: string
    }[]
  }
}

async function runToEnd(lab: LabPage, search = '') {
  await lab.page.goto(`/${search}`)
  await lab.ready()
  await lab.pressEnd()
}

/** Clicks a button and returns the file it downloads, with its text. */
async function download(page: Page, name: string): Promise<{ file: Download; text: string }> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name, exact: true }).click(),
  ])
  const path = await file.path()
  return { file, text: await readFile(path, 'utf8') }
}

/** The log's lines as the page shows them: method, and host plus path (`?…` for a query). */
async function logLines(lab: LabPage): Promise<string[]> {
  await lab.show('Log')
  return lab.logEntries.evaluateAll((items) =>
    items.map(
      (li) =>
        `${li.querySelector('.ofl-httplog-method')?.textContent ?? ''} ${li.querySelector('.ofl-httplog-url')?.textContent ?? ''}`,
    ),
  )
}

/** A HAR entry's request as the log line shows it. */
function asLogLine(method: string, url: string): string {
  const u = new URL(url)
  return `${method} ${u.host}${u.pathname}${u.search ? '?…' : ''}`
}

async function checkHar(lab: LabPage, expectedName: RegExp): Promise<HarLike> {
  await lab.show('Log')
  const { file, text } = await download(lab.page, 'Download HAR')
  expect(file.suggestedFilename()).toMatch(expectedName)
  const har = JSON.parse(text) as HarLike
  expect(harProblems(har)).toEqual([])
  expect(har.log.version).toBe('1.2')
  const lines = await logLines(lab)
  expect(lines.length).toBeGreaterThan(0)
  expect(har.log.entries).toHaveLength(lines.length)
  expect(har.log.entries.map((e) => asLogLine(e.request.method, e.request.url))).toEqual(lines)
  await expect(lab.log.getByText(`Saved ${file.suggestedFilename()}`)).toBeVisible()
  return har
}

/** Parses an SVG in the page and reports what matters: well-formed, inert, sized, titled. */
async function inspectSvg(page: Page, text: string) {
  return page.evaluate((svg) => {
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml')
    const root = doc.documentElement
    return {
      errors: doc.getElementsByTagName('parsererror').length,
      root: root.localName,
      scripts: doc.getElementsByTagName('script').length,
      refs: Array.from(doc.querySelectorAll('*')).filter(
        (e) => e.hasAttribute('href') || e.hasAttribute('xlink:href'),
      ).length,
      width: root.getAttribute('width'),
      height: root.getAttribute('height'),
      viewBox: root.getAttribute('viewBox'),
      title: root.querySelector(':scope > title')?.textContent ?? '',
      texts: Array.from(doc.querySelectorAll('text'), (t) => t.textContent ?? ''),
    }
  }, text)
}

const MERMAID_LINE =
  /^ {2}(title .+|participant (Browser|Client|AS|RS|Attacker) as .+|(Browser|Client|AS|RS|Attacker)(->>|-->>|-x|--x|-\)|--\))(Browser|Client|AS|RS|Attacker): .+|Note over \w+(,\w+)?: .+)$/

function checkMermaid(text: string) {
  const lines = text.trimEnd().split('\n')
  expect(lines[0]).toBe('sequenceDiagram')
  for (const line of lines.slice(1)) {
    expect(line).toMatch(MERMAID_LINE)
    expect(line).not.toMatch(/;(?<!#\d+;)/)
  }
  return lines
}

test.describe('exports of what the learner saw', () => {
  test('the default flow: HAR, JSON and SVG downloads and the Mermaid copy are complete and well-formed', async ({
    page,
    context,
  }) => {
    const lab = new LabPage(page)
    await runToEnd(lab)
    const step = (await lab.index()) + 1
    const har = await checkHar(lab, new RegExp(`^oauth-flow-lab-confidential-step-${step}\\.har$`))
    expect(har.log.entries.every((e) => e.response.status > 0)).toBe(true)
    expect(har.log.entries.some((e) => e._channel === 'back')).toBe(true)

    const json = await download(page, 'Download JSON')
    expect(json.file.suggestedFilename()).toBe(`oauth-flow-lab-confidential-step-${step}.json`)
    const doc = JSON.parse(json.text) as {
      format: string
      step: { number: number }
      exchanges: unknown[]
    }
    expect(doc).toMatchObject({ format: 'oauth-flow-lab/exchanges', step: { number: step } })
    expect(doc.exchanges).toHaveLength(har.log.entries.length)

    const diagram = page.getByRole('region', { name: 'Sequence diagram' })
    const svg = await download(page, 'Download SVG')
    expect(svg.file.suggestedFilename()).toBe(`oauth-flow-lab-confidential-step-${step}.svg`)
    const shape = await inspectSvg(page, svg.text)
    expect(shape).toMatchObject({ errors: 0, root: 'svg', scripts: 0, refs: 0 })
    expect(shape.viewBox).toBe(`0 0 ${shape.width} ${shape.height}`)
    expect(shape.title).toMatch(/^OAuth Flow Lab: /)
    expect(shape.texts).toContain('POST /token')
    await expect(diagram.getByText(`Saved ${svg.file.suggestedFilename()}`)).toBeVisible()

    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    await diagram.getByRole('button', { name: 'Copy Mermaid' }).click()
    await expect(diagram.getByText('Mermaid copied to the clipboard')).toBeVisible()
    const mermaid = await page.evaluate(() => navigator.clipboard.readText())
    const lines = checkMermaid(mermaid)
    const rows = await diagram
      .getByRole('list', { name: 'Messages so far' })
      .getByRole('button')
      .count()
    // Every row of the page's diagram is a line (plus the attacker's moves, time and the end).
    expect(lines.filter((l) => /->>|Note over \w+: /.test(l)).length).toBe(rows)
  })

  test('a request in flight is in the HAR, waiting for its response', async ({ page }) => {
    const lab = new LabPage(page)
    await lab.open()
    await lab.nextUntil('Token request on the back channel')
    const har = await checkHar(lab, /^oauth-flow-lab-confidential-step-\d+\.har$/)
    expect(har.log.entries.at(-1)).toMatchObject({
      request: { method: 'POST', url: 'https://auth.example/token' },
      response: { status: 0 },
    })
  })

  test('an attack: the attacker’s exchanges are in the HAR and its lane in the SVG', async ({
    page,
  }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=code-interception&variant=vulnerable')
    const har = await checkHar(lab, /^oauth-flow-lab-code-interception-vulnerable-step-\d+\.har$/)
    expect(har.log.entries.filter((e) => e._from === 'attacker').length).toBeGreaterThan(0)
    const svg = await download(page, 'Download SVG')
    const shape = await inspectSvg(page, svg.text)
    expect(shape).toMatchObject({ errors: 0, scripts: 0, refs: 0 })
    expect(shape.texts).toContain('Attacker')
    expect(shape.title).toContain('(vulnerable)')
  })

  test('without a clipboard, the Mermaid text is shown to copy by hand; keyboard only; no axe violations', async ({
    page,
  }) => {
    await page.addInitScript(() => {
      Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true })
    })
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=mix-up&variant=vulnerable')
    const diagram = page.getByRole('region', { name: 'Sequence diagram' })
    const copy = diagram.getByRole('button', { name: 'Copy Mermaid' })
    await copy.focus()
    await page.keyboard.press('Enter')
    const box = diagram.getByRole('textbox', { name: 'Mermaid: select the text and copy it' })
    await expect(box).toBeVisible()
    await expect(box).toBeFocused()
    checkMermaid(await box.inputValue())
    await expect(diagram.getByText(/clipboard is not available/)).toBeVisible()
    await expectNoAxeViolations(page, 'with the Mermaid text shown to copy')
    await diagram.getByRole('button', { name: 'Close' }).press('Enter')
    await expect(box).toHaveCount(0)
    await expect(copy).toBeFocused()
  })
})
