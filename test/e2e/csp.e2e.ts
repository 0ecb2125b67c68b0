/**
 * A strict Content Security Policy in real Chromium: the page and the iframe page served with the
 * policies docs/embedding.md gives to hosts, every scenario and variant stepped to its end on both,
 * the lazily loaded parts opened (a log entry and its JWTs, Edit and resend, the exports, Settings,
 * Share, the Embed dialog, Present), and the web component on a page of its own under the policy.
 * Not one violation: no `securitypolicyviolation` event and no console report of one.
 */
import { test as plainTest, type Page } from '@playwright/test'
import { expect, LabPage, test } from './helpers.ts'
import { eachStep, RUNS } from './runs.ts'

// Exactly the policies docs/embedding.md (“Content Security Policy and hosting”) documents.
const BASE_POLICY = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'"
const PAGE_POLICY = `${BASE_POLICY}; frame-ancestors 'none'`
const EMBED_POLICY = `${BASE_POLICY}; frame-ancestors *`

/** What a violation says: the directive, what was blocked, and where. */
interface Violation {
  directive: string
  blocked: string
  sample: string
  where: string
}

declare global {
  interface Window {
    __cspViolations?: Violation[]
  }
}

/**
 * Serves every document of the preview server with `policy` (embed.html with the embed's), and
 * `/csp-element.html`, a page with nothing but the web component; collects every violation the
 * page reports, as events and as console messages.
 */
