/**
 * The three ways to embed, in real Chromium: the iframe page and its postMessage protocol (from an
 * allowed and a disallowed origin), the web component and the React component on the demo page
 * (independent, isolated from the page's CSS both ways), and hostile parameters and attributes.
 */
import type { Frame, Page } from '@playwright/test'
import { expect, expectNoAxeViolations, LabPage, test } from './helpers.ts'

const PORT = Number(process.env.OFL_E2E_PORT ?? 4317)
const BASE = `http://127.0.0.1:${PORT}`
// Secure origins: the lab needs Web Crypto, which a frame gets only when every ancestor is secure.
const ALLOWED = 'https://docs.test'
const EVIL = 'https://evil.test'

// The parent pages below are served by Playwright (page.route) under made-up origins, which
// Chromium counts as public: without this it refuses to frame the preview server on 127.0.0.1
// (Local Network Access). A real docs site frames a real public host and never meets the check.
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-features=LocalNetworkAccessChecks',
    ],
  },
})

interface Received {
  origin: string
  data: { source?: string; type?: string; step?: number; height?: number; title?: string }
}

/**
 * Serves a parent page at `origin` that frames embed.html with `query` and records every message
 * it receives from the frame.
 */
async function openParent(page: Page, origin: string, query: string): Promise<Frame> {
  await page.route(`${origin}/**`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><title>Parent</title></head><body>
<script>
  window.received = []
  addEventListener('message', (e) => received.push({ origin: e.origin, data: e.data }))
</script>
<iframe id="lab" title="OAuth Flow Lab" style="width: 700px; height: 300px; border: 0"
  src="${BASE}/embed.html?${query}"></iframe>
</body></html>`,
    }),
  )
  await page.goto(`${origin}/`)
  const frame = page.frameLocator('#lab')
  await expect(frame.locator('.ofl-lab')).toHaveAttribute('data-complete', 'true')
  const found = page.frames().find((f) => f.url().startsWith(`${BASE}/embed.html`))
  if (!found) throw new Error('the embed frame is missing')
  return found
}

const received = (page: Page) =>
  page.evaluate(() => (window as unknown as { received: Received[] }).received)

/** Posts from the parent page into the frame. */
function post(page: Page, data: unknown) {
  return page.evaluate((d) => {
    const frame = document.getElementById('lab') as HTMLIFrameElement
    frame.contentWindow?.postMessage(d, '*')
  }, data)
}

test.describe('the iframe page', () => {
  test('opens the step, theme and controls its address asks for, with no page chrome', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 700, height: 600 })
    await page.goto('/embed.html?scenario=pkce-spa&step=4&theme=dark&controls=compact')
    const lab = new LabPage(page)
    await lab.ready()
    await lab.expectIndex(3)
    await expect(lab.root).toHaveAttribute('data-theme', 'dark')
    await expect(lab.root).toHaveAttribute('data-controls', 'compact')
    await expect(page.getByRole('heading', { level: 1 })).toHaveCount(0)
    await expect(lab.reset).toHaveCount(0)
    await expect(lab.controls.getByRole('combobox')).toHaveCount(0)
    await expect(lab.controls).toContainText(/Step 4 of \d+/)
    // Its own keyboard: arrows work once focus is inside the lab.
    await lab.next.focus()
    await page.keyboard.press('ArrowRight')
    await lab.expectIndex(4)
  })

  test('gets the narrow layout in a 700-px frame on any screen', async ({ page }) => {
    await page.setViewportSize({ width: 700, height: 600 })
    await page.goto('/embed.html?scenario=pkce-spa')
    const lab = new LabPage(page)
    await lab.ready()
    const narration = await lab.narration.boundingBox()
    const browser = await lab.browser.boundingBox()
    expect(narration && browser && browser.y > narration.y + narration.height).toBe(true)
  })

  test('has no axe violations, light and dark', async ({ page }) => {
    for (const theme of ['light', 'dark']) {
      await page.goto(`/embed.html?scenario=pkce-spa&step=4&controls=compact&theme=${theme}`)
      await new LabPage(page).ready()
      await expectNoAxeViolations(page, `on embed.html (${theme})`)
    }
  })

  test('shows hostile URL parameters as plain text and stays usable', async ({ page }) => {
    page.on('dialog', (d) => {
      throw new Error(`a dialog opened: ${d.message()}`)
    })
    const hostile = new URLSearchParams({
      scenario: '<img src=x onerror=alert(1)>',
      seed: '"><script>alert(2)</script>',
      theme: 'javascript:alert(3)',
      controls: '<b>huge</b>'.repeat(20),
      step: '4',
    })
    await page.goto(`/embed.html?${hostile}`)
    const lab = new LabPage(page)
    await lab.ready()
    const notice = page.locator('.ofl-notice-text')
    await expect(notice).toContainText('There is no scenario called “<img src=x onerror=alert(1)>”')
    await expect(page.locator('.ofl-lab img[src="x"], .ofl-lab b, .ofl-lab script')).toHaveCount(0)
    await lab.expectIndex(3)
    await lab.clickNext()
  })
})

test.describe('the iframe’s postMessage protocol', () => {
  test('tells the parent it is ready, its height and each step', async ({ page }) => {
    const frame = await openParent(page, ALLOWED, `scenario=pkce-spa&origins=${ALLOWED}`)
    await expect
      .poll(async () => (await received(page)).map((m) => m.data.type))
      .toContain('resize')
    const messages = await received(page)
    expect(messages.every((m) => m.origin === BASE && m.data.source === 'oauth-flow-lab')).toBe(
      true,
    )
    expect(messages.filter((m) => m.data.type === 'ready')).toHaveLength(1)
    const height = messages.findLast((m) => m.data.type === 'resize')?.data.height ?? 0
    const content = await frame.evaluate(() =>
      Math.ceil(document.getElementById('root')?.getBoundingClientRect().height ?? 0),
    )
    expect(height).toBe(content)
    expect(height).toBeGreaterThan(600)
    expect(messages.findLast((m) => m.data.type === 'step')?.data).toMatchObject({
      step: 1,
      scenario: 'pkce-spa',
      complete: true,
    })
  })

  test('obeys next, back and goTo from an allowed parent, and ignores malformed ones', async ({
    page,
  }) => {
    const debug: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'debug') debug.push(m.text())
    })
    const frame = await openParent(
      page,
      ALLOWED,
      `scenario=pkce-spa&origins=${ALLOWED},https://b.test`,
    )
    const lab = frame.locator('.ofl-lab')
    const lastStep = async () =>
      (await received(page)).findLast((m) => m.data.type === 'step')?.data.step
    await post(page, { source: 'oauth-flow-lab', type: 'next' })
    await expect(lab).toHaveAttribute('data-step-index', '1')
    await expect.poll(lastStep).toBe(2)
    await post(page, { source: 'oauth-flow-lab', type: 'goTo', step: 6 })
    await expect(lab).toHaveAttribute('data-step-index', '5')
    await post(page, { source: 'oauth-flow-lab', type: 'back' })
    await expect(lab).toHaveAttribute('data-step-index', '4')
    await expect.poll(lastStep).toBe(5)

    // Malformed: ignored (each one logged at debug level), and a good one after them still works.
    const bad = [
      { source: 'oauth-flow-lab', type: 'goTo', step: '9' },
      { source: 'oauth-flow-lab', type: 'goTo', step: 1e9 },
      { source: 'oauth-flow-lab', type: 'reset' },
      { source: 'other', type: 'next' },
      'next',
      { source: 'oauth-flow-lab', type: 'next', padding: 'x'.repeat(2_000_000) },
    ]
    for (const data of bad.slice(0, 5)) await post(page, data)
    await expect
      .poll(() => debug.filter((t) => t.includes(`ignored a message from ${ALLOWED}`)).length)
      .toBe(5)
    await expect(lab).toHaveAttribute('data-step-index', '4')
    // A huge payload of a good command is still just a command.
    await post(page, bad[5])
    await expect(lab).toHaveAttribute('data-step-index', '5')
  })

  test('ignores commands from a parent whose origin is not allowed, and tells it nothing', async ({
    page,
  }) => {
    const debug: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'debug') debug.push(m.text())
    })
    const frame = await openParent(page, EVIL, `scenario=pkce-spa&origins=${ALLOWED}`)
    const lab = frame.locator('.ofl-lab')
    await post(page, { source: 'oauth-flow-lab', type: 'next' })
    await post(page, { source: 'oauth-flow-lab', type: 'goTo', step: 7 })
    await expect
      .poll(() => debug.filter((t) => t.includes(`ignored a message from ${EVIL}`)).length)
      .toBe(2)
    await expect(lab).toHaveAttribute('data-step-index', '0')
    expect(await received(page)).toEqual([])
    // The lab itself still works.
    await frame.getByRole('button', { name: 'Next', exact: true }).click()
    await expect(lab).toHaveAttribute('data-step-index', '1')
  })

  test('says it needs a secure page when framed by an http page (no Web Crypto there)', async ({
    page,
  }) => {
    await page.route('http://plain.test/**', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><head><title>Plain</title></head><body>
<iframe id="lab" title="OAuth Flow Lab" src="${BASE}/embed.html"></iframe></body></html>`,
      }),
    )
    await page.goto('http://plain.test/')
    await expect(page.frameLocator('#lab').getByRole('alert')).toContainText(
      'OAuth Flow Lab needs a secure page',
    )
  })

  test('obeys nobody when the address allows no origin', async ({ page }) => {
    const debug: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'debug') debug.push(m.text())
    })
    const frame = await openParent(page, ALLOWED, 'scenario=pkce-spa&origins=*')
    await post(page, { source: 'oauth-flow-lab', type: 'next' })
    await expect.poll(() => debug.filter((t) => t.includes('ignored a message')).length).toBe(1)
    await expect(frame.locator('.ofl-lab')).toHaveAttribute('data-step-index', '0')
    // It still announces its steps (to any parent: they are public step titles).
    await expect
      .poll(async () => (await received(page)).some((m) => m.data.type === 'step'))
      .toBe(true)
  })
})

test.describe('the demo page', () => {
  const steps = (page: Page) =>
    page.evaluate(() => {
      const frame = document.getElementById('frame') as HTMLIFrameElement
      const index = (root: ParentNode | null | undefined) =>
        root?.querySelector('.ofl-lab')?.getAttribute('data-step-index') ?? null
      return {
        iframe: index(frame.contentDocument),
        a: index(document.getElementById('element-a')?.shadowRoot),
        b: index(document.getElementById('element-b')?.shadowRoot),
        react: index(document.querySelector('#react-lab [data-oauth-flow-lab]')?.shadowRoot),
      }
    })

  async function openDemo(page: Page) {
    await page.goto('/demo.html')
    for (const root of [
      page.frameLocator('#frame').locator('.ofl-lab'),
      page.locator('#element-a .ofl-lab'),
      page.locator('#element-b .ofl-lab'),
      page.locator('#react-lab .ofl-lab'),
    ])
      await expect(root).toHaveAttribute('data-complete', 'true')
  }

  test('runs the three embeds (four labs) independently', async ({ page }) => {
    await openDemo(page)
    expect(await steps(page)).toEqual({ iframe: '0', a: '0', b: '2', react: '0' })
    await expect(page.locator('#element-a .ofl-lab')).toHaveAttribute('data-theme', 'system')

    await page.locator('#element-a').getByRole('button', { name: 'Next', exact: true }).click()
    await expect(page.locator('#element-a .ofl-lab')).toHaveAttribute('data-step-index', '1')
    expect(await steps(page)).toEqual({ iframe: '0', a: '1', b: '2', react: '0' })

    // The demo page's own buttons drive the iframe through postMessage; its answers come back.
    await page.getByRole('button', { name: 'Next', exact: true }).first().click()
    await expect(page.frameLocator('#frame').locator('.ofl-lab')).toHaveAttribute(
      'data-step-index',
      '1',
    )
    await expect(page.locator('#frame-status')).toHaveAttribute('data-step', '2')
    await page.locator('#frame-step').fill('5')
    await page.getByRole('button', { name: 'Go to step' }).click()
    await expect(page.frameLocator('#frame').locator('.ofl-lab')).toHaveAttribute(
      'data-step-index',
      '4',
    )

    await page.locator('#react-lab').getByRole('button', { name: 'Next', exact: true }).click()
    await expect(page.locator('#react-lab .ofl-lab')).toHaveAttribute('data-step-index', '1')
    await page.locator('#element-b').getByRole('button', { name: 'Back', exact: true }).click()
    await expect(page.locator('#element-b .ofl-lab')).toHaveAttribute('data-step-index', '1')
    expect(await steps(page)).toEqual({ iframe: '4', a: '1', b: '1', react: '1' })
    // The iframe was resized to its lab.
    const frameHeight = await page
      .locator('#frame')
      .evaluate((f) => f.getBoundingClientRect().height)
    expect(frameHeight).toBeGreaterThan(700)
  })

  test('keeps the host page’s CSS out of the labs and the labs’ CSS out of the page', async ({
    page,
  }) => {
    await openDemo(page)
    const inside = await page.evaluate(() => {
      const shadow = document.getElementById('element-a')?.shadowRoot
      const next = shadow?.querySelector('.ofl-controls-next')
      const title = shadow?.querySelector('.ofl-narration h3')
      const root = shadow?.querySelector('.ofl-lab')
      if (!next || !title || !root) return null
      const n = getComputedStyle(next)
      return {
        buttonColor: n.color,
        buttonBorder: n.borderTopStyle,
        buttonMinHeight: n.minHeight,
        titleDisplay: getComputedStyle(title).display,
        font: getComputedStyle(root).fontFamily,
        letterSpacing: getComputedStyle(root).letterSpacing,
      }
    })
    expect(inside).not.toBeNull()
    expect(inside?.buttonColor).not.toBe('rgb(176, 0, 0)')
    expect(inside?.buttonBorder).toBe('solid')
    expect(inside?.buttonMinHeight).not.toBe('0px')
    expect(inside?.titleDisplay).toBe('block')
    expect(inside?.font).toMatch(/^system-ui/)
    expect(inside?.letterSpacing).toBe('normal')
    // The hostile CSS is there, on the page's own elements.
    expect(
      await page
        .locator('#element-demo > p')
        .first()
        .evaluate((p) => getComputedStyle(p).fontFamily),
    ).toBe('serif')

    // The lab's class names on a page element get none of the lab's CSS.
    const probe = await page.locator('#leak-probe').evaluate((p) => {
      const s = getComputedStyle(p)
      return {
        radius: s.borderTopLeftRadius,
        border: s.borderTopStyle,
        background: s.backgroundColor,
      }
    })
    expect(probe).toEqual({ radius: '0px', border: 'none', background: 'rgba(0, 0, 0, 0)' })
    // No stylesheet of the lab in the page's document (they are adopted by the shadow roots).
    expect(await page.evaluate(() => document.adoptedStyleSheets.length)).toBe(0)
    expect(await page.locator('head style').count()).toBe(0)
    const adopted = await page.evaluate(() => {
      const a = document.getElementById('element-a')?.shadowRoot?.adoptedStyleSheets ?? []
      const b = document.getElementById('element-b')?.shadowRoot?.adoptedStyleSheets ?? []
      return { count: a.length, shared: a.length > 0 && a[0] === b[0] }
    })
    expect(adopted).toEqual({ count: 1, shared: true })
  })

  test('has no axe violations', async ({ page }) => {
    await openDemo(page)
    await expectNoAxeViolations(page, 'on the demo page')
  })
})

test.describe('the web component', () => {
  test('shows hostile attributes as plain text, runs nothing, and stays usable', async ({
    page,
  }) => {
    page.on('dialog', (d) => {
      throw new Error(`a dialog opened: ${d.message()}`)
    })
    await page.route(`${BASE}/hostile-host.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><head><title>Hostile host</title>
<script type="module" src="/oauth-flow-lab.js"></script></head><body><main>
<oauth-flow-lab id="markup" scenario="&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;"
  seed="&quot;&gt;&lt;script&gt;window.pwned=2&lt;/script&gt;" theme="dark"></oauth-flow-lab>
<oauth-flow-lab id="range" scenario="pkce-spa" step="500"></oauth-flow-lab>
<oauth-flow-lab id="huge"></oauth-flow-lab>
</main></body></html>`,
      }),
    )
    await page.goto('/hostile-host.html')
    await page.locator('#huge').evaluate((el) => {
      el.setAttribute('scope', 'x'.repeat(200_000))
      el.setAttribute('step', '-1')
    })
    const notice = (id: string) => page.locator(`#${id} .ofl-notice-text`)
    await expect(notice('markup')).toContainText(
      'There is no scenario called “<img src=x onerror="window.pwned=1">”',
    )
    await expect(notice('range')).toContainText('there is no step 500')
    await expect(notice('huge')).toContainText('The scope “xxxx')
    await expect(notice('huge')).toContainText('is not a step number')
    expect(await page.evaluate(() => 'pwned' in window)).toBe(false)
    expect(
      await page
        .locator('#markup')
        .evaluate((el) => el.shadowRoot?.querySelectorAll('img, script').length),
    ).toBe(0)
    // Each still runs its flow: Next works.
    for (const id of ['markup', 'range', 'huge']) {
      const root = page.locator(`#${id} .ofl-lab`)
      await expect(root).toHaveAttribute('data-complete', 'true')
      await page.locator(`#${id}`).getByRole('button', { name: 'Next', exact: true }).click()
      await expect(root).toHaveAttribute('data-step-index', '1')
    }
  })
})
