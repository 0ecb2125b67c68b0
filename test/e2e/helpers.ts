/**
 * Shared pieces of the end-to-end tests: a `test` that fails on any console error or uncaught page
 * error, a page object for the lab (found by role and accessible name), an axe check and a wait
 * for the page's animations to settle.
 */
import { createRequire } from 'node:module'
import { expect, test as base, type Locator, type Page } from '@playwright/test'

/** Every test: no console errors and no uncaught page errors, from load to the last assertion. */
export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console.error: ${m.text()}`)
      })
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
      await use(errors)
      expect(errors, 'console errors and uncaught page errors').toEqual([])
    },
    { auto: true },
  ],
})

export { expect }

/** The lab on the page, by the roles and names a learner (or a screen reader) meets. */
export class LabPage {
  readonly root: Locator
  readonly controls: Locator
  readonly next: Locator
  readonly back: Locator
  readonly reset: Locator
  readonly play: Locator
  readonly narration: Locator
  readonly title: Locator
  readonly browser: Locator
  readonly log: Locator
  readonly logEntries: Locator
  readonly announcer: Locator

  constructor(readonly page: Page) {
    this.root = page.locator('.ofl-lab')
    this.controls = page.getByRole('region', { name: 'Controls' })
    this.next = this.controls.getByRole('button', { name: 'Next', exact: true })
    this.back = this.controls.getByRole('button', { name: 'Back', exact: true })
    this.reset = this.controls.getByRole('button', { name: 'Reset', exact: true })
    this.play = this.controls.getByRole('button', { name: /^(Play|Pause)$/ })
    this.narration = page.getByRole('region', { name: 'Narration' })
    this.title = this.narration.getByRole('heading', { level: 3 })
    this.browser = page.getByRole('region', { name: 'Browser', exact: true })
    this.log = page.getByRole('region', { name: 'HTTP log' })
    this.logEntries = this.log
      .getByRole('list', { name: 'Exchanges, oldest first' })
      .locator(':scope > li')
    this.announcer = page.getByRole('status')
  }

  /**
   * Shows one of the inspector's panes (or, on a phone, any pane) by its tab, if it has one and
   * it is not on show already. The pick holds for the rest of the run.
   */
  async show(tab: 'Story' | 'Diagram' | 'Message' | 'Browser' | 'State' | 'Log') {
    const button = this.root.getByRole('tab', { name: tab })
    if ((await button.count()) === 0) return
    if ((await button.getAttribute('aria-selected')) !== 'true') await button.click()
    await expect(button).toHaveAttribute('aria-selected', 'true')
    // Some panes load on first show: wait until the pane's panel is there.
    const pane = this.page.locator(`[id="${await button.getAttribute('aria-controls')}"]`)
    await expect(pane.locator(':scope > .ofl-panel')).toBeVisible()
  }

  /** Opens the page and waits until the whole run is computed. */
  async open() {
    await this.page.goto('/')
    await this.ready()
  }

  /** Waits until the run is computed to its end (after loading, a setting or an answer). */
  async ready() {
    await expect(this.root).toHaveAttribute('data-complete', 'true')
    await this.expectDrawn()
  }

  /** The lane of a role, e.g. 'Authorization Server'. */
  lane(name: string): Locator {
    return this.page.getByRole('group', { name: 'Lanes' }).getByRole('group', { name, exact: true })
  }

  async index(): Promise<number> {
    return Number(await this.root.getAttribute('data-step-index'))
  }

  /**
   * Waits for the step to be on screen: the narration and controls first, then the panes that
   * follow them in a later render (the diagram, the browser, the log, the message: each says which
   * step it draws in `data-step`).
   */
  async expectIndex(index: number) {
    await expect(this.root).toHaveAttribute('data-step-index', String(index))
    await this.expectDrawn()
  }

  /** Waits until every pane on show that illustrates a step draws the step on screen. */
  async expectDrawn() {
    // The story (a phone's first tab) follows the store at once: no pane may be on show to wait for.
    const panels = this.root.locator('.ofl-layout [data-step]:visible')
    const index = await this.index()
    for (const panel of await panels.all())
      await expect(panel).toHaveAttribute('data-step', String(index))
  }

  /** Presses End and waits for the last step to be on screen, every panel drawing it. */
  async pressEnd() {
    await this.page.keyboard.press('End')
    await expect(this.next).toBeDisabled()
    await this.expectDrawn()
  }

  /** Clicks Next and waits for the next step to be on screen. */
  async clickNext() {
    const i = await this.index()
    await this.next.click()
    await this.expectIndex(i + 1)
  }

  /** Clicks Next until the narration's title matches; returns every title seen on the way. */
  async nextUntil(title: string | RegExp, max = 60): Promise<string[]> {
    const seen: string[] = []
    for (let n = 0; n <= max; n++) {
      const now = (await this.title.textContent()) ?? ''
      seen.push(now)
      if (typeof title === 'string' ? now === title : title.test(now)) return seen
      await this.clickNext()
    }
    throw new Error(`No step titled ${String(title)} within ${max} steps; saw: ${seen.join(' | ')}`)
  }

  /** Clicks Next until it is disabled (the end of the run); returns every title seen. */
  async nextToEnd(max = 80): Promise<string[]> {
    const seen: string[] = [(await this.title.textContent()) ?? '']
    for (let n = 0; n < max && (await this.next.isEnabled()); n++) {
      await this.clickNext()
      seen.push((await this.title.textContent()) ?? '')
    }
    await expect(this.next).toBeDisabled()
    return seen
  }
}

/**
 * Waits until nothing on the page moves nor is about to: every panel of each lab draws the lab's
 * step (the drawings catch up in a later render, which React may be computing in slices while
 * the page looks still), no Web Animation is running, and no inline style changes between a few
 * consecutive polls.
 */
export async function settle(page: Page) {
  await page.waitForFunction(
    () => {
      const w = window as unknown as { __oflSettle?: { sig: string; same: number } }
      const behind = Array.from(document.querySelectorAll('.ofl-lab')).some((lab) => {
        const index = lab.getAttribute('data-step-index')
        return Array.from(lab.querySelectorAll<HTMLElement>('.ofl-layout [data-step]')).some(
          (panel) => panel.checkVisibility() && panel.getAttribute('data-step') !== index,
        )
      })
      const moving =
        behind || document.getAnimations().some((a) => a.playState === 'running' || a.pending)
      const sig = Array.from(document.querySelectorAll('.ofl-lab [style]'), (el) =>
        el.getAttribute('style'),
      ).join('|')
      const prev = w.__oflSettle
      const same = !moving && prev?.sig === sig ? prev.same + 1 : 0
      w.__oflSettle = { sig, same }
      return same >= 3
    },
    undefined,
    { polling: 50, timeout: 10_000 },
  )
}

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']

interface AxeViolation {
  id: string
  help: string
  nodes: { target: unknown[]; failureSummary?: string }[]
}

/** One rule axe found broken, with the first few elements that break it. */
export interface AxeFinding {
  id: string
  help: string
  nodes: string[]
}

/**
 * Runs axe (WCAG 2.x A and AA) once the page has settled, on the whole document or only inside
 * the elements `include` selects; returns what it finds.
 */
export async function axeViolations(
  page: Page,
  include?: string,
  /** Rules left out, each with its reason at the call. */
  skip: readonly string[] = [],
): Promise<AxeFinding[]> {
  await settle(page)
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH })
  return page.evaluate(
    async ({ tags, include, skip }) => {
      const axe = (window as unknown as { axe: { run(ctx: unknown, o: object): Promise<unknown> } })
        .axe
      const result = (await axe.run(include ? { include: [include] } : document, {
        runOnly: { type: 'tag', values: tags },
        rules: Object.fromEntries(skip.map((id) => [id, { enabled: false }])),
        resultTypes: ['violations'],
      })) as { violations: AxeViolation[] }
      return result.violations.map((v) => ({
        id: v.id,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`),
      }))
    },
    { tags: AXE_TAGS, include, skip },
  )
}

/** Runs axe (WCAG 2.x A and AA) on the page once it has settled; fails listing any violation. */
export async function expectNoAxeViolations(
  page: Page,
  where: string,
  skip: readonly string[] = [],
) {
  expect(await axeViolations(page, undefined, skip), `axe violations ${where}`).toEqual([])
}
