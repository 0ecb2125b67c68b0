/**
 * Edit and resend, and Replay, from the HTTP log in real Chromium: a wrong code_verifier at the
 * token request, a foreign redirect_uri at the authorization request, the token request replayed.
 */
import type { Locator } from '@playwright/test'
import { expect, LabPage, test } from './helpers.ts'

const TOKEN_REQUEST = 'Token request on the back channel'
const AUTHORIZATION_REQUEST = 'Authorization request (front channel)'

/** The log line of the first exchange whose line text matches, opened. */
async function openEntry(lab: LabPage, line: RegExp): Promise<Locator> {
  await lab.show('Log')
  const entry = lab.logEntries.filter({ hasText: line }).first()
  const summary = entry.getByRole('button', { expanded: false }).first()
  await summary.click()
  return entry
}

async function openEditor(entry: Locator): Promise<Locator> {
  await entry.getByRole('button', { name: 'Edit and resend' }).click()
  const form = entry.getByRole('form', { name: 'Edit and resend' })
  await expect(form).toBeVisible()
  return form
}

test('editing code_verifier at the token request yields 400 invalid_grant', async ({ page }) => {
  const lab = new LabPage(page)
  await lab.open()
  await lab.nextUntil(TOKEN_REQUEST)
  const at = await lab.index()
  const entry = await openEntry(lab, /POST\s*auth\.example\/token/)
  const form = await openEditor(entry)
  const verifier = form
    .getByRole('group', { name: 'Form body' })
    .getByRole('textbox', { name: 'Value of code_verifier' })
  await verifier.fill('not-the-verifier-not-the-verifier-not-the-verifier')
  await form.getByRole('button', { name: 'Send' }).click()
  // The server's answer at once, not the request on its way.
  await lab.expectIndex(at + 1)
  await expect(lab.title).toHaveText('The token request is refused: invalid_grant')
  await lab.ready()
  await expect(
    lab.logEntries
      .filter({ hasText: /auth\.example\/token/ })
      .first()
      .locator('.ofl-httplog-status'),
  ).toHaveText('400')
  // The edited request stays in the run, one Back away.
  await lab.back.click()
  await lab.expectIndex(at)
  await expect(lab.narration).toContainText('Edited by you:')

  // Back before the edit undoes it: the simulated user's run again.
  await lab.back.click()
  await lab.ready()
  await lab.nextUntil(TOKEN_REQUEST)
  await expect(lab.narration).not.toContainText('Edited by you:')
})

test('editing redirect_uri at the authorization request yields the error page', async ({
  page,
}) => {
  const lab = new LabPage(page)
  await lab.open()
  await lab.nextUntil(AUTHORIZATION_REQUEST)
  const entry = await openEntry(lab, /GET\s*auth\.example\/authorize/)
  const form = await openEditor(entry)
  const redirect = form
    .getByRole('group', { name: 'Query parameters' })
    .getByRole('textbox', { name: 'Value of redirect_uri' })
  await expect(redirect).toHaveValue('https://client.example/callback')
  await redirect.fill('https://evil.example/cb')
  await form.getByRole('button', { name: 'Send' }).click()
  // The server's answer at once: its error page.
  await expect(lab.title).toHaveText('The authorization server shows an error page')
  await lab.ready()
  await lab.show('Browser')
  await expect(lab.browser).toContainText('Invalid redirect_uri')
  await lab.show('Log')
  await expect(
    lab.logEntries
      .filter({ hasText: /auth\.example\/authorize/ })
      .first()
      .locator('.ofl-httplog-status'),
  ).toHaveText('400')
})

test('replaying the token request after the flow: 400 invalid_grant, the code is used', async ({
  page,
}) => {
  const lab = new LabPage(page)
  await lab.open()
  await lab.nextToEnd()
  const end = await lab.index()
  const entry = await openEntry(lab, /POST\s*auth\.example\/token/)
  await entry.getByRole('button', { name: 'Replay' }).click()
  await lab.ready()
  await lab.expectIndex(end + 1)
  await expect(lab.narration).toContainText('Sent again by you:')
  await lab.clickNext()
  await expect(lab.title).toHaveText('The token request is refused: invalid_grant')
  await expect(
    lab.logEntries
      .filter({ hasText: /auth\.example\/token/ })
      .last()
      .locator('.ofl-httplog-status'),
  ).toHaveText('400')
})
