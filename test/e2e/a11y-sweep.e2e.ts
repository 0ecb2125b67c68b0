/**
 * Accessibility at every step: each scenario and variant stepped from its first step to its last,
 * axe (WCAG 2.1 A/AA) run inside the lab at each one, in light and in dark, with reduced motion so
 * nothing is caught mid-animation; every finding listed with scenario, variant, step, rule and
 * element. Then the keyboard: Tab walks the whole page — notice, header, controls, Share, Embed,
 * Present, the panels, the exports — each stop showing a focus indicator it doesn't show unfocused,
 * none skipped and none trapping focus; and the newer controls work from the keyboard.
 */
import { createRequire } from 'node:module'
import type { Page } from '@playwright/test'
import { expect, LabPage, test } from './helpers.ts'
import { RUNS } from './runs.ts'

test.describe.configure({ mode: 'parallel' })

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

/** What one step gave: axe's findings there, and whether Next is still enabled. */
interface StepResult {
  found: string[]
  more: boolean
}

/**
 * At step `index` (0-based), in one round trip: waits for the step to be on screen and computed,
 * then for nothing to move (reduced motion leaves only short CSS transitions of colour and
 * outline), runs axe inside the lab, and says whether there is a next step.
 */
function axeAtStep(page: Page, index: number, where: string): Promise<StepResult> {
  return page.evaluate(
    async ({ index, tags, where }) => {
      const frame = () => new Promise((r) => requestAnimationFrame(r))
      const root = document.querySelector<HTMLElement>('.ofl-lab')
      const since = performance.now()
      for (let quiet = 0; quiet < 2;) {
        await frame()
        if (performance.now() - since > 15_000) throw new Error(`${where}: never settled`)
        const there = root?.dataset.stepIndex === String(index) && root.dataset.complete === 'true'
        const moving = document.getAnimations().some((a) => a.playState === 'running' || a.pending)
        quiet = there && !moving ? quiet + 1 : 0
      }
      const axe = (window as unknown as { axe: { run(ctx: unknown, o: object): Promise<unknown> } })
        .axe
      const result = (await axe.run(
        { include: ['.ofl-lab'] },
        { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] },
      )) as {
        violations: { id: string; nodes: { target: unknown[]; failureSummary?: string }[] }[]
      }
      const next = root?.querySelector<HTMLButtonElement>('.ofl-controls-next')
      return {
        found: result.violations.flatMap((v) =>
          v.nodes.map(
            (n) => `${where}: ${v.id} at ${n.target.join(' ')} — ${n.failureSummary ?? ''}`,
          ),
        ),
        more: next ? !next.disabled : false,
      }
    },
    { index, tags: AXE_TAGS, where },
  )
}

for (const theme of ['light', 'dark'] as const) {
  test.describe(`axe at every step, ${theme}`, () => {
    test.use({ colorScheme: theme, reducedMotion: 'reduce' })

    for (const run of RUNS) {
      test(`${run.name}`, async ({ page }) => {
        // Axe at each of up to 45 steps: about 15 s alone, more on a busy machine.
        test.setTimeout(180_000)
        const lab = new LabPage(page)
        await page.goto(`/${run.search}&theme=${theme}`)
        await expect(lab.root).toHaveAttribute('data-theme', theme)
        await lab.ready()
        await expect(lab.next).toBeEnabled()
        await page.addScriptTag({ path: AXE_PATH })
        const found: string[] = []
        let index = 0
        // The → key steps (focus stays on the page); each step is checked where it lands.
        for (; index < 80; index++) {
          const at = await axeAtStep(page, index, `${run.name}, ${theme}, step ${index + 1}`)
          found.push(...at.found)
          if (!at.more) break
          await page.keyboard.press('ArrowRight')
        }
        await expect(lab.next).toBeDisabled()
        expect(index, 'steps checked').toBeGreaterThan(3)
        expect(found, 'axe violations (scenario/variant, theme, step: rule at element)').toEqual([])
      })
    }
  })
}

/** What a focus indicator is drawn with. */
const RING = ['outlineStyle', 'outlineWidth', 'outlineColor', 'outlineOffset', 'boxShadow'] as const

/** A tab stop: which focusable element (its place in document order), its name, its focus ring. */
interface Stop {
  at: number
  name: string
  ring: boolean
  focusVisible: boolean
}

interface Focusables {
  /** Every focusable element, numbered in document order, with its look unfocused. */
  __focusables: Map<Element, { at: number; look: string }>
}

/**
 * Numbers every element that can take focus and records how it looks unfocused (outline, box
 * shadow); returns the tab stops the page should have, in order: visible, enabled, not inert,
 * not `tabindex=-1`, one per radio group. (No positive tabindex anywhere, so document order.)
 */
function expectedStops(page: Page): Promise<{ at: number; name: string }[]> {
  return page.evaluate((ring) => {
    const w = window as unknown as Focusables
    w.__focusables = new Map()
    const selector =
      'a[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable="true"]'
    const stops: { at: number; name: string }[] = []
    const radios = new Set<string>()
    let at = 0
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      const style = getComputedStyle(el)
      w.__focusables.set(el, { at, look: ring.map((p) => style[p]).join(' | ') })
      at++
      if (el.tabIndex < 0 || (el as HTMLButtonElement).disabled || el.closest('[inert]')) continue
      if (!el.checkVisibility({ visibilityProperty: true })) continue
      if (el instanceof HTMLInputElement && el.type === 'radio') {
        if (radios.has(el.name)) continue
        radios.add(el.name)
      }
      const label = el.getAttribute('aria-label') ?? el.textContent ?? ''
      stops.push({ at: at - 1, name: `${el.tagName.toLowerCase()} “${label.trim().slice(0, 50)}”` })
    }
    return stops
  }, RING)
}

