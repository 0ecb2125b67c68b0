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
    // No page chrome: the level-one heading is for screen readers only, and no scenario picker.
    await expect(page.getByRole('heading', { level: 1 })).toHaveClass('ofl-visually-hidden')
    await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveCount(0)
    await expect(lab.reset).toHaveCount(0)
    await expect(lab.controls.getByRole('combobox')).toHaveCount(0)
    await expect(lab.controls).toContainText(/Step 4 of \d+/)
    // Its own keyboard: arrows work once focus is inside the lab.
    await lab.next.focus()
    await page.keyboard.press('ArrowRight')
    await lab.expectIndex(4)
  })

  test('gets the narrow layout in a 700-px frame on any screen: one pane at a time, by tabs', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 700, height: 600 })
    await page.goto('/embed.html?scenario=pkce-spa')
    const lab = new LabPage(page)
    await lab.ready()
    await expect(lab.root).toHaveAttribute('data-form', 'narrow')
    const tabs = page.getByRole('tablist', { name: 'Panes' }).getByRole('tab')
    await expect(tabs).toHaveText(['Story', 'Diagram', 'Message', 'Browser'])
    const narration = await lab.narration.boundingBox()
    await lab.show('Browser')
    await expect(lab.narration).toBeHidden()
    const browser = await lab.browser.boundingBox()
    // The browser takes the story's place, above the tabs and the controls.
    expect(browser?.y).toBe(narration?.y)
    const bar = await lab.controls.boundingBox()
    expect(browser && bar && browser.y + browser.height <= bar.y).toBe(true)
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
  test('tells the parent it is ready and each step, and nothing of its height', async ({
    page,
  }) => {
    const frame = await openParent(page, ALLOWED, `scenario=pkce-spa&origins=${ALLOWED}`)
    await expect.poll(async () => (await received(page)).map((m) => m.data.type)).toContain('step')
    const messages = await received(page)
    expect(messages.every((m) => m.origin === BASE && m.data.source === 'oauth-flow-lab')).toBe(
      true,
    )
    expect(messages.filter((m) => m.data.type === 'ready')).toHaveLength(1)
    expect(messages.findLast((m) => m.data.type === 'step')?.data).toMatchObject({
      step: 1,
      scenario: 'pkce-spa',
      complete: true,
    })
    // The lab fills the 300-px frame it was given: nothing to ask the parent for.
    const sizes = await frame.evaluate(() => ({
      viewport: innerHeight,
      embedded: Math.round(
        document.querySelector('.ofl-embedded')?.getBoundingClientRect().height ?? 0,
      ),
      scroll: document.scrollingElement?.scrollHeight ?? 0,
    }))
    expect(sizes).toEqual({ viewport: 300, embedded: 300, scroll: 300 })
    expect((await received(page)).filter((m) => m.data.type === 'resize')).toEqual([])
  })

  test('with height=auto, tells the parent its natural height, then only real changes', async ({
    page,
  }) => {
    const frame = await openParent(
      page,
      ALLOWED,
      `scenario=pkce-spa&height=auto&origins=${ALLOWED}`,
    )
    const resizes = async () => (await received(page)).filter((m) => m.data.type === 'resize')
    await expect.poll(async () => (await resizes()).length).toBeGreaterThan(0)
    const content = () =>
      frame.evaluate(() =>
        Math.ceil(document.getElementById('root')?.getBoundingClientRect().height ?? 0),
      )
    await expect.poll(async () => (await resizes()).at(-1)?.data.height).toBe(await content())
    await expect(frame.locator('.ofl-lab')).toHaveAttribute('data-fill', 'false')
    // A new width (the page's column) is a real change: one more message, with the new height.
    await page.locator('#lab').evaluate((f) => ((f as HTMLElement).style.width = '420px'))
    await expect.poll(async () => (await resizes()).at(-1)?.data.height).toBe(await content())
  })

  test('obeys setTheme from an allowed parent, and ignores a bad theme', async ({ page }) => {
    const frame = await openParent(page, ALLOWED, `scenario=pkce-spa&origins=${ALLOWED}`)
    const lab = frame.locator('.ofl-lab')
    await expect(lab).toHaveAttribute('data-theme', 'system')
    await post(page, { source: 'oauth-flow-lab', type: 'setTheme', theme: 'dark' })
    await expect(lab).toHaveAttribute('data-theme', 'dark')
    await post(page, { source: 'oauth-flow-lab', type: 'setTheme', theme: '<b>light</b>' })
    await post(page, { source: 'oauth-flow-lab', type: 'setTheme', theme: 'light' })
    await expect(lab).toHaveAttribute('data-theme', 'light')
    await post(page, { source: 'oauth-flow-lab', type: 'setTheme', theme: 'system' })
    await expect(lab).toHaveAttribute('data-theme', 'system')
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

  test('obeys nobody and tells nobody when the address allows no origin, and says why', async ({ page }) => {
    const debug: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'debug') debug.push(m.text())
    })
    const frame = await openParent(page, ALLOWED, 'scenario=pkce-spa&origins=*')
    await post(page, { source: 'oauth-flow-lab', type: 'next' })
    await expect.poll(() => debug.filter((t) => t.includes('ignored a message')).length).toBe(1)
    await expect(frame.locator('.ofl-lab')).toHaveAttribute('data-step-index', '0')
    // It tells no page its steps (origins=* is not widened to anywhere), and says why.
    await expect(frame.getByRole('status').filter({ hasText: 'origins' })).toContainText(
      'The origins parameter (“*”) names no origin this lab can use',
    )
    await frame.getByRole('button', { name: 'Next' }).click()
    await expect(frame.locator('.ofl-lab')).toHaveAttribute('data-step-index', '1')
    expect(await received(page)).toEqual([])
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
    // The iframe keeps the height the page gave it (no height=auto): the lab fills it.
    const heights = await page.locator('#frame').evaluate((f) => ({
      frame: (f as HTMLIFrameElement).clientHeight,
      lab: Math.round(
        (f as HTMLIFrameElement).contentDocument
          ?.querySelector('.ofl-embedded')
          ?.getBoundingClientRect().height ?? 0,
      ),
    }))
    expect(heights.lab).toBe(heights.frame)
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
    // Four copies of one widget on a page name their parts alike (Controls, Narration): a
    // best-practice rule for landmarks that one page has once. Every other rule applies.
    await expectNoAxeViolations(page, 'on the demo page', ['landmark-unique'])
  })
})

