/**
 * Presentation mode in real Chromium: the lab goes full screen with the stage in large type
 * (diagram, narration, inspector, controls; no title bar), a clicker's Page Down / Page Up step from wherever focus is, Escape or
 * leaving full screen ends it, a frame that may not go full screen still gets the layout, it
 * reads at projector and phone sizes, and axe finds nothing in it, light or dark.
 */
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Locator, Page } from '@playwright/test'
import { expect, expectNoAxeViolations, LabPage, settle, test } from './helpers.ts'

const TOKEN_REQUEST = 'Token request on the back channel'

function presentButton(lab: LabPage): Locator {
  return lab.controls.getByRole('button', { name: 'Present', exact: true })
}

const fullscreenClass = (page: Page) =>
  page.evaluate(() => document.fullscreenElement?.className ?? null)

/** The whole stage is on screen — diagram, narration, inspector, controls — and the title bar is not. */
async function expectStageOnly(lab: LabPage) {
  const { page } = lab
  await expect(lab.root).toHaveAttribute('data-presenting', 'true')
  // A phone shows one pane at a time: the story, until another tab is picked.
  if ((await lab.root.getAttribute('data-form')) === 'wide') {
    await expect(page.getByRole('group', { name: 'Lanes' })).toBeVisible()
    await expect(page.getByRole('region', { name: 'Sequence diagram' })).toBeVisible()
  }
  await expect(lab.narration).toBeVisible()
  await expect(page.getByRole('tablist', { name: 'Panes' })).toBeVisible()
  await expect(lab.controls).toBeVisible()
  await expect(lab.next).toBeInViewport({ ratio: 1 })
  await expect(page.getByRole('heading', { level: 1 })).toBeHidden()
  // It fills the viewport (or the screen: headless full screen keeps the viewport's size).
  const box = await lab.root.boundingBox()
  const viewport = page.viewportSize()
  expect(box).toEqual({ x: 0, y: 0, width: viewport?.width, height: viewport?.height })
}

