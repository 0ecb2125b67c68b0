/**
 * The prerendered first step (scripts/build.ts): index.html and embed.html carry their default
 * link's first step as HTML, which React hydrates without a mismatch; any other link renders
 * afresh, without errors either. `test` fails on any console error, and a hydration mismatch is
 * one (`OFL_HYDRATION_MISMATCH`, from onRecoverableError), besides marking the root.
 */
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Page } from '@playwright/test'
import { expect, LabPage, test } from './helpers.ts'

// The policy docs/embedding.md gives to hosts (see csp.e2e.ts): the browser refuses inline script
// and style, and says so in a console error, which fails the test.
const POLICY = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'"

/** Serves every document under the policy. */
async function underPolicy(page: Page) {
  await page.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.continue()
    const response = await route.fetch()
    await route.fulfill({
      response,
      headers: { ...response.headers(), 'content-security-policy': POLICY },
    })
  })
}

const PAGES = [
  { name: 'the page', path: '/', title: 'Ready: a web app with a server of its own' },
  { name: 'embed.html', path: '/embed.html', title: 'Ready: a web app with a server of its own' },
] as const

for (const { name, path, title } of PAGES) {
  test(`${name}: the first step is in the HTML before any script runs`, async ({ request }) => {
    const response = await request.get(path)
    expect(response.ok()).toBe(true)
    const html = await response.text()
    const root = /<div id="root" data-ofl-prerendered="[^"]*">([\s\S]*)<\/div>\s*<\/body>/.exec(
      html,
    )
    expect(root, 'a prerendered root').not.toBeNull()
    expect(root![1]).toContain(title)
    // Both forms, wide then narrow.
    expect(root![1]).toMatch(/data-form="wide"[\s\S]*data-form="narrow"/)
    // A strict CSP refuses inline styles in markup; nothing of the moment is in it.
    expect(root![1]).not.toMatch(/\sstyle="/)
    expect(root![1]).not.toMatch(/\b20\d\d-\d\d-\d\d|\d\d:\d\d:\d\d UTC/)
  })

  for (const viewport of [
    { width: 1366, height: 768 },
    { width: 390, height: 844 },
  ]) {
    test(`${name} at ${viewport.width}px: hydrates the prerendered step, no mismatch`, async ({
      page,
    }) => {
      await page.setViewportSize(viewport)
      await underPolicy(page)
      const lab = new LabPage(page)
      await page.goto(path)
      const root = page.locator('#root')
      await expect(root).toHaveAttribute('data-ofl-render', 'hydrate')
      await expect(lab.root).toHaveCount(1)
      await expect(lab.root).toHaveAttribute('data-form', viewport.width >= 900 ? 'wide' : 'narrow')
      await lab.ready()
      await expect(root).not.toHaveAttribute('data-ofl-hydration', /./)
      if (viewport.width >= 900) await expect(lab.title).toHaveText(title)
      // It works: the world has loaded into the hydrated markup.
      await lab.clickNext()
      await expect(lab.root).toHaveAttribute('data-step-index', '1')
    })
  }

  test(`${name}: another link renders afresh, without errors`, async ({ page }) => {
    await underPolicy(page)
    const lab = new LabPage(page)
    await page.goto(`${path}?scenario=pkce-spa&step=2&theme=dark`)
    await expect(page.locator('#root')).toHaveAttribute('data-ofl-render', 'render')
    await lab.ready()
    await expect(lab.root).toHaveCount(1)
    await expect(lab.root).toHaveAttribute('data-step-index', '1')
    await expect(lab.root).toHaveAttribute('data-theme', 'dark')
  })
}

test('the offline file, opened from disk, hydrates its own prerendered step (no Embed)', async ({
  page,
}) => {
  const root = fileURLToPath(new URL('../../', import.meta.url))
  const file = resolve(root, process.env.OFL_DIST ?? 'dist', 'oauth-flow-lab-offline.html')
  await page.setViewportSize({ width: 1366, height: 768 })
  await page.goto(pathToFileURL(file).href)
  const lab = new LabPage(page)
  await expect(page.locator('#root')).toHaveAttribute('data-ofl-render', 'hydrate')
  await lab.ready()
  await expect(page.locator('#root')).not.toHaveAttribute('data-ofl-hydration', /./)
  await expect(lab.title).toHaveText('Ready: a web app with a server of its own')
  await expect(page.getByRole('button', { name: 'Embed' })).toHaveCount(0)
})

test('the page under the policy with scripts off: the markup alone makes no violation', async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  await underPolicy(page)
  const refused: string[] = []
  page.on('console', (m) => refused.push(m.text()))
  for (const path of ['/', '/embed.html']) {
    await page.goto(path)
    await expect(page.locator('.ofl-lab:visible')).toHaveCount(1)
  }
  expect(refused).toEqual([])
  await context.close()
})

test('the prerendered page looks like the hydrated one: nothing moves when it hydrates', async ({
  browser,
}) => {
  for (const viewport of [
    { width: 1366, height: 768 },
    { width: 390, height: 844 },
  ]) {
    const boxes: Record<string, unknown>[] = []
    for (const javaScriptEnabled of [false, true]) {
      const context = await browser.newContext({ viewport, javaScriptEnabled })
      const page = await context.newPage()
      await page.goto('/')
      // The lab's controls and narration, where the learner looks first.
      const visible = page.locator('.ofl-lab:visible')
      await expect(visible).toHaveCount(1)
      if (javaScriptEnabled) await expect(visible).toHaveAttribute('data-ready', 'true')
      boxes.push(
        await visible.evaluate((lab) => {
          const box = (sel: string) => {
            const r = lab.querySelector(sel)?.getBoundingClientRect()
            return r ? [r.x, r.y, r.width, r.height].map(Math.round) : null
          }
          return {
            form: lab.getAttribute('data-form'),
            controls: box('.ofl-controls'),
            layout: box('.ofl-layout'),
            header: box('.ofl-header'),
          }
        }),
      )
      await context.close()
    }
    expect(boxes[1], `at ${viewport.width}px`).toEqual(boxes[0])
  }
})
