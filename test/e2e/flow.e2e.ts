/**
 * The built page in real Chromium: the flow clicked and keyed through, the learner's own answers on
 * the login and consent pages, reduced motion, accessibility (axe), layout at three sizes in both
 * themes, and the public SPA. Every test also fails on a console error or an uncaught page error.
 */
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Page } from '@playwright/test'
import { expect, expectNoAxeViolations, LabPage, settle, test } from './helpers.ts'

const START = 'Ready: a web app with a server of its own'
const LOGIN = 'The login page'
const CONSENT = 'Signed in: the consent page'
const TOKEN_REQUEST = 'Token request on the back channel'
const TOKEN_RESPONSE = 'Token response'
const RESOURCE = 'Protected resource'
const END = 'The flow is complete'

/** Asserts that `wanted` appear in `seen` in this order. */
function expectInOrder(seen: string[], wanted: string[]) {
  const at = wanted.map((t) => seen.indexOf(t))
  expect(at, `positions of ${wanted.join(' → ')} in ${seen.join(' | ')}`).not.toContain(-1)
  expect(at).toEqual([...at].sort((a, b) => a - b))
}

test.describe('the default flow with the Next button', () => {
  test('titles, lane statuses, the log and the announcements follow each step to the end', async ({
    page,
  }) => {
    const lab = new LabPage(page)
    await lab.open()
    await expect(lab.title).toHaveText(START)
    await expect(lab.back).toBeDisabled()
    await expect(lab.lane('Authorization Server')).toContainText('Idle')
    await lab.show('Log')
    await expect(lab.log).toContainText('No requests yet')
    await expect(lab.announcer).toContainText(START)

    const titles: string[] = [START]
    const announced: string[] = [(await lab.announcer.textContent()) ?? '']
    const logged: Record<string, number> = {}
    while (await lab.next.isEnabled()) {
      await lab.clickNext()
      const title = (await lab.title.textContent()) ?? ''
      titles.push(title)
      // The live region tells each step: its title, and never the same words twice in a row.
      await expect(lab.announcer).toContainText(title)
      const said = (await lab.announcer.textContent()) ?? ''
      expect(said).not.toBe(announced.at(-1))
      announced.push(said)

      if (title === LOGIN) {
        await lab.show('Browser')
        await expect(
          lab.browser.getByRole('heading', { name: 'Sign in to auth.example' }),
        ).toBeVisible()
        await expect(lab.browser.getByRole('textbox', { name: 'Username' })).toBeEditable()
      }
      if (title === CONSENT) {
        await lab.show('Browser')
        await expect(lab.browser.getByRole('button', { name: 'Allow' })).toBeEnabled()
      }
      if (title === TOKEN_REQUEST) {
        await expect(lab.lane('Authorization Server')).toContainText('Validating the code')
        await expect(lab.lane('Client')).toContainText('Waiting for the Authorization Server')
        // The message is the diagram's current row.
        await expect(
          page.getByRole('list', { name: 'Messages so far' }).locator('li[data-current="true"]'),
        ).toContainText('POST /token')
      }
      if (title === TOKEN_RESPONSE) {
        // The session holds no tokens until the ID token is checked (after the JWKS fetch).
        await expect(lab.lane('Client')).toContainText('Reading the token response')
        await expect(lab.lane('Authorization Server')).toContainText('Answered 200')
      }
      if (title === RESOURCE) await expect(lab.lane('Client')).toContainText('Got the photos')
      if ([LOGIN, TOKEN_REQUEST, RESOURCE, END].includes(title)) {
        await lab.show('Log')
        logged[title] = await lab.logEntries.count()
      }
    }

    expectInOrder(titles, [START, LOGIN, CONSENT, TOKEN_REQUEST, RESOURCE, END])
    await expect(lab.title).toHaveText(END)
    await expect(lab.narration).toContainText('Completed')
    await expect(lab.next).toBeDisabled()
    await expect(lab.back).toBeEnabled()
    // The log grows as the flow goes on.
    const counts = [LOGIN, TOKEN_REQUEST, RESOURCE, END].map((t) => logged[t] ?? 0)
    expect(counts[0]).toBeGreaterThan(0)
    expect(counts, 'log entries at the login page, token request, resource, end').toEqual(
      [...counts].sort((a, b) => a - b),
    )
    expect(new Set(counts).size, 'each of those steps adds exchanges').toBe(counts.length)
    await expect(lab.log).toContainText(`${counts.at(-1)} exchanges so far`)
  })
})