test.describe('the web component', () => {
  test('the last step attribute set wins, even when an earlier one waits for its step', async ({
    page,
  }) => {
    await page.goto('/demo.html')
    // Both set before the new lab's run is computed that far: step 25 would come later than step 3.
    await page.evaluate(() => {
      const el = document.createElement('oauth-flow-lab')
      el.id = 'race'
      el.setAttribute('scenario', 'confidential')
      document.body.append(el)
      setTimeout(() => el.setAttribute('step', '25'), 10)
      setTimeout(() => el.setAttribute('step', '3'), 60)
    })
    const lab = page.locator('#race .ofl-lab')
    await expect(lab).toHaveAttribute('data-complete', 'true')
    await expect(lab).toHaveAttribute('data-step-index', '2')
    // And it stays there: the earlier command does not land late.
    await page.waitForTimeout(300)
    await expect(lab).toHaveAttribute('data-step-index', '2')
  })

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

test.describe('the web component’s height', () => {
  test('is 500 px when the page sets none, fills the height the page sets, or takes the lab’s with height="auto"', async ({
    page,
  }) => {
    await page.route(`${BASE}/heights.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><head><title>Heights</title>
<style>#sized { height: 320px }</style>
<script type="module" src="/oauth-flow-lab.js"></script></head><body><main>
<oauth-flow-lab id="plain" scenario="oidc" controls="compact"></oauth-flow-lab>
<oauth-flow-lab id="sized" scenario="oidc" controls="compact"></oauth-flow-lab>
<oauth-flow-lab id="auto" scenario="oidc" controls="compact" height="auto"></oauth-flow-lab>
</main></body></html>`,
      }),
    )
    await page.setViewportSize({ width: 800, height: 900 })
    await page.goto('/heights.html')
    const size = (id: string) =>
      page.locator(`#${id}`).evaluate((el) => ({
        host: Math.round(el.getBoundingClientRect().height),
        box: Math.round(
          el.shadowRoot?.querySelector('.ofl-embedded')?.getBoundingClientRect().height ?? 0,
        ),
        lab: Math.round(el.shadowRoot?.querySelector('.ofl-lab')?.scrollHeight ?? 0),
      }))
    for (const id of ['plain', 'sized', 'auto'])
      await expect(page.locator(`#${id} .ofl-lab`)).toHaveAttribute('data-complete', 'true')
    expect(await size('plain')).toMatchObject({ host: 500, box: 500 })
    expect(await size('sized')).toMatchObject({ host: 320, box: 320 })
    const auto = await size('auto')
    expect(auto.host).toBe(auto.box)
    expect(auto.host).toBe(auto.lab)
    await expect(page.locator('#auto .ofl-lab')).toHaveAttribute('data-fill', 'false')
    await expect(page.locator('#plain .ofl-lab')).toHaveAttribute('data-fill', 'true')
  })
})

test.describe('theme=system', () => {
  test('follows the reader’s colour scheme as it changes, in the iframe and the web component', async ({
    page,
  }) => {
    await page.route(`${BASE}/themes.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><head><title>Themes</title>
<script type="module" src="/oauth-flow-lab.js"></script></head><body><main>
<oauth-flow-lab id="el" scenario="oidc" theme="system"></oauth-flow-lab>
<iframe id="lab" title="OAuth Flow Lab" style="width: 700px; height: 500px; border: 0"
  src="/embed.html?scenario=oidc&theme=system"></iframe>
</main></body></html>`,
      }),
    )
    await page.emulateMedia({ colorScheme: 'light' })
    await page.goto('/themes.html')
    const roots = [page.locator('#el .ofl-lab'), page.frameLocator('#lab').locator('.ofl-lab')]
    for (const root of roots) await expect(root).toHaveAttribute('data-complete', 'true')
    const schemes = () =>
      Promise.all(roots.map((r) => r.evaluate((el) => getComputedStyle(el).colorScheme)))
    expect(await schemes()).toEqual(['light', 'light'])
    await page.emulateMedia({ colorScheme: 'dark' })
    await expect.poll(schemes).toEqual(['dark', 'dark'])
    await page.emulateMedia({ colorScheme: 'light' })
    await expect.poll(schemes).toEqual(['light', 'light'])
  })
})

