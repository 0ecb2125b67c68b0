/**
 * Hostile input through the page's own controls (issue 17): Edit and resend with a session cookie
 * named after Object.prototype's members, in the page and in the web component on a host page.
 * The page's (and the host's) Object.prototype is unchanged afterwards, and the next run is whole.
 */
import type { Locator, Page } from '@playwright/test'
import { expect, LabPage, test } from './helpers.ts'

/** Object.prototype's own property names in the page: they must not change. */
const prototypeNames = (page: Page) =>
  page.evaluate(() => Object.getOwnPropertyNames(Object.prototype).sort().join(','))

/** Nothing the world writes onto a session shows up on every object. */
const nothingInherited = (page: Page) =>
  page.evaluate(() => {
    const probe = {} as Record<string, unknown>
    return ['state', 'code_verifier', 'code', 'error', 'tokens', 'sub'].filter((k) => k in probe)
  })

/** In `root` (a lab), opens the log's callback line, edits its Cookie header to `cookie` and sends it. */
async function resendCallbackWithCookie(root: Locator, cookie: string) {
  const log = root.getByRole('region', { name: 'HTTP log' })
  const entry = log
    .getByRole('list', { name: 'Exchanges, oldest first' })
    .locator(':scope > li')
    .filter({ hasText: /GET\s*client\.example\/callback/ })
    .first()
  await entry.getByRole('button', { expanded: false }).first().click()
  await entry.getByRole('button', { name: 'Edit and resend' }).click()
  const form = entry.getByRole('form', { name: 'Edit and resend' })
  await form.getByRole('textbox', { name: 'Value of Cookie' }).fill(cookie)
  await form.getByRole('button', { name: 'Send' }).click()
}

test('the page: Cookie client_session=__proto__ through Edit and resend pollutes nothing, and Reset gives a whole run', async ({
  page,
}) => {
  const lab = new LabPage(page)
  await lab.open()
  const before = await prototypeNames(page)
  const normalEnd = (await lab.nextToEnd()).at(-1)
  await lab.show('Log')
  await resendCallbackWithCookie(lab.root, 'client_session=__proto__; as_session=constructor')
  await lab.ready()
  expect(await prototypeNames(page)).toBe(before)
  expect(await nothingInherited(page)).toEqual([])
  // A whole run after Reset: the same ending as before the edits, not a 401 called complete.
  await lab.reset.click()
  await lab.ready()
  expect((await lab.nextToEnd()).at(-1)).toBe(normalEnd)
})

test('the web component on a host page: the host’s Object.prototype is unchanged', async ({ page }) => {
  await page.goto('/demo.html')
  await page.evaluate(() => {
    const el = document.createElement('oauth-flow-lab')
    el.id = 'hostile'
    el.setAttribute('scenario', 'confidential')
    el.setAttribute('panels', 'narration,log')
    el.style.height = '900px'
    document.body.append(el)
  })
  const element = page.locator('#hostile')
  const root = element.locator('.ofl-lab')
  await expect(root).toHaveAttribute('data-complete', 'true')
  const before = await prototypeNames(page)
  const next = element.getByRole('button', { name: 'Next', exact: true })
  await next.focus()
  await page.keyboard.press('End')
  await expect(next).toBeDisabled()
  const tab = element.getByRole('tab', { name: 'Log' })
  if ((await tab.count()) > 0) await tab.click()
  await resendCallbackWithCookie(element, 'client_session=__proto__')
  await expect(root).toHaveAttribute('data-complete', 'true')
  expect(await prototypeNames(page)).toBe(before)
  expect(await nothingInherited(page)).toEqual([])
})
