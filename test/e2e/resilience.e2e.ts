/**
 * The page where the browser is less kind, in real Chromium: no Web Storage at all (private
 * modes, storage blocked: the getters throw) or a full one (setItem throws), where the lab must
 * load and run untouched — it never uses the real storage; the simulated SPA's sessionStorage is
 * data in the world — and a tiny window (320×568) and 200% zoom (1280×800 at 200% is a 640×400
 * CSS-pixel viewport at 2 device pixels each): no horizontal scrolling, every control on screen
 * and not covered when scrolled to, no clipped text, a flow run to the end; with screenshots.
 * Every test also fails on a console error or an uncaught page error.
 */
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Page } from '@playwright/test'
import { expect, LabPage, settle, test } from './helpers.ts'

const SHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url))

declare global {
  interface Window {
    /** Each time the page reached for the real Web Storage (noted by the init scripts). */
    __storageUsed?: string[]
  }
}

/** The state panel's sessionStorage rows of the simulated browser, `key = value` as shown. */
async function simulatedStorage(page: Page): Promise<string[]> {
  await new LabPage(page).show('State')
  return page
    .getByRole('region', { name: 'State' })
    .locator('.ofl-statepanel-roles .ofl-state-row[data-key^="browser.storage."]')
    .evaluateAll((rows) => rows.map((r) => r.querySelector('dd')?.textContent ?? ''))
}

/** Runs the default flow and the SPA scenario to their ends; the SPA's storage is the world's. */
async function runFlows(page: Page) {
  const lab = new LabPage(page)
  await lab.open()
  expect((await lab.nextToEnd()).at(-1)).toBe('The flow is complete')

  await page.goto('/?scenario=pkce-spa')
  await lab.ready()
  await lab.nextUntil('Alice clicks “Sign in”')
  // The SPA keeps state and code_verifier in sessionStorage — the simulated browser's, shown in
  // the state panel — and the page's own storage is never touched (the counters below).
  await lab.clickNext()
  await expect
    .poll(() => simulatedStorage(page))
    .toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^state = [\w-]{16,}/),
        expect.stringMatching(/^code_verifier = [\w-]{43,}/),
      ]),
    )
  expect((await lab.nextToEnd()).at(-1)).toBe('The SPA signed in without a secret')
  expect(await page.evaluate(() => window.__storageUsed ?? [])).toEqual([])
}

test.describe('without Web Storage', () => {
  test('storage blocked (the getters throw SecurityError): loads, runs, never reaches for it', async ({
    page,
  }) => {
    await page.addInitScript(() => {
      window.__storageUsed = []
      for (const name of ['localStorage', 'sessionStorage'] as const) {
        Object.defineProperty(window, name, {
          configurable: true,
          get() {
            window.__storageUsed?.push(name)
            throw new DOMException(
              `Access to '${name}' is denied for this document.`,
              'SecurityError',
            )
          },
        })
      }
    })
    await runFlows(page)
    // The init script really was in force.
    const blocked = await page.evaluate(() => {
      try {
        return String(window.localStorage)
      } catch (e) {
        return (e as DOMException).name
      }
    })
    expect(blocked).toBe('SecurityError')
  })

  test('storage full (setItem throws QuotaExceededError): loads, runs, never writes', async ({
    page,
  }) => {
    await page.addInitScript(() => {
      window.__storageUsed = []
      Storage.prototype.setItem = function setItem(key: string) {
        window.__storageUsed?.push(`setItem ${key}`)
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
      }
    })
    await runFlows(page)
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0])
    const full = await page.evaluate(() => {
      try {
        sessionStorage.setItem('probe', '1')
        return 'stored'
      } catch (e) {
        return (e as DOMException).name
      }
    })
    expect(full).toBe('QuotaExceededError')
  })
})