/**
 * A docs page with two frames of the sizes embeds really get (a 700×500 figure in a column, a
 * 390×600 phone), each walked to its end with Next: Next is in view in the frame at every step
 * (not scrolled to: checked before it is pressed), and the page hears nothing of any height.
 */
test.describe('a walk through every step, in 700×500 and 390×600 frames', () => {
  const SIZES = [
    { id: 'wide', width: 700, height: 500 },
    { id: 'phone', width: 390, height: 600 },
  ]

  async function openFrames(page: Page, query: string) {
    await page.route(`${ALLOWED}/**`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><head><title>Docs</title></head><body>
<script>
  window.received = []
  addEventListener('message', (e) => {
    const from = [...document.querySelectorAll('iframe')].find((f) => f.contentWindow === e.source)
    received.push({ origin: e.origin, frame: from ? from.id : null, data: e.data })
  })
</script>
${SIZES.map(
  (
    s,
  ) => `<iframe id="${s.id}" title="OAuth Flow Lab (${s.id})" style="display: block; width: ${s.width}px; height: ${s.height}px; border: 0"
  src="${BASE}/embed.html?${query}"></iframe>`,
).join('\n')}
</body></html>`,
      }),
    )
    await page.setViewportSize({ width: 1200, height: 1200 })
    await page.goto(`${ALLOWED}/`)
    for (const s of SIZES)
      await expect(page.frameLocator(`#${s.id}`).locator('.ofl-lab')).toHaveAttribute(
        'data-complete',
        'true',
      )
  }

  /** Where Next is in its frame: inside the frame's viewport and not covered by anything. */
  function nextInView(page: Page, id: string) {
    return page
      .frameLocator(`#${id}`)
      .getByRole('button', { name: 'Next', exact: true })
      .evaluate((next) => {
        const r = next.getBoundingClientRect()
        const x = r.left + r.width / 2
        const y = r.top + r.height / 2
        const inside = r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth
        const hit = inside ? document.elementFromPoint(x, y) : null
        return inside && hit !== null && (hit === next || next.contains(hit))
      })
  }

  /** Walks one frame to the end with Next; returns how many steps it took. */
  async function walk(page: Page, id: string): Promise<number> {
    const frame = page.frameLocator(`#${id}`)
    const lab = frame.locator('.ofl-lab')
    const next = frame.getByRole('button', { name: 'Next', exact: true })
    let steps = 0
    for (let i = 0; i < 80; i++) {
      await expect(lab).toHaveAttribute('data-step-index', String(i))
      const drawn = lab.locator('[data-step]')
      for (const panel of await drawn.all())
        await expect(panel).toHaveAttribute('data-step', String(i))
      expect(await nextInView(page, id), `Next in view in the ${id} frame at step ${i + 1}`).toBe(
        true,
      )
      if (!(await next.isEnabled())) break
      await next.click()
      steps++
    }
    return steps
  }

  const resizes = async (page: Page) =>
    (await received(page)).filter((m) => m.data.type === 'resize').length

  for (const scenario of ['pkce-spa', 'confidential', 'code-interception&variant=vulnerable']) {
    test(`${scenario}: Next in view at every step, and not one resize message`, async ({
      page,
    }) => {
      test.setTimeout(180_000)
      await openFrames(page, `scenario=${scenario}&controls=compact`)
      for (const s of SIZES) expect(await walk(page, s.id)).toBeGreaterThan(5)
      expect(await resizes(page)).toBe(0)
    })
  }

  test('with height=auto, the frames post their height once, and nothing while walking', async ({
    page,
  }) => {
    test.setTimeout(180_000)
    await openFrames(page, 'scenario=pkce-spa&controls=compact&height=auto')
    // Settled: the first height of each frame is in, and nothing more comes.
    await expect.poll(() => resizes(page)).toBeGreaterThanOrEqual(SIZES.length)
    let before = await resizes(page)
    await expect
      .poll(
        async () => {
          const now = await resizes(page)
          const same = now === before
          before = now
          return same
        },
        { intervals: [500, 500, 500] },
      )
      .toBe(true)
    for (const s of SIZES) {
      const lab = page.frameLocator(`#${s.id}`).locator('.ofl-lab')
      const next = page.frameLocator(`#${s.id}`).getByRole('button', { name: 'Next', exact: true })
      for (let i = 0; i < 80 && (await next.isEnabled()); i++) {
        await next.click()
        await expect(lab).toHaveAttribute('data-step-index', String(i + 1))
      }
    }
    expect(await resizes(page)).toBe(before)
  })
})
