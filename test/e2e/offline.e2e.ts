/**
 * The offline single file (`npm run build` → `$OFL_DIST/oauth-flow-lab-offline.html`), opened from
 * disk (file://) in real Chromium with the network cut: the default flow runs to its end, a
 * scenario picked in the page runs (and the address follows it), a JWT in the log is decoded and
 * its signature checked with crypto.subtle, and presentation mode works. Nothing is requested
 * but the file itself, and no console error is logged (the `test` fixture fails on any).
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { expect, LabPage, test } from './helpers.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const FILE = resolve(ROOT, process.env.OFL_DIST ?? 'dist', 'oauth-flow-lab-offline.html')
const URL_OF_FILE = pathToFileURL(FILE).href

test.describe('the offline file, opened from disk with no network', () => {
  let requested: string[] = []

  test.beforeEach(async ({ context }) => {
    expect(existsSync(FILE), `${FILE} exists (npm run build makes it)`).toBe(true)
    requested = []
    // Anything but the file itself is recorded and refused; the browser is offline too.
    await context.route('**/*', (route) => {
      const url = route.request().url()
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue()
      requested.push(url)
      return route.abort('internetdisconnected')
    })
    await context.setOffline(true)
  })

  test.afterEach(() => {
    expect(requested, 'requests other than the file').toEqual([])
  })

  test('runs the default flow to its end', async ({ page }) => {
    const files: string[] = []
    page.on('request', (r) => files.push(r.url()))
    await page.goto(URL_OF_FILE)
    expect(await page.evaluate(() => window.isSecureContext && 'subtle' in crypto)).toBe(true)
    const lab = new LabPage(page)
    await lab.ready()
    await expect(lab.title).toHaveText('Ready: a web app with a server of its own')
    // Share is there (a link to this file's step); Embed is not: nothing beside the file to embed.
    await expect(page.getByRole('button', { name: 'Share' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Embed' })).toHaveCount(0)
    const titles = await lab.nextToEnd()
    expect(titles.at(-1)).toBe('The flow is complete')
    await expect(lab.narration).toContainText('✓ Completed')
    // One document, nothing else: no script, style, font, image or module request.
    expect(files.filter((u) => !u.startsWith('data:'))).toEqual([URL_OF_FILE])
    // The address follows the step (history.replaceState on file://), without an error.
    await expect
      .poll(() => new URL(page.url()).searchParams.get('step'))
      .toBe(String(titles.length))
    expect(page.url().startsWith(URL_OF_FILE)).toBe(true)
  })

  test('runs a scenario picked in the page, and the address follows it', async ({ page }) => {
    await page.goto(URL_OF_FILE)
    const lab = new LabPage(page)
    await lab.ready()
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('pkce-spa')
    await expect(lab.lane('Client')).toContainText('spa.example')
    await lab.ready()
    await lab.pressEnd()
    await expect(lab.title).toHaveText('The SPA signed in without a secret')
    await expect(lab.narration).toContainText('✓ Completed')
    await expect.poll(() => new URL(page.url()).searchParams.get('scenario')).toBe('pkce-spa')

    // Opening that address from disk again opens the same scenario.
    await page.goto(page.url())
    await lab.ready()
    await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('pkce-spa')
  })

  test('decodes a JWT in the HTTP log and checks its signature', async ({ page }) => {
    await page.goto(URL_OF_FILE)
    const lab = new LabPage(page)
    await lab.ready()
    await lab.nextUntil('Token response')
    await lab.show('Log')
    const line = lab.logEntries
      .getByRole('button', { name: /^POST auth\.example\/token 200/ })
      .first()
    await line.click()
    await expect(line).toHaveAttribute('aria-expanded', 'true')
    const access = page.getByRole('article', {
      name: 'Access token in the response, JSON field access_token',
    })
    await expect(access).toBeVisible()
    await expect(access.getByText(/Signature valid \(kid /)).toBeVisible()
    await expect(access.getByText('https://api.example', { exact: true })).toBeVisible()
    await expect(access).toContainText('RS256')
  })

  test('presents: the stage without the title bar, stepped with Page Down', async ({ page }) => {
    await page.goto(URL_OF_FILE)
    const lab = new LabPage(page)
    await lab.ready()
    await page.keyboard.press('p')
    await expect(lab.root).toHaveAttribute('data-presenting', 'true')
    await expect(page.getByRole('combobox', { name: 'Scenario' })).toBeHidden()
    await expect(page.getByRole('tablist', { name: 'Panes' })).toBeVisible()
    await page.keyboard.press('PageDown')
    await lab.expectIndex(1)
    await page.keyboard.press('Escape')
    await expect(lab.root).toHaveAttribute('data-presenting', 'false')
  })
})
