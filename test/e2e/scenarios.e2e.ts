/**
 * Every scenario of the library (and each variant), opened by its address, run to the end with the
 * End key, and its key outcome read off the page: the ending, the exact status in the HTTP log and
 * the `error` in the raw response. (A hostile address: links.e2e.ts.)
 */
import type { Locator } from '@playwright/test'
import { expect, LabPage, test } from './helpers.ts'

/** Opens the page at an address and runs the (computed) run to its last step with the End key. */
async function runToEnd(lab: LabPage, search: string) {
  await lab.page.goto(`/${search}`)
  await lab.ready()
  await lab.pressEnd()
  await lab.show('Log')
}

/** A line of the HTTP log: `POST auth.example/token 200` sent by `from` (e.g. `Attacker`). */
function logLine(lab: LabPage, line: RegExp, from?: string): Locator {
  const buttons = lab.logEntries.getByRole('button', { name: line })
  return from ? buttons.filter({ hasText: `${from} →` }) : buttons
}

/** Opens a log line and expects its raw request or response to contain `text`. */
async function expectRaw(lab: LabPage, line: Locator, text: string | RegExp) {
  await expect(line).toHaveCount(1)
  await line.click()
  await expect(line).toHaveAttribute('aria-expanded', 'true')
  const details = lab.page.locator(`[id="${await line.getAttribute('aria-controls')}"]`)
  // The raw messages are folded under the formatted ones: open them.
  const folded = details.locator('details:not([open]) > summary')
  await expect(folded.first()).toBeVisible()
  for (let n = await folded.count(); n > 0; n--) await folded.first().click()
  await expect(details.locator('pre').filter({ hasText: text }).first()).toBeVisible()
}

const TOKEN = /^POST auth\.example\/token /