async function underPolicy(page: Page): Promise<{ violations: () => Promise<string[]> }> {
  await page.addInitScript(() => {
    window.__cspViolations = []
    // Capture, on the document: a violation in a shadow root is composed and reaches it too.
    document.addEventListener(
      'securitypolicyviolation',
      (e) =>
        window.__cspViolations?.push({
          directive: e.effectiveDirective,
          blocked: e.blockedURI,
          sample: e.sample,
          where: `${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
        }),
      true,
    )
  })
  const reported: string[] = []
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) reported.push(`console: ${m.text()}`)
  })
  await page.route(
    (url) => url.pathname === '/csp-element.html',
    (route) =>
      route.fulfill({
        contentType: 'text/html',
        headers: { 'content-security-policy': PAGE_POLICY },
        // No inline script or style: the element's own module and the element, that's all.
        body: `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>The web component under a strict CSP</title>
<script type="module" src="./oauth-flow-lab.js"></script></head>
<body><main><h1>Web component</h1><oauth-flow-lab scenario="pkce-spa"></oauth-flow-lab></main></body></html>`,
      }),
  )
  await page.route(
    (url) => url.pathname !== '/csp-element.html',
    async (route) => {
      if (route.request().resourceType() !== 'document') return route.continue()
      const response = await route.fetch()
      const embed = new URL(route.request().url()).pathname.endsWith('/embed.html')
      await route.fulfill({
        response,
        headers: {
          ...response.headers(),
          'content-security-policy': embed ? EMBED_POLICY : PAGE_POLICY,
        },
      })
    },
  )
  return {
    violations: async () => {
      const events = await page.evaluate(() => window.__cspViolations ?? [])
      return [
        ...events.map((v) => `${v.directive} blocked ${v.blocked} (${v.sample}) at ${v.where}`),
        ...reported,
      ]
    },
  }
}

// These two expect a refusal, which the browser also logs as a console error: not `test`, which
// fails on any.
plainTest(
  'the policy is in force: inline script, inline style and data: images are refused and reported',
  async ({ page }) => {
    const csp = await underPolicy(page)
    const lab = new LabPage(page)
    await lab.open()
    const ran = await page.evaluate(() => {
      const s = document.createElement('script')
      s.textContent = 'document.body.dataset.inlineRan = "yes"'
      document.body.append(s)
      const style = document.createElement('style')
      style.textContent = 'body { outline: 3px solid red }'
      document.head.append(style)
      const div = document.createElement('div')
      div.innerHTML = '<span style="color: red">x</span>'
      document.body.append(div)
      const img = new Image()
      img.src = 'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg"/%3E'
      document.body.append(img)
      return document.body.dataset.inlineRan === 'yes'
    })
    expect(ran).toBe(false)
    for (const directive of ['script-src', 'style-src', 'img-src'])
      await expect.poll(async () => (await csp.violations()).join('\n')).toContain(directive)
  },
)

for (const where of ['the page', 'embed.html'] as const) {
  test.describe(`${where} under a strict CSP`, () => {
    for (const run of RUNS) {
      test(`${run.name}: every step, no violation`, async ({ page }) => {
        const csp = await underPolicy(page)
        const lab = new LabPage(page)
        await page.goto(where === 'the page' ? `/${run.search}` : `/embed.html${run.search}`)
        await expect(lab.root).toHaveAttribute('data-ready', 'true')
        const steps = await eachStep(lab)
        expect(steps).toBeGreaterThan(3)
        expect(await csp.violations(), `${run.name} on ${where}`).toEqual([])
      })
    }
  })
}

test('the lazily loaded parts open under the policy with no violation', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  const csp = await underPolicy(page)
  const lab = new LabPage(page)
  await lab.open()
  await lab.nextUntil('Token response')

  // A log entry, its raw messages and the JWTs it carries, decoded and checked.
  await lab.show('Log')
  const entry = lab.logEntries.filter({ hasText: /POST\s*auth\.example\/token/ }).first()
  await entry.getByRole('button', { expanded: false }).first().click()
  await expect(entry.getByText(/JWTs? in this exchange, decoded/)).toBeVisible()
  await expect(entry.getByText(/signature/i).first()).toBeVisible()

  // Edit and resend: the editor (its own chunk), and the resent request's answer.
  await entry.getByRole('button', { name: 'Edit and resend' }).click()
  const form = entry.getByRole('form', { name: 'Edit and resend' })
  await expect(form).toBeVisible()
  await form.getByRole('button', { name: 'Send' }).click()
  await lab.ready()

  // The exports (their own chunk): downloads and the Mermaid copy.
  await lab.nextToEnd()
  for (const name of ['Download HAR', 'Download JSON', 'Download SVG']) {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name, exact: true }).click(),
    ])
    expect(await file.failure()).toBeNull()
  }
  await page.getByRole('button', { name: 'Copy Mermaid' }).click()

  // Settings, Share, the Embed dialog.
  const settings = page.getByRole('button', { name: 'Settings' })
  await settings.click()
  await expect(page.getByRole('group', { name: 'Flow settings' })).toBeVisible()
  await page.keyboard.press('Escape')
  await page.getByRole('button', { name: 'Share' }).click()
  await expect(page.getByText('Link copied')).toBeVisible()
  await page.getByRole('button', { name: 'Embed' }).click()
  const dialog = page.getByRole('dialog', { name: 'Embed this step' })
  await expect(dialog).toBeVisible()
  await dialog.getByRole('button', { name: 'Copy iframe code' }).click()
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()

  // Present, and back.
  await lab.controls.getByRole('button', { name: 'Present', exact: true }).click()
  await expect(lab.root).toHaveAttribute('data-presenting', 'true')
  await page.keyboard.press('PageUp')
  await page.keyboard.press('Escape')
  await expect(lab.root).not.toHaveAttribute('data-presenting', 'true')

  expect(await csp.violations()).toEqual([])
})

test('the web component on a page under the policy: styled, and runs with no violation', async ({
  page,
}) => {
  const csp = await underPolicy(page)
  await page.goto('/csp-element.html')
  const lab = new LabPage(page)
  await expect(lab.root).toHaveAttribute('data-ready', 'true')
  // Its adopted stylesheet applies (a `<style>` would have been refused): the lab is laid out.
  expect(await lab.root.evaluate((el) => getComputedStyle(el).display)).toBe('flex')
  const sheets = await page.locator('oauth-flow-lab').evaluate((host) => ({
    adopted: host.shadowRoot?.adoptedStyleSheets.length ?? 0,
    styleElements: host.shadowRoot?.querySelectorAll('style').length ?? 0,
  }))
  expect(sheets).toEqual({ adopted: 1, styleElements: 0 })
  const steps = await eachStep(lab)
  expect(steps).toBeGreaterThan(3)
  // An embed's panes (no log by default): the Message pane loads the formatted view on demand.
  await lab.show('Message')
  const message = page.getByRole('region', { name: 'Message' })
  await expect(message.getByRole('button', { name: 'Edit and resend' })).toBeVisible()
  expect(await csp.violations()).toEqual([])
})

plainTest('embed.html may be framed, the page may not', async ({ page }) => {
  const csp = await underPolicy(page)
  const lab = new LabPage(page)
  // The page refuses to be framed (frame-ancestors 'none'); embed.html allows it.
  await page.goto('/embed.html?scenario=oidc&controls=compact')
  await expect(lab.root).toHaveAttribute('data-ready', 'true')
  const framed = await page.evaluate(async () => {
    const probe = (src: string) =>
      new Promise<boolean>((resolve) => {
        const f = document.createElement('iframe')
        f.src = src
        f.title = src
        // A refused frame gets an error page of another origin: no document to read.
        f.addEventListener('load', () =>
          resolve(Boolean(f.contentDocument?.querySelector('#root'))),
        )
        document.body.append(f)
      })
    return { embed: await probe('./embed.html'), page: await probe('./') }
  })
  expect(framed).toEqual({ embed: true, page: false })
  // The refusal of the page in a frame is the one expected report.
  const violations = await csp.violations()
  expect(violations.filter((v) => !/frame-ancestors/.test(v))).toEqual([])
})