/** Presses Tab and describes where focus went (null: it left the page). */
async function tab(page: Page): Promise<Stop | null> {
  await page.keyboard.press('Tab')
  return page.evaluate((ring) => {
    const el = document.activeElement as HTMLElement | null
    if (!el || el === document.body) return null
    const known = (window as unknown as Focusables).__focusables.get(el)
    const style = getComputedStyle(el)
    const look = ring.map((p) => style[p]).join(' | ')
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
    const label = el.getAttribute('aria-label') ?? el.textContent ?? ''
    return {
      at: known?.at ?? -1,
      name: `${el.tagName.toLowerCase()} “${label.trim().slice(0, 50)}”`,
      // An outline or a shadow, and not the one it has unfocused.
      ring: (outline || style.boxShadow !== 'none') && look !== known?.look,
      focusVisible: el.matches(':focus-visible'),
    }
  }, RING)
}

/**
 * Tabs from the top of the page until focus leaves it; expects each focusable control once, in
 * document order, each with a visible focus indicator. Returns the names of the stops.
 */
async function tabThrough(page: Page, where: string): Promise<string[]> {
  // From the top: focus the body for a moment (blur alone keeps Tab's starting point).
  await page.evaluate(() => {
    document.body.tabIndex = -1
    document.body.focus()
    document.body.removeAttribute('tabindex')
  })
  const expected = await expectedStops(page)
  const stops: Stop[] = []
  let left = false
  for (let n = 0; n < expected.length + 10; n++) {
    const stop = await tab(page)
    if (!stop) {
      left = true
      break
    }
    stops.push(stop)
  }
  const names = stops.map((s) => s.name)
  expect(left, `${where}: Tab leaves the page after the last control; went ${names}`).toBe(true)
  expect(
    stops.map((s) => `${s.at} ${s.name}`),
    `${where}: every focusable control is a tab stop, once, in order`,
  ).toEqual(expected.map((s) => `${s.at} ${s.name}`))
  expect(
    stops.filter((s) => !s.ring || !s.focusVisible).map((s) => s.name),
    `${where}: tab stops without a visible focus indicator`,
  ).toEqual([])
  return names
}

test.describe('the keyboard', () => {
  test('Tab reaches every control once, each with a visible focus indicator, and leaves', async ({
    page,
    context,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    const lab = new LabPage(page)
    // A bad setting, so the notice and its Dismiss button are there too; at the last step, so the
    // exports are.
    await page.goto('/?scenario=pkce-spa&pkce=maybe')
    await lab.ready()
    await expect(page.locator('.ofl-notice')).toBeVisible()
    await lab.pressEnd()
    // The log's exports are in its pane.
    await lab.show('Log')
    const names = await tabThrough(page, 'at the end, with a notice')
    for (const name of ['Dismiss', 'Share', 'Embed', 'Present', 'Download HAR', 'Copy Mermaid'])
      expect(
        names.some((k) => k.includes(`“${name}`)),
        `${name} is a tab stop`,
      ).toBe(true)

    // The login form in the mock browser.
    await page.goto('/')
    await lab.ready()
    await lab.nextUntil('The login page')
    expect(await tabThrough(page, 'at the login page')).toContain('input “”')

    // A log entry open: its raw messages, copy as curl, Edit and resend, the JWTs.
    await lab.nextUntil('Token response')
    await lab.show('Log')
    const entry = lab.logEntries.filter({ hasText: /POST\s*auth\.example\/token/ }).first()
    await entry.getByRole('button', { expanded: false }).first().click()
    await expect(entry.getByText(/JWTs? in this exchange, decoded/)).toBeVisible()
    const open = await tabThrough(page, 'with the token exchange open')
    expect(open.some((k) => k.includes('Edit and resend'))).toBe(true)

    // Its editor open.
    await entry.getByRole('button', { name: 'Edit and resend' }).click()
    await expect(entry.getByRole('form', { name: 'Edit and resend' })).toBeVisible()
    const editing = await tabThrough(page, 'with Edit and resend open')
    expect(editing.some((k) => k.includes('“Send'))).toBe(true)
  })

  test('Dismiss, the exports and Present work from the keyboard', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    const lab = new LabPage(page)
    await page.goto('/?scenario=oidc&pkce=maybe')
    await lab.ready()
    await lab.pressEnd()
    await lab.show('Log')

    const dismiss = page.getByRole('button', { name: 'Dismiss' })
    await dismiss.focus()
    await page.keyboard.press('Enter')
    await expect(page.locator('.ofl-notice')).toHaveCount(0)

    for (const [name, key] of [
      ['Download HAR', 'Enter'],
      ['Download JSON', 'Space'],
      ['Download SVG', 'Enter'],
    ] as const) {
      await page.getByRole('button', { name, exact: true }).focus()
      const [file] = await Promise.all([page.waitForEvent('download'), page.keyboard.press(key)])
      expect(file.suggestedFilename()).toMatch(/\.(har|json|svg)$/)
    }
    await page.getByRole('button', { name: 'Copy Mermaid' }).focus()
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toMatch(/^sequenceDiagram/)

    const present = lab.controls.getByRole('button', { name: 'Present', exact: true })
    await present.focus()
    await page.keyboard.press('Space')
    await expect(lab.root).toHaveAttribute('data-presenting', 'true')
    await page.keyboard.press('PageUp')
    await expect(lab.next).toBeEnabled()
    await page.keyboard.press('Escape')
    await expect(lab.root).not.toHaveAttribute('data-presenting', 'true')
  })
})