test.describe('the scenario library, opened by address and run to the end', () => {
  test('confidential: the default flow completes', async ({ page }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=confidential')
    await expect(lab.title).toHaveText('The flow is complete')
    await expect(lab.narration).toContainText('✓ Completed')
    await expect(logLine(lab, /^POST auth\.example\/token 200/, 'Client')).toHaveCount(2)
  })

  test('pkce-spa: the SPA redeems its code with the code_verifier (200)', async ({ page }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=pkce-spa')
    await expect(lab.title).toHaveText('The SPA signed in without a secret')
    const token = logLine(lab, /^POST auth\.example\/token 200/, 'Client').first()
    await expectRaw(lab, token, 'code_verifier=')
    await expect(lab.narration).toContainText('✓ Completed')
  })

  test('oidc: userinfo answers 200', async ({ page }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=oidc')
    await expect(lab.title).toHaveText('What OpenID Connect added')
    await expect(logLine(lab, /^GET auth\.example\/userinfo 200/, 'Client')).toHaveCount(1)
  })

  test('refresh, vulnerable: the attacker’s replayed refresh token is answered 200', async ({
    page,
  }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=refresh&variant=vulnerable')
    await expect(lab.title).toHaveText('The attacker refreshed with the copied token')
    await expect(lab.narration).toContainText('⚠ Attack succeeded')
    await expect(lab.lane('Attacker')).toBeVisible()
    await expectRaw(lab, logLine(lab, /^POST auth\.example\/token 200/, 'Attacker'), 'access_token')
    await expect(logLine(lab, /^POST auth\.example\/token 400/)).toHaveCount(0)
    await expect(
      page.getByRole('group', { name: 'Variant' }).getByRole('button', { name: 'Vulnerable' }),
    ).toHaveAttribute('aria-pressed', 'true')
  })

  test('refresh, defended: the reused refresh token is refused (400 invalid_grant)', async ({
    page,
  }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=refresh&variant=defended')
    await expect(lab.title).toHaveText('Reuse detected: the token family is revoked')
    await expect(lab.narration).toContainText('✓ Attack blocked')
    await expectRaw(
      lab,
      logLine(lab, /^POST auth\.example\/token 400/, 'Attacker'),
      'invalid_grant',
    )
    await expect(logLine(lab, /^POST auth\.example\/token 400/, 'Client')).toHaveCount(1)
  })

  test('revoke: introspection answers active: false', async ({ page }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=revoke')
    await expect(lab.title).toHaveText('Revoked — but the JWT still works at the API')
    const introspect = logLine(lab, /^POST auth\.example\/introspect 200/, 'Client')
    await expectRaw(lab, introspect, /"active":\s*false/)
  })

  test('consent-denied: access_denied back to the client', async ({ page }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=consent-denied')
    await expect(lab.title).toHaveText('Alice said no: access_denied')
    await expectRaw(
      lab,
      logLine(lab, /^GET client\.example\/callback\?… 200/),
      'error=access_denied',
    )
  })

  test('csrf-no-state, vulnerable: Alice is signed in as Mallory', async ({ page }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=csrf-no-state&variant=vulnerable')
    await expect(lab.title).toHaveText('Alice is signed in — as Mallory')
    await expect(lab.narration).toContainText('⚠ Attack succeeded')
    await expect(lab.lane('Attacker')).toBeVisible()
    await expect(logLine(lab, /^POST auth\.example\/token 200/, 'Client')).toHaveCount(1)
  })

  test('csrf-no-state, defended: the planted callback is refused (400 no_session)', async ({
    page,
  }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=csrf-no-state&variant=defended')
    await expect(lab.title).toHaveText('The app refuses the planted callback: no_session')
    await expect(lab.narration).toContainText('✓ Attack blocked')
    await expect(logLine(lab, /^GET client\.example\/callback\?… 400/, 'Browser')).toHaveCount(1)
    await expect(logLine(lab, TOKEN)).toHaveCount(0)
  })

  test('code-interception, vulnerable: the attacker’s POST /token is answered 200', async ({
    page,
  }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=code-interception&variant=vulnerable')
    await expect(lab.title).toHaveText('The attacker redeemed Alice’s code')
    await expect(lab.narration).toContainText('⚠ Attack succeeded')
    await expect(lab.lane('Attacker')).toContainText('attacker.example')
    await expectRaw(lab, logLine(lab, /^POST auth\.example\/token 200/, 'Attacker'), 'access_token')
    await expect(
      page.getByRole('group', { name: 'Variant' }).getByRole('button', { name: 'Vulnerable' }),
    ).toHaveAttribute('aria-pressed', 'true')
    await lab.show('State')
    const attacker = page
      .getByRole('region', { name: 'State' })
      .getByRole('region', { name: 'Attacker' })
    await expect(attacker).toContainText('stolen access_token')
  })

  test('code-interception, defended: the attacker gets 400 invalid_grant', async ({ page }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=code-interception&variant=defended')
    await expect(lab.title).toHaveText('PKCE stops the attacker: invalid_grant')
    await expect(lab.narration).toContainText('✓ Attack blocked')
    await expectRaw(
      lab,
      logLine(lab, /^POST auth\.example\/token 400/, 'Attacker'),
      'invalid_grant',
    )
    await expect(logLine(lab, /^POST auth\.example\/token 200/, 'Client')).toHaveCount(1)
  })

  test('code-replay, vulnerable: the attacker’s replayed code is answered 200', async ({
    page,
  }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=code-replay&variant=vulnerable')
    await expect(lab.title).toHaveText('The replayed code was accepted')
    await expect(lab.narration).toContainText('⚠ Attack succeeded')
    await expectRaw(lab, logLine(lab, /^POST auth\.example\/token 200/, 'Attacker'), 'access_token')
    await expect(logLine(lab, /^POST auth\.example\/token 200/, 'Client')).toHaveCount(1)
    await expect(logLine(lab, /^GET auth\.example\/userinfo 200/, 'Client')).toHaveCount(1)
  })

  test('code-replay, defended: the second use is refused (400 invalid_grant)', async ({ page }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=code-replay&variant=defended')
    await expect(lab.title).toHaveText('Single use: the replay revoked the grant')
    await expect(lab.narration).toContainText('✓ Attack blocked')
    await expectRaw(
      lab,
      logLine(lab, /^POST auth\.example\/token 400/, 'Attacker'),
      'invalid_grant',
    )
  })

  test('redirect-uri-tampering, vulnerable: the code goes to the attacker', async ({ page }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=redirect-uri-tampering&variant=vulnerable')
    await expect(lab.title).toHaveText('The code went to the attacker')
    await expect(lab.narration).toContainText('⚠ Attack succeeded')
    await expect(
      logLine(lab, /^GET spa\.example\.attacker\.example\/callback\?… 200/, 'Browser'),
    ).toHaveCount(1)
    await expect(logLine(lab, /^POST auth\.example\/token 200/, 'Attacker')).toHaveCount(1)
  })

  test('redirect-uri-tampering, defended: the error page (400), no redirect', async ({ page }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=redirect-uri-tampering&variant=defended')
    await expect(lab.title).toHaveText('auth.example refuses the redirect_uri')
    await expect(lab.narration).toContainText('✓ Attack blocked')
    await expect(logLine(lab, /^GET auth\.example\/authorize\?… 400/, 'Browser')).toHaveCount(1)
    await lab.show('Browser')
    await expect(lab.browser).toContainText('redirect_uri')
  })

  test('expired-code: the late exchange gets 400 invalid_grant', async ({ page }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=expired-code')
    await expect(lab.title).toHaveText('The code expired: invalid_grant')
    await expectRaw(lab, logLine(lab, /^POST auth\.example\/token 400/, 'Client'), 'invalid_grant')
  })

  test('insufficient-scope: POST /photos gets 403 insufficient_scope', async ({ page }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=insufficient-scope')
    await expect(lab.title).toHaveText('The API refuses: 403 insufficient_scope')
    const post = logLine(lab, /^POST api\.example\/photos 403/, 'Client')
    await expectRaw(lab, post, 'insufficient_scope')
  })

  test('mix-up, vulnerable: the code is sent to evil-as.example, and the attacker signs in as Alice', async ({
    page,
  }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=mix-up&variant=vulnerable')
    await expect(lab.title).toHaveText('The attacker is signed in to the app as Alice')
    await expect(lab.narration).toContainText('⚠ Attack succeeded')
    // evil-as.example is drawn as a second authorization server, right of the honest one.
    const evil = lab.lane('evil-as.example')
    await expect(evil).toContainText('Authorization server (attacker’s)')
    const heads = page.getByRole('group', { name: 'Lanes' }).getByRole('group')
    await expect(heads.nth(3)).toHaveAttribute('data-role', 'attacker')
    await expect(heads.nth(2)).toHaveAttribute('data-role', 'authorization-server')
    await expectRaw(lab, logLine(lab, /^POST evil-as\.example\/token /, 'Client'), 'code=')
    await expectRaw(lab, logLine(lab, /^POST auth\.example\/token 200/, 'Client'), 'code=')
    // Alice's browser shows what happened to her: the app's error page.
    await lab.show('Browser')
    await expect(lab.browser).toContainText('Sign-in did not complete')
    await expect(lab.browser).toContainText('invalid_grant')
  })

  test('mix-up, defended: the app refuses with iss_mismatch and shows Alice its refusal page', async ({
    page,
  }) => {
    const lab = new LabPage(page)
    await runToEnd(lab, '?scenario=mix-up&variant=defended')
    await expect(lab.title).toHaveText('The app refuses: iss_mismatch')
    await expect(lab.narration).toContainText('✓ Attack blocked')
    await expect(logLine(lab, /^GET client\.example\/callback\?… 403/, 'Browser')).toHaveCount(1)
    await expect(logLine(lab, /\/token /)).toHaveCount(0)
    await lab.show('Browser')
    await expect(lab.browser).toContainText('Sign-in refused: wrong server')
    await expect(lab.browser).toContainText('iss_mismatch')
  })
})

