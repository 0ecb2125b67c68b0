/**
 * Links in real Chromium: the address follows the learner; Share copies a link that opens the same
 * step with the same codes, states and verifiers in a new page; Embed gives code for that step;
 * and a hostile or broken address is only ever text — no dialog, no script, no element from it —
 * with a polite notice, and the default flow still runs.
 */
import type { BrowserContext, Page } from '@playwright/test'
import { LINK_PARAMS } from '../../src/flow/links/labUrl.ts'
import { expect, expectNoAxeViolations, LabPage, test } from './helpers.ts'

/** The state variables on screen, by key (`spa.code_verifier`, …), as shown. */
async function stateValues(page: Page): Promise<Record<string, string>> {
  await new LabPage(page).show('State')
  const rows = page
    .getByRole('region', { name: 'State' })
    .locator('.ofl-statepanel-roles .ofl-state-row')
  const pairs = await rows.evaluateAll((els) =>
    els.map((el) => [el.getAttribute('data-key') ?? '', el.querySelector('dd')?.textContent ?? '']),
  )
  return Object.fromEntries(pairs)
}

/** What the lab shows at the step on screen: title, state, the log's lines, the browser's address. */
async function snapshot(lab: LabPage) {
  return {
    index: await lab.index(),
    title: await lab.title.textContent(),
    state: await stateValues(lab.page),
    log: await lab.show('Log').then(() => lab.logEntries.getByRole('button').allTextContents()),
    address: await lab
      .show('Browser')
      .then(() => lab.browser.locator('.ofl-mb-address').textContent()),
  }
}

/** Fails the test if the page opens any dialog (alert, confirm, prompt). */
function noDialogs(page: Page) {
  const opened: string[] = []
  page.on('dialog', (d) => {
    opened.push(`${d.type()}: ${d.message()}`)
    void d.dismiss()
  })
  return opened
}

async function clipboardOf(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText())
}

async function grantClipboard(context: BrowserContext) {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
}