/** Page width against the viewport, and every control's place once scrolled to. */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = []
    const doc = document.scrollingElement ?? document.documentElement
    if (doc.scrollWidth > innerWidth)
      problems.push(`the page scrolls sideways: ${doc.scrollWidth} > ${innerWidth}`)
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()} “${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}”`
    const controls = document.querySelectorAll<HTMLElement>(
      '.ofl-lab :is(a[href], button, input, select, textarea, summary, [tabindex="0"])',
    )
    for (const el of controls) {
      if (!el.checkVisibility({ visibilityProperty: true }) || el.closest('[inert]')) continue
      el.scrollIntoView({ block: 'center', inline: 'center' })
      const r = el.getBoundingClientRect()
      if (r.width < 1 || r.height < 1) continue
      // All of it across; down, its middle (a scroll box may be taller than the space left).
      const middle = r.top + r.height / 2
      if (r.left < -0.5 || r.right > innerWidth + 0.5 || middle < 0 || middle > innerHeight)
        problems.push(`${name(el)} is off screen when scrolled to: ${JSON.stringify(r)}`)
      // Not covered, nor cut off by an ancestor: the middle of it is itself.
      const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1)
      const y = Math.min(Math.max(middle, 0), innerHeight - 1)
      const hit = document.elementFromPoint(x, y)
      if (
        !hit ||
        !(el === hit || el.contains(hit) || (el as HTMLInputElement).labels?.[0]?.contains(hit))
      )
        problems.push(`${name(el)} is covered by ${hit ? name(hit) : 'nothing'}`)
    }
    // Text that doesn't fit its box: the narration and every button.
    for (const el of document.querySelectorAll<HTMLElement>(
      '.ofl-lab :is(button, .ofl-narration, .ofl-narration h3, .ofl-narration p)',
    )) {
      // Not the visually hidden text for screen readers (a 1-pixel box by design).
      if (!el.checkVisibility() || el.clientWidth <= 1) continue
      if (el.scrollWidth > el.clientWidth + 1)
        problems.push(`${name(el)} clips its text: ${el.scrollWidth} > ${el.clientWidth}`)
    }
    window.scrollTo(0, 0)
    return problems
  })
}

/**
 * Tabs through the page from the top and lists each control that, once the browser has scrolled
 * it into view for focus, is still covered (by the controls pinned to the bottom, say) — focus
 * must never be hidden (WCAG 2.4.11).
 */
async function obscuredByTab(page: Page): Promise<string[]> {
  await page.evaluate(() => {
    document.body.tabIndex = -1
    document.body.focus()
    document.body.removeAttribute('tabindex')
  })
  const hidden: string[] = []
  for (let n = 0; n < 300; n++) {
    await page.keyboard.press('Tab')
    const found = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null
      if (!el || el === document.body) return 'left'
      const r = el.getBoundingClientRect()
      const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1)
      const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1)
      const hit = document.elementFromPoint(x, y)
      const seen = hit !== null && (el === hit || el.contains(hit) || hit.contains(el))
      const label = el.getAttribute('aria-label') ?? el.textContent ?? ''
      return seen
        ? null
        : `${el.tagName.toLowerCase()} “${label.trim().slice(0, 40)}” under ${hit?.className ?? 'nothing'}`
    })
    if (found === 'left') break
    if (found) hidden.push(found)
  }
  return hidden
}

/** Steps the default flow to its end, checking the layout at each step; screenshots of three. */
async function smallScreen(page: Page, slug: string) {
  mkdirSync(SHOTS, { recursive: true })
  const lab = new LabPage(page)
  await lab.open()
  const shots: Record<string, string> = {
    'Ready: a web app with a server of its own': 'start',
    'The login page': 'login',
    'Token request on the back channel': 'token-request',
    'The flow is complete': 'end',
  }
  const problems: string[] = []
  for (let n = 0; n < 80; n++) {
    const title = (await lab.title.textContent()) ?? ''
    for (const p of await layoutProblems(page)) problems.push(`at “${title}”: ${p}`)
    const shot = shots[title]
    if (shot) {
      await settle(page)
      await page.screenshot({ path: `${SHOTS}${slug}-${shot}.png`, fullPage: true })
    }
    if (!(await lab.next.isEnabled())) break
    await lab.clickNext()
  }
  await expect(lab.title).toHaveText('The flow is complete')
  expect(problems).toEqual([])

  expect(await obscuredByTab(page), 'tab stops hidden under something when focused').toEqual([])

  // The panels that open: a log entry and Settings fit too.
  await lab.show('Log')
  const entry = lab.log.getByRole('button', { name: /^POST auth\.example\/token/ }).first()
  await entry.click()
  await expect(entry).toHaveAttribute('aria-expanded', 'true')
  expect(await layoutProblems(page), 'with a log entry open').toEqual([])
  await settle(page)
  await entry.scrollIntoViewIfNeeded()
  await page.screenshot({ path: `${SHOTS}${slug}-log-entry.png` })
  await page.getByRole('button', { name: 'Settings' }).click()
  await expect(page.getByRole('group', { name: 'Flow settings' })).toBeVisible()
  expect(await layoutProblems(page), 'with Settings open').toEqual([])
  await settle(page)
  await page.screenshot({ path: `${SHOTS}${slug}-settings.png` })
  await page.keyboard.press('Escape')
}

test.describe('a tiny window, 320×568', () => {
  test.use({ viewport: { width: 320, height: 568 } })
  test('no sideways scrolling, every control reachable, the flow runs to the end', async ({
    page,
  }) => {
    await smallScreen(page, '320x568')
  })
})

test.describe('200% zoom (1280×800 at 200%: 640×400 CSS pixels, 2 device pixels each)', () => {
  test.use({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 })
  test('no sideways scrolling, every control reachable, no clipped text, the flow runs', async ({
    page,
  }) => {
    expect(await page.evaluate(() => devicePixelRatio)).toBe(2)
    await smallScreen(page, 'zoom200-640x400')
  })
})