test.describe('the learner answers the pages', () => {
  test('consent denied: the run ends with access_denied', async ({ page }) => {
    const lab = new LabPage(page)
    await lab.open()
    // Before the consent step there is nothing to allow or deny.
    await lab.nextUntil(LOGIN)
    await expect(lab.browser.getByRole('button', { name: 'Deny' })).toHaveCount(0)
    await lab.nextUntil(CONSENT)
    const deny = lab.browser.getByRole('button', { name: 'Deny' })
    await expect(lab.browser.getByRole('button', { name: 'Allow' })).toBeEnabled()
    await expect(deny).toBeEnabled()
    const at = await lab.index()
    await deny.click()
    // The answer shows at once: the server's redirect back with the error.
    await expect(lab.title).toHaveText('Denied: back to the app with access_denied')
    expect(await lab.index()).toBeGreaterThan(at)
    await lab.ready()
    const titles = await lab.nextToEnd()
    expect(titles.some((t) => t.includes('access_denied'))).toBe(true)
    await expect(lab.narration).toContainText('access_denied')
    await expect(lab.narration).toContainText('Ended with an error')
    expect(titles).not.toContain(TOKEN_REQUEST)
    // No code comes back, and the narration does not pretend one does.
    expect(titles.filter((t) => /with the code/.test(t))).toEqual([])
    expect(titles).toContain('Redirect back to the app with error=access_denied')
  })

  test('a wrong password shows the error, then the right one goes on to consent', async ({
    page,
  }) => {
    const lab = new LabPage(page)
    await lab.open()
    await lab.nextUntil(LOGIN)
    const at = await lab.index()
    await lab.browser.getByRole('textbox', { name: 'Username' }).fill('alice')
    await lab.browser.getByLabel('Password').fill('wrong')
    await lab.browser.getByRole('button', { name: 'Sign in' }).click()
    // The server's answer shows at once: its login page again, with the error.
    await lab.expectIndex(at + 3)
    await lab.ready()
    await expect(lab.title).toHaveText(/^Wrong password/)
    await expect(lab.browser).toContainText('Wrong username or password.')
    // The server sent the username back; the password the learner typed stays in the form.
    await expect(lab.browser.getByRole('textbox', { name: 'Username' })).toHaveValue('alice')
    await expect(lab.browser.getByLabel('Password')).toHaveValue('wrong')

    const again = await lab.index()
    await lab.browser.getByLabel('Password').fill('wonderland')
    await lab.browser.getByRole('button', { name: 'Sign in' }).click()
    await lab.expectIndex(again + 3)
    await lab.ready()
    await lab.nextUntil(CONSENT, 5)
    await expect(lab.browser).not.toContainText('Wrong username or password.')
    await expect(lab.browser.getByRole('button', { name: 'Allow' })).toBeEnabled()
    const titles = await lab.nextToEnd()
    expect(titles.at(-1)).toBe(END)
  })
})

/** Presses `key` with the page focused and waits for the step to move by `by`. */
async function pressAndExpect(lab: LabPage, key: string, by: number) {
  const i = await lab.index()
  await lab.page.keyboard.press(key)
  await lab.expectIndex(i + by)
}