test.describe('presentation mode', () => {
  test('Present goes full screen with the stage only; Page Down / Page Up step; Escape leaves', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1920, height: 1080 })
    const lab = new LabPage(page)
    await lab.open()
    const present = presentButton(lab)
    await expect(present).toHaveAttribute('aria-pressed', 'false')
    await expect(lab.root).toHaveAttribute('data-presenting', 'false')

    await present.click()
    await expect(present).toHaveAttribute('aria-pressed', 'true')
    await expect.poll(() => fullscreenClass(page)).toContain('ofl-lab')
    await expectStageOnly(lab)
    await expect(page.getByTestId('presentation-status')).toContainText('Presentation mode')
    // Type a room can read: well above the page's own size.
    const size = await lab.title.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
    expect(size).toBeGreaterThanOrEqual(40)

    // A clicker: Page Down / Page Up, with focus still on the Present button.
    await expect(present).toBeFocused()
    await page.keyboard.press('PageDown')
    await lab.expectIndex(1)
    await page.keyboard.press('PageDown')
    await page.keyboard.press('PageDown')
    await lab.expectIndex(3)
    await page.keyboard.press('PageUp')
    await lab.expectIndex(2)
    await expect(lab.announcer).toContainText('Step 3 of')

    // From the scrubber too (where Page Down would otherwise jump several steps).
    await lab.controls.getByRole('slider', { name: 'Step' }).focus()
    await page.keyboard.press('PageDown')
    await lab.expectIndex(3)

    await page.keyboard.press('Escape')
    await expect(lab.root).toHaveAttribute('data-presenting', 'false')
    await expect.poll(() => fullscreenClass(page)).toBeNull()
    await expect(present).toHaveAttribute('aria-pressed', 'false')
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
    await expect(page.getByTestId('presentation-status')).toContainText('off')
    await lab.expectIndex(3)
  })

  test('P enters and leaves; leaving full screen by the browser leaves the mode', async ({
    page,
  }) => {
    const lab = new LabPage(page)
    await lab.open()
    await page.keyboard.press('p')
    await expect.poll(() => fullscreenClass(page)).toContain('ofl-lab')
    await expectStageOnly(lab)
    await page.keyboard.press('p')
    await expect(lab.root).toHaveAttribute('data-presenting', 'false')
    await expect.poll(() => fullscreenClass(page)).toBeNull()

    await page.keyboard.press('p')
    await expect.poll(() => fullscreenClass(page)).toContain('ofl-lab')
    // What Esc or the browser's own "exit full screen" does.
    await page.evaluate(() => document.exitFullscreen())
    await expect(lab.root).toHaveAttribute('data-presenting', 'false')
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
  })

  test('the message is on the stage, and the inspector shows it formatted', async ({ page }) => {
    await page.setViewportSize({ width: 1366, height: 768 })
    const lab = new LabPage(page)
    await lab.open()
    await lab.nextUntil(TOKEN_REQUEST)
    await presentButton(lab).click()
    await expectStageOnly(lab)
    await expect(
      page.getByRole('list', { name: 'Messages so far' }).locator('li[data-current="true"]'),
    ).toContainText('POST /token')
    await expect(page.getByRole('region', { name: 'Message' })).toContainText('grant_type')
    await expect(lab.title).toHaveText(TOKEN_REQUEST)
    await expect(lab.lane('Authorization Server')).toBeVisible()
  })

  test('in a frame that may not go full screen, the layout still fills the frame', async ({
    page,
    baseURL,
  }) => {
    // A host page frames the lab with full screen denied: what a cross-origin frame without
    // allow="fullscreen" gets (the policy here says so explicitly, on one origin).
    await page.route('**/host.html', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><title>Host</title><iframe title="OAuth Flow Lab" src="${baseURL}/" allow="fullscreen 'none'" style="width:900px;height:600px;border:0"></iframe></html>`,
      }),
    )
    await page.goto('/host.html')
    const frame = page.frameLocator('iframe')
    const root = frame.locator('.ofl-lab')
    await expect(root).toHaveAttribute('data-complete', 'true')
    const present = frame.getByRole('region', { name: 'Controls' }).getByRole('button', {
      name: 'Present',
      exact: true,
    })
    await present.click()
    await expect(root).toHaveAttribute('data-presenting', 'true')
    const inFrame = await root.evaluate((el) => ({
      enabled: document.fullscreenEnabled,
      fullscreen: document.fullscreenElement !== null,
      box: el.getBoundingClientRect().toJSON() as DOMRect,
      viewport: { width: innerWidth, height: innerHeight },
    }))
    expect(inFrame.enabled).toBe(false)
    expect(inFrame.fullscreen).toBe(false)
    expect(inFrame.box).toMatchObject({ x: 0, y: 0, ...inFrame.viewport })
    await expect(frame.getByRole('heading', { level: 1 })).toBeHidden()
    await present.press('PageDown')
    await expect(root).toHaveAttribute('data-step-index', '1')
    await present.press('Escape')
    await expect(root).toHaveAttribute('data-presenting', 'false')
  })

  test.describe('reduced motion', () => {
    test.use({ reducedMotion: 'reduce' })
    test('the message is drawn still on the stage', async ({ page }) => {
      const lab = new LabPage(page)
      await lab.open()
      await lab.nextUntil(TOKEN_REQUEST)
      await page.keyboard.press('p')
      await expectStageOnly(lab)
      const rows = page.getByRole('list', { name: 'Messages so far' })
      await expect(rows.locator('li[data-current="true"]')).toContainText('POST /token')
      await page.keyboard.press('PageDown')
      await lab.expectIndex(await lab.index())
      // Nothing on the stage is animated: no Web Animation at all under reduced motion.
      expect(await rows.evaluate((el) => el.getAnimations({ subtree: true }).length)).toBe(0)
    })
  })
})

test.describe('presentation mode: accessibility (axe) and sizes', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    test.describe(colorScheme, () => {
      test.use({ colorScheme })
      test(`no axe violations in presentation mode (${colorScheme})`, async ({ page }) => {
        const lab = new LabPage(page)
        await lab.open()
        await presentButton(lab).click()
        await expectStageOnly(lab)
        await expectNoAxeViolations(page, `presentation mode, start (${colorScheme})`)
        await lab.nextUntil(TOKEN_REQUEST)
        await expectNoAxeViolations(page, `presentation mode, token request (${colorScheme})`)
        await lab.nextToEnd()
        await expectNoAxeViolations(page, `presentation mode, end (${colorScheme})`)
      })
    })
  }

  const SHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url))
  const SIZES = [
    { width: 1920, height: 1080 },
    { width: 1366, height: 768 },
    { width: 390, height: 844 },
  ]
  for (const size of SIZES) {
    test(`${size.width}×${size.height}: no horizontal overflow, Next in view, screenshots`, async ({
      page,
    }) => {
      mkdirSync(SHOTS, { recursive: true })
      await page.setViewportSize(size)
      const lab = new LabPage(page)
      await lab.open()
      await lab.nextUntil(TOKEN_REQUEST)
      await presentButton(lab).click()
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme })
        await expectStageOnly(lab)
        await settle(page)
        await page.screenshot({
          path: `${SHOTS}present-${size.width}x${size.height}-${scheme}.png`,
        })
        const widths = await lab.root.evaluate((el) => ({
          scroll: el.scrollWidth,
          client: el.clientWidth,
        }))
        expect(widths.scroll, `stage width at ${size.width}×${size.height} ${scheme}`).toBe(
          widths.client,
        )
      }
    })
  }
})