test.describe('a shared link', () => {
  test('opens the same step with the same values in a new page', async ({ page, context }) => {
    await grantClipboard(context)
    const lab = new LabPage(page)
    await lab.open()
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('pkce-spa')
    await lab.ready()
    await lab.nextUntil('Redirect back to the SPA with the code')
    const here = await snapshot(lab)
    expect(here.index).toBe(12)
    // The values a learner would compare: the code, the state and the PKCE verifier.
    expect(here.state['client.state']).toMatch(/^[\w-]{16,}$/)
    expect(here.state['client.code_verifier']).toMatch(/^[\w-]{43,}$/)
    const code = Object.keys(here.state)
      .find((k) => k.startsWith('as.code.'))
      ?.slice('as.code.'.length)
    expect(code).toMatch(/^[\w-]{16,}$/)
    expect(here.state['browser.url']).toContain(`code=${code}&state=${here.state['client.state']}`)
    // The address bar follows the step on screen.
    await expect(page).toHaveURL(/\?scenario=pkce-spa&t=[^&]+&step=13$/)

    await page.getByRole('button', { name: 'Share' }).click()
    await expect(page.getByText('Link copied')).toBeVisible()
    const link = await clipboardOf(page)
    expect(link).toBe(page.url())
    expect(new URL(link).searchParams.get('step')).toBe('13')

    const other = await context.newPage()
    const errors: string[] = []
    other.on('pageerror', (e) => errors.push(e.message))
    other.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    await other.goto(link)
    const there = new LabPage(other)
    await there.ready()
    await expect(there.root).toHaveAttribute('data-step-index', '12')
    expect(await snapshot(there)).toEqual(here)
    await expect(other.getByRole('combobox', { name: 'Scenario' })).toHaveValue('pkce-spa')
    await expect(other.locator('.ofl-notice')).toHaveCount(0)
    expect(errors).toEqual([])
  })

  test('the address follows Back, a jump and a new setting', async ({ page }) => {
    const lab = new LabPage(page)
    await lab.open()
    await lab.clickNext()
    await lab.clickNext()
    await expect(page).toHaveURL(/&step=3$/)
    await lab.back.click()
    await expect(page).toHaveURL(/&step=2$/)
    await page.keyboard.press('Home')
    await expect(page).toHaveURL(/\/\?t=[^&]+$/)
    await page.keyboard.press('End')
    const last = await lab.index()
    await expect(page).toHaveURL(new RegExp(`&step=${last + 1}$`))
    await page.getByRole('button', { name: 'Settings' }).click()
    await page.getByRole('checkbox', { name: /^state$/ }).uncheck()
    await expect(page).toHaveURL(/\?state=off&t=[^&]+$/)
  })

  test('Share is keyboard-operable and copies what the address says', async ({ page, context }) => {
    await grantClipboard(context)
    const lab = new LabPage(page)
    await page.goto('/?scenario=oidc&step=6')
    await lab.ready()
    await lab.expectIndex(5)
    await page.getByRole('button', { name: 'Share' }).focus()
    await page.keyboard.press('Enter')
    await expect(page.getByText('Link copied')).toBeVisible()
    const link = new URL(await clipboardOf(page))
    expect(link.searchParams.get('scenario')).toBe('oidc')
    expect(link.searchParams.get('step')).toBe('6')
    expect(link.searchParams.get('t')).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  test('without the clipboard, Share shows the link selected to copy by hand', async ({ page }) => {
    await page.addInitScript(() => {
      Object.defineProperty(navigator, 'clipboard', { value: undefined })
    })
    const lab = new LabPage(page)
    await page.goto('/?scenario=pkce-spa&step=4')
    await lab.ready()
    const share = page.getByRole('button', { name: 'Share' })
    await share.click()
    const field = page.getByRole('textbox', { name: 'Link to this step' })
    await expect(field).toBeFocused()
    await expect(field).toHaveValue(/\?scenario=pkce-spa&t=[^&]+&step=4$/)
    expect(
      await field.evaluate((el: HTMLInputElement) => [el.selectionStart, el.selectionEnd]),
    ).toEqual([0, (await field.inputValue()).length])
    await page.keyboard.press('Escape')
    await expect(field).toBeHidden()
    await expect(share).toBeFocused()
  })
})

test.describe('the Embed dialog', () => {
  test('gives the three snippets for the step on screen; Escape closes it', async ({
    page,
    context,
  }) => {
    await grantClipboard(context)
    const lab = new LabPage(page)
    await page.goto('/?scenario=pkce-spa&step=4&theme=dark')
    await lab.ready()
    const button = page.getByRole('button', { name: 'Embed' })
    await button.focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Embed this step' })
    await expect(dialog).toBeVisible()
    await expectNoAxeViolations(page, 'with the Embed dialog open')

    await dialog.getByRole('button', { name: 'Copy iframe code' }).click()
    const iframe = await clipboardOf(page)
    const origin = new URL(page.url()).origin
    expect(iframe).toMatch(
      new RegExp(
        `^<iframe src="${origin}/embed\\.html\\?scenario=pkce-spa&amp;t=[^"&]+&amp;step=4&amp;theme=dark&amp;controls=compact" title="OAuth Flow Lab: Single-page app with PKCE"`,
      ),
    )
    await dialog.getByRole('button', { name: 'Copy web component code' }).click()
    const element = await clipboardOf(page)
    expect(element).toContain(`<script type="module" src="${origin}/oauth-flow-lab.js"></script>`)
    expect(element).toMatch(
      /\n {2}scenario="pkce-spa"\n {2}t="[^"]+"\n {2}step="4"\n {2}theme="dark"\n/,
    )
    await dialog.getByRole('button', { name: 'Copy React code' }).click()
    expect(await clipboardOf(page)).toMatch(
      /<OAuthFlowLab\n {2}scenario="pkce-spa"\n[\s\S]*step=\{4\}/,
    )

    // Keys in the dialog never step the lab behind it.
    await page.keyboard.press('ArrowRight')
    await lab.expectIndex(3)
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
    await expect(button).toBeFocused()
  })
})

/** A payload that sets a flag if it ever runs as script. */
const MARKUP = '<img src=x onerror="window.__pwned=1">'
const PAYLOADS = [
  MARKUP,
  '<script>window.__pwned=1</script>',
  '"><svg onload="window.__pwned=1">',
  'javascript:window.__pwned=1',
  'data:text/html,<script>window.__pwned=1</script>',
]

/** Asserts nothing from a hostile address ran or became an element, and the default flow runs. */
async function expectSafe(lab: LabPage, dialogs: string[]) {
  const { page } = lab
  await lab.ready()
  expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()
  await expect(page.locator('img[src="x"], svg[onload], [onerror], [onload]')).toHaveCount(0)
  await expect(page.locator('.ofl-lab script')).toHaveCount(0)
  await expect(page.locator('script:not([src])').filter({ hasText: '__pwned' })).toHaveCount(0)
  await expect(page.locator('a[href^="javascript:"], a[href^="data:"]')).toHaveCount(0)
  const notice = page.locator('.ofl-notice')
  await expect(notice).toBeVisible()
  await expect(notice).toHaveAttribute('role', 'status')
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('confidential')
  await expect(lab.title).toHaveText('Ready: a web app with a server of its own')
  await lab.clickNext()
  await lab.clickNext()
  expect(dialogs).toEqual([])
}

test.describe('a hostile or broken address', () => {
  test('markup in the scenario is shown as text in the notice, and dismissed', async ({ page }) => {
    const dialogs = noDialogs(page)
    const lab = new LabPage(page)
    await page.goto(`/?scenario=${encodeURIComponent('<script>alert(1)</script>')}`)
    await expectSafe(lab, dialogs)
    await expect(
      page.getByText(
        'There is no scenario called “<script>alert(1)</script>”, so the default flow is shown.',
      ),
    ).toBeVisible()
    await page.getByRole('button', { name: 'Dismiss' }).click()
    await expect(page.locator('.ofl-notice')).toHaveCount(0)
  })

  for (const payload of PAYLOADS) {
    test(`${payload.slice(0, 24)}… in every parameter runs nothing and adds nothing`, async ({
      page,
    }) => {
      const dialogs = noDialogs(page)
      const lab = new LabPage(page)
      const query = new URLSearchParams(LINK_PARAMS.map((name) => [name, payload]))
      await page.goto(`/?${query}`)
      await expectSafe(lab, dialogs)
      const notice = page.locator('.ofl-notice-text')
      await expect(notice).toContainText(`There is no scenario called “${payload.slice(0, 40)}`)
      await expect(notice).toContainText(/\d+ more parameters were ignored\.$/)
      // The address bar drops what was ignored. (Any printable text but " and \ is a valid scope
      // name, RFC 6749 §3.3: the lab takes it, and the authorization server judges it.)
      await expect(page).toHaveURL(/[?&]t=[^&]+&step=3$/)
      const kept = new URL(page.url()).searchParams
      expect([...kept.keys()].filter((k) => k !== 'scope')).toEqual(['t', 'step'])
      if (kept.has('scope')) expect(kept.get('scope')).toBe(`openid ${payload}`)
    })
  }

  test('a megabyte-long address is ignored as a whole, politely', async ({ page, baseURL }) => {
    const dialogs = noDialogs(page)
    // The preview server refuses a request line this long; the page is what is tested, so it is
    // served the page as it would be by a server that accepts it.
    await page.route(/\?/, async (route) =>
      route.fulfill({ response: await route.fetch({ url: `${baseURL}/` }) }),
    )
    const lab = new LabPage(page)
    const huge = encodeURIComponent(MARKUP).repeat(Math.ceil((1 << 20) / 50))
    await page.goto(`/?scenario=pkce-spa&seed=${huge}`)
    expect((await page.evaluate(() => location.search.length)) > 1 << 20).toBe(true)
    await expectSafe(lab, dialogs)
    await expect(page.locator('.ofl-notice-text')).toHaveText(
      /^The address was too long to be a lab link \([\d,]+ characters\), so it was ignored and the default flow is shown\.$/,
    )
  })

  test('broken percent-encoding is read as text', async ({ page }) => {
    const dialogs = noDialogs(page)
    const lab = new LabPage(page)
    await page.goto('/?scenario=%E0%A4%A&step=%&seed=%zz&%E0=1')
    await expectSafe(lab, dialogs)
    const notice = page.locator('.ofl-notice-text')
    await expect(notice).toContainText('There is no scenario called “\uFFFD%A”')
    await expect(notice).toContainText('“%” is not a step number')
    await expect(notice).toContainText('The seed “%zz” was ignored')
  })

  test('a step out of range opens step 1 with a notice', async ({ page }) => {
    const dialogs = noDialogs(page)
    const lab = new LabPage(page)
    await page.goto('/?step=99999')
    await expectSafe(lab, dialogs)
    await expect(page.locator('.ofl-notice-text')).toHaveText(
      '“99999” is not a step number, so the flow starts at step 1.',
    )

    await page.goto('/?step=500')
    await lab.ready()
    await expect(page.locator('.ofl-notice-text')).toHaveText(
      /^This run has \d+ steps, so there is no step 500; it starts at step 1\.$/,
    )
    await lab.expectIndex(0)
    await lab.clickNext()
  })

  test('prototype names and duplicated parameters change nothing', async ({ page }) => {
    const dialogs = noDialogs(page)
    const lab = new LabPage(page)
    await page.goto('/?__proto__=x&constructor=y&scenario=constructor&scenario=pkce-spa')
    await expectSafe(lab, dialogs)
    await expect(page.locator('.ofl-notice-text')).toHaveText(
      'There is no scenario called “constructor”, so the default flow is shown.',
    )
    expect(await page.evaluate(() => (({}) as Record<string, unknown>).x)).toBeUndefined()
  })
})