/** What has focus: where it is, its name, and whether its focus outline is drawn. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    if (!el || el === document.body) return null
    const labels = (el as HTMLInputElement).labels
    const name =
      el.getAttribute('aria-label') ??
      (labels && labels.length ? (labels[0]?.textContent ?? '') : (el.textContent ?? ''))
    const style = getComputedStyle(el)
    return {
      tag: el.tagName,
      name: name.trim().replace(/\s+/g, ' '),
      inputName: el.getAttribute('name'),
      inControls: el.closest('[aria-label="Controls"]') !== null,
      outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
      focusVisible: el.matches(':focus-visible'),
    }
  })
}

test.describe('keyboard only', () => {
  test('arrows, End, Home and Space drive the flow from the page', async ({ page }) => {
    const lab = new LabPage(page)
    await lab.open()
    await expect(page.locator('body')).toBeFocused()

    let steps = 0
    while (await lab.next.isEnabled()) {
      await pressAndExpect(lab, 'ArrowRight', 1)
      steps++
    }
    expect(steps).toBeGreaterThan(10)
    await expect(lab.title).toHaveText(END)
    // At the end → stays put; ← goes back one step.
    await page.keyboard.press('ArrowRight')
    await lab.expectIndex(steps)
    await pressAndExpect(lab, 'ArrowLeft', -1)
    await expect(lab.title).not.toHaveText(END)

    await page.keyboard.press('Home')
    await lab.expectIndex(0)
    await expect(lab.title).toHaveText(START)
    await lab.pressEnd()
    await lab.expectIndex(steps)
    await page.keyboard.press('Home')
    await lab.expectIndex(0)

    // Space plays and pauses; the Play button says which.
    await expect(lab.play).toHaveAccessibleName('Play')
    await page.keyboard.press('Space')
    await expect(lab.play).toHaveAccessibleName('Pause')
    await page.keyboard.press('Space')
    await expect(lab.play).toHaveAccessibleName('Play')
  })

  test('Tab reaches every control with a visible focus outline', async ({ page }) => {
    const lab = new LabPage(page)
    await lab.open()
    // A middle step, so Reset and Back are enabled too.
    for (let i = 0; i < 3; i++) await pressAndExpect(lab, 'ArrowRight', 1)

    const wanted = ['Reset', 'Back', 'Play', 'Next', 'Speed', 'Step']
    const reached = new Set<string>()
    const noOutline: string[] = []
    for (let n = 0; n < 60 && reached.size < wanted.length; n++) {
      await page.keyboard.press('Tab')
      const f = await focused(page)
      if (!f) continue
      if (!f.outline || !f.focusVisible) noOutline.push(`${f.tag} “${f.name}”`)
      if (!f.inControls) continue
      const name = wanted.find((w) => f.name.startsWith(w))
      if (name) reached.add(name)
    }
    expect([...reached].sort()).toEqual([...wanted].sort())
    expect(noOutline, 'focused elements without a visible outline').toEqual([])
  })

  test('the login and consent pages can be answered with the keyboard', async ({ page }) => {
    const lab = new LabPage(page)
    await lab.open()
    while ((await lab.title.textContent()) !== LOGIN) await pressAndExpect(lab, 'ArrowRight', 1)
    const at = await lab.index()

    // Tab from the controls into the mock browser's form.
    let f = await focused(page)
    for (let n = 0; n < 60 && f?.inputName !== 'username'; n++) {
      await page.keyboard.press('Tab')
      f = await focused(page)
    }
    expect(f?.inputName).toBe('username')
    await page.keyboard.type('alice')
    await page.keyboard.press('Tab')
    expect((await focused(page))?.inputName).toBe('password')
    await page.keyboard.type('wonderland')
    await page.keyboard.press('Enter')
    // The server's answer at once: signed in, its consent page.
    await expect(lab.title).toHaveText(CONSENT)
    expect(await lab.index()).toBeGreaterThan(at)
    await lab.ready()

    // Focus is not left in a text field, so the arrows step on.
    while ((await lab.title.textContent()) !== CONSENT) await pressAndExpect(lab, 'ArrowRight', 1)
    const consentAt = await lab.index()
    f = await focused(page)
    for (let n = 0; n < 60 && !(f?.tag === 'BUTTON' && f.name === 'Allow'); n++) {
      await page.keyboard.press('Tab')
      f = await focused(page)
    }
    expect(f?.name).toBe('Allow')
    await page.keyboard.press('Enter')
    // The server's answer at once: its redirect back to the app with the code.
    await expect(lab.title).toHaveText(/redirect back with the code$/)
    expect(await lab.index()).toBeGreaterThan(consentAt)
  })
})

test.describe('reduced motion', () => {
  test.use({ reducedMotion: 'reduce' })

  test('messages are drawn still, nothing travels, and stepping works', async ({ page }) => {
    const lab = new LabPage(page)
    await lab.open()
    await lab.nextUntil(TOKEN_REQUEST)
    const track = page.getByRole('list', { name: 'Messages so far' })
    await expect(track.locator('li[data-current="true"]')).toContainText('POST /token')

    // Nothing in the diagram moves: no transform animation, no transform changing by frame.
    const moving = await track.evaluate(async (el) => {
      const transforms = () =>
        Array.from(el.querySelectorAll('*'), (e) => getComputedStyle(e).transform).join('|')
      const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)))
      const before = transforms()
      const animated = el
        .getAnimations({ subtree: true })
        .filter((a) => {
          const effect = a.effect as KeyframeEffect | null
          return effect
            ?.getKeyframes()
            .some((k) => 'transform' in k || 'translate' in k || 'scale' in k)
        })
        .map((a) => a.playState)
      for (let i = 0; i < 6; i++) await frame()
      return { animated, changed: transforms() !== before }
    })
    expect(moving).toEqual({ animated: [], changed: false })

    await lab.clickNext()
    await expect(lab.title).toHaveText(TOKEN_RESPONSE)
    await lab.back.click()
    await expect(lab.title).toHaveText(TOKEN_REQUEST)
    const titles = await lab.nextToEnd()
    expect(titles.at(-1)).toBe(END)
  })
})

/** The steps axe looks at, and the extras: an HTTP log entry expanded, the Settings panel open. */
async function axeTour(page: Page, theme: string, extras: boolean) {
  const lab = new LabPage(page)
  await expectNoAxeViolations(page, `${theme}, at the start`)
  for (const title of [LOGIN, CONSENT, TOKEN_RESPONSE, END]) {
    await lab.nextUntil(title)
    await expectNoAxeViolations(page, `${theme}, at “${title}”`)
    if (extras && title === TOKEN_RESPONSE) {
      await lab.show('Log')
      const entry = lab.log.getByRole('button', { name: /^POST auth\.example\/token/ }).first()
      await entry.click()
      await expect(entry).toHaveAttribute('aria-expanded', 'true')
      await expectNoAxeViolations(page, `${theme}, with the token exchange expanded`)
      await entry.click()
      await expect(entry).toHaveAttribute('aria-expanded', 'false')
    }
  }
  if (extras) {
    const settings = page.getByRole('button', { name: 'Settings' })
    await settings.click()
    await expect(page.getByRole('group', { name: 'Flow settings' })).toBeVisible()
    await expectNoAxeViolations(page, `${theme}, with Settings open`)
    await page.keyboard.press('Escape')
    await expect(page.getByRole('group', { name: 'Flow settings' })).toBeHidden()
    await expect(settings).toBeFocused()
  }
}