test.describe('the scenario picker and the address', () => {
  test('picking a scenario and a variant updates the address', async ({ page }) => {
    const lab = new LabPage(page)
    await lab.open()
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('mix-up')
    await expect(lab.title).toHaveText('Ready: two authorization servers')
    // The start time stays in the address, so a link gives the same codes.
    await expect(page).toHaveURL(/\?scenario=mix-up&variant=defended&t=[^&]+$/)
    await page
      .getByRole('group', { name: 'Variant' })
      .getByRole('button', { name: 'Vulnerable' })
      .click()
    await expect(page).toHaveURL(/\?scenario=mix-up&variant=vulnerable&t=[^&]+$/)
    await lab.ready()
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('confidential')
    await expect(page).toHaveURL(/\/\?t=[^&]+$/)
  })

  test('fast-forward 11 minutes after the code is issued: the exchange fails', async ({ page }) => {
    const lab = new LabPage(page)
    await lab.open()
    // The simulated clock and its fast-forward are in the State pane.
    await lab.show('State')
    const ff = page.getByRole('group', { name: 'Fast-forward' })
    await lab.nextUntil('Alice clicks Allow')
    // Fast-forward works at any step, mid-action too.
    await expect(ff.getByRole('button', { name: '+10 min' })).toBeEnabled()
    await lab.nextUntil('Authorization code grant: redirect back with the code')
    await ff.getByRole('button', { name: '+10 min' }).click()
    await expect(lab.title).toHaveText('Time passes: 10 min')
    await ff.getByRole('button', { name: '+1 min' }).click()
    await expect(lab.title).toHaveText('Time passes: 1 min')
    await lab.ready()
    await lab.pressEnd()
    await lab.show('Log')
    await expectRaw(lab, logLine(lab, /^POST auth\.example\/token 400/, 'Client'), 'invalid_grant')
  })
})