test.describe('accessibility (axe, WCAG 2.1 A/AA)', () => {
  test.describe('light', () => {
    test.use({ colorScheme: 'light' })
    test('no violations at key steps, with a log entry open and Settings open', async ({
      page,
    }) => {
      await new LabPage(page).open()
      await axeTour(page, 'light', true)
    })
  })

  test.describe('dark from the system', () => {
    test.use({ colorScheme: 'dark' })
    test('no violations at key steps', async ({ page }) => {
      await new LabPage(page).open()
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(
        true,
      )
      await axeTour(page, 'dark (system)', false)
    })
  })

  test.describe('dark from the theme toggle', () => {
    test.use({ colorScheme: 'light' })
    test('no violations at key steps, with a log entry open and Settings open', async ({
      page,
    }) => {
      const lab = new LabPage(page)
      await lab.open()
      const dark = page.getByRole('group', { name: 'Theme' }).getByRole('button', { name: 'Dark' })
      await dark.click()
      await expect(dark).toHaveAttribute('aria-pressed', 'true')
      await expect(lab.root).toHaveAttribute('data-theme', 'dark')
      await axeTour(page, 'dark (toggle)', true)
    })
  })
})

const SHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url))
const SIZES = [
  { width: 1920, height: 1080 },
  { width: 1366, height: 768 },
  { width: 390, height: 844 },
]

test.describe('layout at three sizes, light and dark', () => {
  test.beforeAll(() => mkdirSync(SHOTS, { recursive: true }))

  for (const size of SIZES) {
    test(`${size.width}×${size.height}: no horizontal overflow, Next in view, screenshots`, async ({
      page,
    }) => {
      await page.setViewportSize(size)
      const lab = new LabPage(page)
      await lab.open()
      for (const [slug, title] of [
        ['login', LOGIN],
        ['token-request', TOKEN_REQUEST],
        ['end', END],
      ] as const) {
        await lab.nextUntil(title)
        for (const scheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme: scheme })
          await page.evaluate(() => window.scrollTo(0, 0))
          await settle(page)
          await page.screenshot({
            path: `${SHOTS}${size.width}x${size.height}-${scheme}-${slug}.png`,
            fullPage: true,
          })
          const where = `${size.width}×${size.height} ${scheme} at “${title}”`
          const widths = await page.evaluate(() => ({
            scroll: document.documentElement.scrollWidth,
            inner: window.innerWidth,
          }))
          expect(widths.scroll, `page width ${where}`).toBeLessThanOrEqual(widths.inner)
          await expect(lab.next, `Next visible without scrolling, ${where}`).toBeInViewport({
            ratio: 1,
          })
        }
      }
    })
  }
})

test.describe('the public single-page app', () => {
  test('chosen in Settings: a CORS preflight and a token request from the browser', async ({
    page,
  }) => {
    const lab = new LabPage(page)
    await lab.open()
    await page.getByRole('button', { name: 'Settings' }).click()
    const panel = page.getByRole('group', { name: 'Flow settings' })
    await panel.getByRole('radio', { name: /Public single-page app/ }).check()
    await expect(lab.title).toHaveText('Ready: a single-page app with no server')
    await lab.ready()
    await panel.getByRole('button', { name: 'Close' }).click()
    await expect(panel).toBeHidden()

    const before = await lab.nextUntil('CORS preflight')
    expect(before).toContain('Token request from the browser')
    await expect(lab.lane('Resource Server')).toContainText('Answering the preflight')
    await lab.clickNext()
    await expect(lab.title).toHaveText('Preflight allowed')
    // The preflight answers no question about photos: the client has none yet.
    await expect(lab.lane('Client')).not.toContainText('Got the photos')
    const after = await lab.nextUntil(RESOURCE)
    expect(after).toContain('API request with the bearer token')
    await expect(lab.lane('Client')).toContainText('Got the photos')
    const titles = await lab.nextToEnd()
    expect(titles.at(-1)).toBe(END)

    await lab.show('Log')
    const preflight = lab.log.getByRole('button', { name: /^OPTIONS api\.example\/photos 204/ })
    await expect(preflight).toHaveCount(1)
    await expect(preflight).toContainText('Client → Resource Server')
    const token = lab.log.getByRole('button', { name: /^POST auth\.example\/token 200/ }).first()
    await expect(token).toContainText('Client → Authorization Server')
    // The page's own fetch is a direct request: not the front channel (redirects), not the back.
    await expect(token).toContainText('direct request from the page')
    await expect(lab.log.getByText('front channel')).not.toHaveCount(0) // the redirects
    await expect(lab.log.getByText('back channel')).toHaveCount(1) // only the API's own JWKS fetch
  })
})
