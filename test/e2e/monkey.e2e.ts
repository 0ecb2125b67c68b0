/**
 * A monkey in real Chromium: thousands of random actions (clicks on anything clickable, keys,
 * typing, Edit and resend with hostile values, scenario and setting changes, themes, fast-forward,
 * resizes, back and forward, fresh links, Share / Embed / Present), with the step machine's
 * invariants checked after every one and no console error or uncaught exception allowed.
 *
 * The actions come from a seeded generator: the seed is printed at the start and in every
 * failure, with the last actions, so a failure can be replayed. MONKEY_SEED picks the seed,
 * MONKEY_ACTIONS the number of actions (default 2000); MONKEY_VERBOSE=1 prints every action
 * with its time. The app's own timing (a run computed in the background, autoplay) still varies
 * a little from one replay to the next.
 */
import type { Locator, Page } from '@playwright/test'
import { expect, LabPage, test } from './helpers.ts'
import { SCENARIO_INFO } from '../../src/flow/scenarios/catalog.ts'

const DEFAULT_SEED = 62024
const seedFromEnv = Number.parseInt(process.env.MONKEY_SEED ?? '', 10)
const SEED = Number.isFinite(seedFromEnv) ? seedFromEnv >>> 0 : DEFAULT_SEED
const actionsFromEnv = Number.parseInt(process.env.MONKEY_ACTIONS ?? '', 10)
const ACTIONS = Number.isFinite(actionsFromEnv) && actionsFromEnv > 0 ? actionsFromEnv : 2000
const REPLAY = `monkey seed: ${SEED} (replay: MONKEY_SEED=${SEED} npx playwright test --config test/e2e/playwright.config.ts monkey)`
/** How many of the last actions a failure lists. */
const TRAIL = 30
/** A deeper check of the step machine every this many actions. */
const DEEP_EVERY = 100
/** Short: an action that finds nothing to do is fine, and the run must stay fast. */
const QUICK = { timeout: 1500 }

/** Every scenario of the registry. */
const SCENARIOS = SCENARIO_INFO.map((s) => s.id)

/** Text a learner (or an attacker) might type; anything that runs sets `window.__monkeyPwned`. */
const HOSTILE = [
  '<script>window.__monkeyPwned = 1</script>',
  '"><img src=x onerror="window.__monkeyPwned = 1">',
  "'><svg onload=window.__monkeyPwned=1>",
  '"',
  "'",
  '',
  ' ',
  'javascript:window.__monkeyPwned=1',
  '{{constructor.constructor("window.__monkeyPwned=1")()}}',
  '%00%ff%zz%',
  '\u202e\u0000\ufeff😀 ünïcödé',
  '\n\r\t',
  'a=b&c=d#frag?x=1',
  '../../../etc/passwd',
  '-1',
  '1e309',
  'NaN',
  '__proto__',
  'openid openid openid',
]

/** mulberry32: small, fast and good enough to choose actions. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

class Rng {
  private readonly next: () => number
  constructor(seed: number) {
    this.next = mulberry32(seed)
  }
  float(): number {
    return this.next()
  }
  int(n: number): number {
    return Math.floor(this.next() * n)
  }
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1)
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)]
    if (item === undefined) throw new Error('pick from an empty list')
    return item
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0)
    let r = this.next() * total
    for (const [item, w] of items) {
      r -= w
      if (r < 0) return item
    }
    return items[items.length - 1]![0]
  }
  /** Random text: mostly plain, often hostile, sometimes very long. */
  text(): string {
    const kind = this.int(10)
    if (kind < 4) return this.pick(HOSTILE)
    if (kind < 5) return 'x'.repeat(this.between(1000, 6000)) + this.pick(HOSTILE)
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789-_.~ =&%+/<>"\''
    let s = ''
    for (let i = this.between(0, 24); i > 0; i--) s += chars[this.int(chars.length)]
    return s
  }
}

/** What every state of the page must satisfy; a list of what is wrong (empty when all holds). */
function checkInvariants(): string[] {
  const problems: string[] = []
  const w = window as unknown as { __monkeyPwned?: unknown }
  if (w.__monkeyPwned !== undefined) problems.push('hostile input ran as code (__monkeyPwned set)')
  const root = document.querySelector<HTMLElement>('.ofl-lab')
  if (!root) {
    const body = (document.body?.innerText ?? '').trim().replace(/\s+/g, ' ').slice(0, 200)
    return [
      ...problems,
      `no .ofl-lab root at ${location.href} (${document.readyState}; body: ${JSON.stringify(body)})`,
    ]
  }
  const indexText = root.getAttribute('data-step-index') ?? ''
  if (!/^\d+$/.test(indexText)) problems.push(`data-step-index is ${JSON.stringify(indexText)}`)
  const index = Number(indexText)
  const ready = root.getAttribute('data-ready') === 'true'
  const complete = root.getAttribute('data-complete') === 'true'

  const announcer = root.querySelector('[role="status"][aria-live]')
  if (!announcer) problems.push('no announcer (role=status live region)')

  // Whatever failed, readable; but nothing should fail.
  for (const alert of root.querySelectorAll('[role="alert"]')) {
    problems.push(`alert shown: ${(alert.textContent ?? '').slice(0, 300)}`)
  }

  // Nothing typed, linked or edited becomes markup that acts.
  const acting = root.querySelector('script, iframe, object, embed, img, frame, base, meta, link')
  if (acting) problems.push(`element from hostile input? <${acting.tagName.toLowerCase()}>`)
  for (const el of document.body.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames()) {
      if (attr.startsWith('on')) problems.push(`<${el.tagName.toLowerCase()} ${attr}> in the page`)
    }
    if (el instanceof HTMLAnchorElement && /^\s*javascript:/i.test(el.getAttribute('href') ?? ''))
      problems.push(`javascript: link ${el.getAttribute('href')}`)
  }

  if (ready) {
    const count = root.querySelector('.ofl-controls-count')?.textContent ?? ''
    const m = /(\d+)\s*(?:\/|of)\s*(\d+)(…?)/.exec(count)
    if (!m) {
      problems.push(`no step count in the controls: ${JSON.stringify(count)}`)
    } else {
      const shown = Number(m[1])
      const total = Number(m[2])
      if (shown !== index + 1)
        problems.push(`controls show step ${shown}, data-step-index is ${index}`)
      if (!(index < total)) problems.push(`data-step-index ${index} not below the total ${total}`)
      if (complete === (m[3] === '…'))
        problems.push(`count ${JSON.stringify(count)} with data-complete=${complete}`)
      // A pane under a tab not on show catches up when shown (React renders it at idle priority).
      const told = root.querySelector<HTMLElement>('.ofl-narration-count')
      const narration = told?.checkVisibility() ? told.textContent : null
      if (narration && !narration.startsWith(`Step ${index + 1} of ${total}`))
        problems.push(`narration count ${JSON.stringify(narration)}, step index ${index}`)
      const said = announcer?.textContent ?? ''
      if (!said.startsWith(`Step ${index + 1} of ${total}`))
        problems.push(`announcer says ${JSON.stringify(said.slice(0, 80))}, step index ${index}`)
      const controls = root.querySelector('.ofl-controls')
      const buttons = [...(controls?.querySelectorAll('button') ?? [])]
      const next = buttons.find((b) => b.textContent?.trim() === 'Next')
      const back = buttons.find((b) => b.textContent?.trim() === 'Back')
      if (!next || !back) problems.push('no Next or Back in the controls')
      if (back && back.disabled !== (index === 0))
        problems.push(`Back disabled=${back.disabled} at step index ${index}`)
      if (next && complete && next.disabled !== (index === total - 1))
        problems.push(`Next disabled=${next.disabled} at step index ${index} of ${total}`)
      const range = controls?.querySelector<HTMLInputElement>('input[type="range"]')
      if (range && range.value !== String(index))
        problems.push(`scrubber at ${range.value}, step index ${index}`)
      if (range && range.max !== String(total - 1))
        problems.push(`scrubber max ${range.max}, ${total} steps`)
    }
  }
  return problems
}

type Described = { x: number; y: number; what: string } | null

/**
 * Picks the `pick`-th (modulo) visible, enabled element matching `selector` and scrolls it into
 * view; returns the point to press and what is there. Links that leave the lab (RFCs, in a new
 * tab) are left out.
 */
function findTarget([selector, pick]: [string, number]): Described {
  const describe = (el: Element): string => {
    const tag = el.tagName.toLowerCase()
    const name = (
      el.getAttribute('aria-label') ??
      (el instanceof HTMLInputElement ? `${el.type} ${el.name || el.value}` : null) ??
      (el.textContent ?? '').trim().replace(/\s+/g, ' ')
    ).slice(0, 40)
    const cls = (el.getAttribute('class') ?? '').split(' ')[0]
    return `<${tag}${cls ? `.${cls}` : ''}> ${JSON.stringify(name)}`
  }
  const leaves = (el: Element | null): boolean => {
    const a = el?.closest('a[href]')
    if (!(a instanceof HTMLAnchorElement)) return false
    return a.target === '_blank' || new URL(a.href, location.href).origin !== location.origin
  }
  const candidates = [...document.querySelectorAll<HTMLElement>(selector)].filter((el) => {
    if (leaves(el)) return false
    if ((el as HTMLButtonElement).disabled || el.closest('fieldset:disabled')) return false
    if (el.closest('[hidden], [inert]')) return false
    const r = el.getBoundingClientRect()
    if (r.width < 1 || r.height < 1) return false
    const style = getComputedStyle(el)
    return style.visibility !== 'hidden' && style.display !== 'none'
  })
  if (candidates.length === 0) return null
  const el = candidates[pick % candidates.length]!
  el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' })
  const r = el.getBoundingClientRect()
  const x = r.left + r.width / 2
  const y = r.top + r.height / 2
  const hit = document.elementFromPoint(x, y)
  if (leaves(hit)) return null
  const what = describe(el)
  return {
    x,
    y,
    what: hit && hit !== el && !el.contains(hit) ? `${what} (under ${describe(hit)})` : what,
  }
}

const CLICKABLE = [
  'button',
  'a[href]',
  'summary',
  'label',
  'input[type="checkbox"]',
  'input[type="radio"]',
  '.ofl-mb-link',
  '[role="button"]',
].join(', ')
const TYPABLE =
  'input:not([type]), input[type="text"], input[type="password"], input[type="search"], textarea'

type ActionName =
  | 'click'
  | 'key'
  | 'type'
  | 'editResend'
  | 'browserForm'
  | 'scenario'
  | 'setting'
  | 'theme'
  | 'fastForward'
  | 'select'
  | 'scrub'
  | 'resize'
  | 'history'
  | 'link'
  | 'reload'
  | 'shareEmbedPresent'
  | 'colorScheme'
  | 'wait'

const WEIGHTS: (readonly [ActionName, number])[] = [
  ['click', 30],
  ['key', 16],
  ['type', 6],
  ['editResend', 6],
  ['browserForm', 3],
  ['scenario', 4],
  ['setting', 6],
  ['theme', 3],
  ['fastForward', 3],
  ['select', 2],
  ['scrub', 4],
  ['resize', 3],
  ['history', 2],
  ['link', 1],
  ['reload', 0.4],
  ['shareEmbedPresent', 3],
  ['colorScheme', 0.6],
  ['wait', 3],
]

const KEYS = [
  'ArrowLeft',
  'ArrowRight',
  'ArrowRight',
  'Space',
  'Home',
  'End',
  'PageUp',
  'PageDown',
  'Escape',
  'Tab',
  'Shift+Tab',
  'Enter',
  'p',
  'P',
]

class Monkey {
  readonly trail: string[] = []
  private reduced = true

  constructor(
    readonly page: Page,
    readonly rng: Rng,
    readonly base: string,
  ) {}

  /**
   * Moves the pointer to a point, lets what hovering opens there show (a glossary term's
   * popover, with its link out), and presses only if what is now under the pointer stays in the
   * lab: a learner sees the popover before clicking. Whether it pressed.
   */
  private async pressAt(x: number, y: number): Promise<boolean> {
    await this.page.mouse.move(x, y)
    const stays = await this.page.evaluate(
      ([px, py]) =>
        new Promise<boolean>((resolve) =>
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              const a = document.elementFromPoint(px, py)?.closest('a[href]')
              resolve(
                !(a instanceof HTMLAnchorElement) ||
                  (a.target !== '_blank' &&
                    new URL(a.href, location.href).origin === location.origin),
              )
            }),
          ),
        ),
      [x, y] as [number, number],
    )
    if (!stays) return false
    await this.page.mouse.down()
    await this.page.mouse.up()
    return true
  }

  /** A mouse click, as a learner's, on a random element matching the selector. */
  async clickAny(selector: string): Promise<string> {
    const target = await this.page.evaluate(findTarget, [selector, this.rng.int(1 << 30)] as [
      string,
      number,
    ])
    if (!target) return `nothing to click for ${selector}`
    if (!(await this.pressAt(target.x, target.y))) return `a link out covered ${target.what}`
    return `clicked ${target.what}`
  }

  /** A mouse click at the middle of an element, on whatever is on top there (as a learner's). */
  async tap(target: Locator): Promise<void> {
    await target.evaluate(
      (el) => el.scrollIntoView({ block: 'center', behavior: 'instant' }),
      null,
      QUICK,
    )
    const box = await target.boundingBox(QUICK)
    if (!box) throw new Error('not on screen')
    await this.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
  }

  /** Clicks a random element matching the selector (focusing it for the keyboard); what it was. */
  private async focusAny(selector: string): Promise<string | null> {
    const target = await this.page.evaluate(findTarget, [selector, this.rng.int(1 << 30)] as [
      string,
      number,
    ])
    if (!target || !(await this.pressAt(target.x, target.y))) return null
    return target.what
  }

  async act(name: ActionName): Promise<string> {
    const { page, rng } = this
    switch (name) {
      case 'click':
        return this.clickAny(CLICKABLE)
      case 'key': {
        const key = rng.pick(KEYS)
        if (key === 'Enter' || key === 'Space') {
          // Enter on a focused RFC link would open another site.
          const leaves = await page.evaluate(() => {
            const a = document.activeElement?.closest('a[href]')
            return a instanceof HTMLAnchorElement && a.target === '_blank'
          })
          if (leaves) return `${key} skipped: focus on an outside link`
        }
        const times = rng.chance(0.15) ? rng.between(2, 8) : 1
        for (let i = 0; i < times; i++) await page.keyboard.press(key)
        return `pressed ${key}${times > 1 ? ` ×${times}` : ''}`
      }
      case 'type': {
        const what = await this.focusAny(TYPABLE)
        if (!what) return 'nothing to type into'
        const text = rng.text()
        if (rng.chance(0.5)) await page.keyboard.press('ControlOrMeta+a')
        if (text.length > 40) await page.keyboard.insertText(text)
        else await page.keyboard.type(text)
        const enter = rng.chance(0.4)
        if (enter) await page.keyboard.press('Enter')
        return `typed ${JSON.stringify(text.slice(0, 60))}${text.length > 60 ? `… (${text.length})` : ''} into ${what}${enter ? ' + Enter' : ''}`
      }
      case 'editResend':
        return this.editResend()
      case 'browserForm':
        return this.browserForm()
      case 'scenario': {
        const select = page.locator('select.ofl-scenario-select')
        if (!(await select.isVisible())) return 'no scenario picker on screen'
        const id = rng.pick(SCENARIOS)
        await select.selectOption(id, QUICK)
        if (rng.chance(0.4))
          return `scenario ${id}, ${await this.clickAny('.ofl-scenario-variant-button')}`
        return `scenario ${id}`
      }
      case 'setting': {
        const toggle = page.locator('.ofl-settings-toggle')
        if (!(await toggle.isVisible())) return 'no Settings button on screen'
        if ((await toggle.getAttribute('aria-expanded')) !== 'true') {
          const opened = await this.clickAny('.ofl-settings-toggle')
          if ((await toggle.getAttribute('aria-expanded')) !== 'true') return `setting: ${opened}`
        }
        const panel = page.locator('.ofl-settings-panel')
        if (rng.chance(0.25)) {
          const scope = panel.locator('.ofl-settings-text')
          const text = rng.chance(0.5)
            ? rng.pick(['openid profile', 'photos.read', 'photos.write openid', '', 'profile'])
            : rng.text()
          await scope.fill(text, QUICK)
          await scope.press(rng.chance(0.7) ? 'Enter' : 'Tab', QUICK)
          return `scope ${JSON.stringify(text.slice(0, 60))}`
        }
        const what = await this.clickAny(
          '.ofl-settings-panel input[type="checkbox"], .ofl-settings-panel input[type="radio"], .ofl-settings-chip, .ofl-settings-close',
        )
        return `setting: ${what}`
      }
      case 'theme':
        return this.clickAny('.ofl-settings-theme-button')
      case 'fastForward':
        return this.clickAny('.ofl-clock-ff button')
      case 'select': {
        const speed = page.locator('.ofl-controls-speed select')
        if (!(await speed.isVisible())) return 'no speed select on screen'
        const value = rng.pick(['0.5', '1', '1.5', '2', '3', '4'])
        await speed.selectOption(value, QUICK)
        return `speed ${value}`
      }
      case 'scrub': {
        const range = page.locator('.ofl-controls input[type="range"]')
        if (!(await range.isVisible()) || (await range.isDisabled())) return 'no scrubber'
        const max = Number(await range.getAttribute('max'))
        const value = rng.int(max + 1)
        await range.fill(String(value), QUICK)
        return `scrubbed to ${value} of ${max}`
      }
      case 'resize': {
        const width = rng.between(320, 1920)
        const height = rng.between(568, 1080)
        await page.setViewportSize({ width, height })
        return `resized to ${width}x${height}`
      }
      case 'history': {
        const back = rng.chance(0.6)
        // Only to a page of the lab: before the first one there is only about:blank, and going
        // there and forward again left the page on about:blank now and then (about one run in
        // ten under load), so the browser's history says beforehand where the step goes.
        const cdp = await page.context().newCDPSession(page)
        const { currentIndex, entries } = await cdp.send('Page.getNavigationHistory')
        await cdp.detach()
        const to = entries[currentIndex + (back ? -1 : 1)]
        if (!to?.url.startsWith(this.base)) return `${back ? 'back' : 'forward'}: no lab page there`
        await (back ? page.goBack() : page.goForward())
        await this.landed()
        return `${back ? 'back' : 'forward'} to ${to.url.slice(this.base.length)}`
      }
      case 'link': {
        const link = this.freshLink()
        await page.goto(link, { waitUntil: 'domcontentloaded' })
        await this.landed()
        return `opened ${link}`
      }
      case 'reload':
        await page.reload({ waitUntil: 'domcontentloaded' })
        await this.landed()
        return `reloaded ${page.url().slice(this.base.length)}`
      case 'shareEmbedPresent': {
        const which = rng.pick(['Share', 'Embed', 'Present', 'Copy'])
        if (which === 'Copy') return this.clickAny('.ofl-embed-dialog button, .ofl-share-close')
        const selector = {
          Share: '.ofl-share button',
          Embed: '.ofl-embed-button',
          Present: '.ofl-controls-present',
        }[which]
        return this.clickAny(selector ?? 'button')
      }
      case 'colorScheme': {
        const scheme = rng.pick(['light', 'dark'] as const)
        await page.emulateMedia({ colorScheme: scheme })
        return `prefers-color-scheme: ${scheme}`
      }
      case 'wait': {
        if (rng.chance(0.5)) {
          await page
            .locator('.ofl-lab[data-complete="true"]')
            .waitFor({ timeout: 3000 })
            .catch(() => {})
          return 'waited for the run to be computed'
        }
        const ms = rng.between(20, 400)
        await page.waitForTimeout(ms)
        return `waited ${ms} ms`
      }
      default: {
        const never: never = name
        return never
      }
    }
  }

  /** Opens a random log line, Edit and resend, changes a few fields, and sends (or not). */
  private async editResend(): Promise<string> {
    const { page, rng } = this
    // The log is one of the inspector's tabs.
    const tab = page.locator('.ofl-tab[data-pane="log"]')
    if (await tab.isVisible()) await this.tap(tab)
    const summaries = page.locator('.ofl-httplog-summary')
    const n = await summaries.count()
    if (n === 0) return 'no log lines'
    const i = rng.int(n)
    const summary = summaries.nth(i)
    if (!(await summary.isVisible())) return 'log not on screen'
    const entry = page.locator('.ofl-httplog-entry').nth(i)
    if ((await summary.getAttribute('aria-expanded')) !== 'true') await this.tap(summary)
    const edit = entry.getByRole('button', { name: 'Edit and resend' })
    if (rng.chance(0.15)) {
      const replay = entry.getByRole('button', { name: 'Replay' })
      if (await replay.isVisible()) {
        await this.tap(replay)
        return `replayed log line ${i + 1}`
      }
    }
    if ((await edit.count()) === 0) return `log line ${i + 1} did not open`
    if (await edit.isDisabled(QUICK)) return `log line ${i + 1} cannot be edited`
    if ((await edit.getAttribute('aria-expanded')) !== 'true') await this.tap(edit)
    const form = entry.locator('form.ofl-editor')
    await form.waitFor({ timeout: 5000 })
    const done: string[] = []
    for (let k = rng.between(1, 3); k > 0; k--) {
      const kind = rng.int(10)
      if (kind < 6) {
        const fields = form.locator('.ofl-editor-value, .ofl-editor-name, textarea')
        const count = await fields.count()
        if (count === 0) continue
        const f = rng.int(count)
        const text = rng.text()
        await fields.nth(f).fill(text, QUICK)
        done.push(`field ${f + 1} = ${JSON.stringify(text.slice(0, 40))}`)
      } else if (kind < 8) {
        const removes = form.locator('.ofl-editor-remove')
        const count = await removes.count()
        if (count === 0) continue
        const r = rng.int(count)
        await this.tap(removes.nth(r))
        done.push(`removed row ${r + 1}`)
      } else {
        const adds = form.locator('.ofl-editor-add')
        const a = rng.int(await adds.count())
        await this.tap(adds.nth(a))
        const name = rng.text()
        await page.keyboard.insertText(name)
        done.push(`added row ${JSON.stringify(name.slice(0, 40))}`)
      }
    }
    const end = rng.weighted([
      ['Send', 8],
      ['Cancel', 1],
      ['Escape', 1],
    ] as const)
    if (end === 'Escape') await form.locator('input, textarea').first().press('Escape', QUICK)
    else await this.tap(form.getByRole('button', { name: end, exact: true }))
    return `edit and resend line ${i + 1}: ${done.join(', ') || 'unchanged'}; ${end}`
  }

  /** Answers the login or consent page in the mock browser, rightly or wrongly, when it waits. */
  private async browserForm(): Promise<string> {
    const { rng } = this
    // Hidden (presentation mode) or not there (an embed): nothing to answer.
    const tab = this.page.locator('.ofl-tab[data-pane="browser"]')
    if (await tab.isVisible()) await this.tap(tab)
    if (!(await this.page.locator('.ofl-mockbrowser').isVisible())) return 'no browser on screen'
    const live = this.page.locator('.ofl-mb-form fieldset:not([disabled])')
    // Not waiting for an answer here: go where it does (the note offers it), or step on to it.
    let walked = ''
    if ((await live.count()) === 0) walked = `${await this.clickAny('.ofl-mb-note button')}, `
    for (let i = 0; i < 8 && (await live.count()) === 0; i++) {
      if ((await this.clickAny('.ofl-controls-next')).startsWith('nothing')) break
      walked += 'Next, '
    }
    if ((await live.count()) === 0) return `${walked}no page waits for an answer`
    const user = live.locator('input[name="username"]:not([readonly])')
    if ((await user.count()) === 0)
      return `${walked}answered: ${await this.clickAny('.ofl-mb-form fieldset:not([disabled]) .ofl-mb-button')}`
    const right = rng.chance(0.6)
    const username = right ? 'alice' : rng.text()
    const password = right && rng.chance(0.8) ? 'wonderland' : rng.text()
    await user.first().fill(username, QUICK)
    const field = live.locator('input[name="password"]:not([readonly])')
    if ((await field.count()) > 0) await field.first().fill(password, QUICK)
    const how = rng.chance(0.5)
      ? (await field.first().press('Enter', QUICK), 'Enter')
      : await this.clickAny('.ofl-mb-form fieldset:not([disabled]) .ofl-mb-button')
    return `${walked}signed in as ${JSON.stringify(username.slice(0, 40))} / ${JSON.stringify(password.slice(0, 40))}: ${how}`
  }

  private freshLink(): string {
    const { rng } = this
    const kind = rng.int(10)
    if (kind < 4) {
      const params = new URLSearchParams({ scenario: rng.pick(SCENARIOS) })
      if (rng.chance(0.5)) params.set('variant', rng.pick(['vulnerable', 'defended']))
      if (rng.chance(0.6)) params.set('step', String(rng.between(1, 30)))
      if (rng.chance(0.3)) params.set('seed', `monkey-${rng.int(1000)}`)
      if (rng.chance(0.3)) params.set('theme', rng.pick(['light', 'dark', 'system']))
      if (rng.chance(0.2)) params.set('controls', 'compact')
      return `/?${params.toString()}`
    }
    if (kind < 6) return this.page.url().slice(this.base.length - 1) || '/'
    if (kind < 8) {
      // Every parameter wrong at once: ignored, with a notice.
      const params = new URLSearchParams({
        scenario: rng.text(),
        step: rng.pick(['-1', '0', '9999', 'abc', '1.5', '']),
        theme: rng.text(),
        pkce: 'maybe',
        t: rng.text(),
        scope: rng.text(),
        client: rng.text(),
        seed: rng.text(),
      })
      return `/?${params.toString()}`
    }
    if (kind < 9) return '/'
    return `/embed.html?scenario=${rng.pick(SCENARIOS)}&step=${rng.between(1, 12)}`
  }

  /** After a navigation: the new page's lab is there (not necessarily computed). */
  async landed() {
    await this.page.locator('.ofl-lab').waitFor({ state: 'attached', timeout: 15_000 })
  }

  async setReducedMotion(reduced: boolean) {
    if (reduced === this.reduced) return
    this.reduced = reduced
    await this.page.emulateMedia({ reducedMotion: reduced ? 'reduce' : 'no-preference' })
  }
}

/**
 * Every so often: with the run computed and nothing playing, Next steps forward exactly one and
 * Back exactly one, and the state panel and the log are there.
 */
async function deepCheck(page: Page): Promise<string[]> {
  const problems: string[] = []
  const root = page.locator('.ofl-lab')
  // Out of text fields, dialogs and popovers, so the controls are reachable.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  const dialog = page.locator('.ofl-embed-dialog')
  // The dialog loads when first opened: an Embed click just before may still be on its way.
  if (await page.locator('.ofl-embed-button[aria-expanded="true"]').isVisible())
    await expect(dialog).toBeVisible({ timeout: 10_000 })
  if (await dialog.isVisible()) await dialog.getByRole('button', { name: 'Close' }).first().click()
  const share = page.locator('.ofl-share-close')
  if (await share.isVisible()) await share.click()
  const settings = page.locator('.ofl-settings-toggle[aria-expanded="true"]')
  if (await settings.isVisible()) await settings.click()
  const pause = page.locator('.ofl-controls').getByRole('button', { name: 'Pause', exact: true })
  if (await pause.isVisible()) await pause.click()
  await expect(root).toHaveAttribute('data-complete', 'true', { timeout: 20_000 })

  const index = async () => Number(await root.getAttribute('data-step-index'))
  const next = page.locator('.ofl-controls').getByRole('button', { name: 'Next', exact: true })
  const back = page.locator('.ofl-controls').getByRole('button', { name: 'Back', exact: true })
  const step = async (button: Locator, expected: number, label: string) => {
    await button.click({ timeout: 5000 })
    try {
      await expect(root).toHaveAttribute('data-step-index', String(expected), { timeout: 5000 })
    } catch {
      problems.push(`${label} went to step index ${await index()}, expected ${expected}`)
    }
  }
  const at = await index()
  if (await next.isEnabled()) {
    await step(next, at + 1, 'Next')
    await step(back, at, 'Back')
  } else if (await back.isEnabled()) {
    await step(back, at - 1, 'Back')
    await step(next, at, 'Next')
  } else {
    problems.push(`neither Next nor Back enabled at step index ${at}`)
  }
  const embed = (await page.evaluate(() => location.pathname)).endsWith('embed.html')
  if (!embed) {
    if ((await page.locator('.ofl-tabs .ofl-tab').count()) < 4) problems.push('no inspector tabs')
    if ((await page.locator('.ofl-pane:not([hidden]) > .ofl-panel').count()) !== 1)
      problems.push('no pane on show')
    // The address bar links to the step on screen (written once stepping settles).
    const now = await index()
    const expected = now > 0 ? String(now + 1) : null
    const inAddress = () => page.evaluate(() => new URLSearchParams(location.search).get('step'))
    try {
      await expect.poll(inAddress, { timeout: 5000 }).toBe(expected)
    } catch {
      problems.push(`the address says step=${await inAddress()}, step index ${now} on screen`)
    }
  }
  return problems
}

test.use({
  permissions: ['clipboard-read', 'clipboard-write'],
  // Nothing waits for ever: an element the page took away fails the action, not the run.
  actionTimeout: 5000,
  navigationTimeout: 20_000,
})

test('the monkey: random actions keep the lab whole, with no console error', async ({
  page,
  pageErrors,
  baseURL,
}) => {
  test.setTimeout(15 * 60_000)
  console.log(`${REPLAY}; ${ACTIONS} actions`)
  const base = `${baseURL ?? ''}/`
  const rng = new Rng(SEED)
  const monkey = new Monkey(page, rng, base)
  const popups: string[] = []
  const warnings = new Set<string>()
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.add(m.text().slice(0, 200))
  })
  page.context().on('page', (p) => {
    popups.push(p.url())
    void p.close()
  })
  // Nothing leaves the machine: anything not from the preview server is refused.
  await page.context().route(
    (url) => !url.href.startsWith(base),
    (route) => route.abort(),
  )

  const fail = (at: number, what: string, problems: string[]) => {
    const trail = monkey.trail.slice(-TRAIL).join('\n  ')
    throw new Error(
      `${REPLAY}\nafter action ${at} (${what}):\n  ${problems.join('\n  ')}\nlast actions:\n  ${trail}`,
    )
  }

  await page.emulateMedia({ reducedMotion: 'reduce' })
  await page.setViewportSize({ width: 1366, height: 768 })
  await page.goto('/')
  await monkey.landed()
  const started = Date.now()

  for (let n = 1; n <= ACTIONS; n++) {
    // Most of the run under reduced motion (fast, nothing to wait for), a stretch with motion.
    await monkey.setReducedMotion(!(n > ACTIONS * 0.45 && n <= ACTIONS * 0.6))
    const name = rng.weighted(WEIGHTS)
    const t0 = Date.now()
    let what: string
    try {
      what = await monkey.act(name)
    } catch (e) {
      // The page moved under the action (an element re-rendered away, a short timeout): fine.
      const message = e instanceof Error ? e.message.split('\n')[0] : String(e)
      what = `${name}: gave up (${message}) at ${page.url()}`
    }
    monkey.trail.push(`#${n} ${what}`)
    if (process.env.MONKEY_VERBOSE) console.log(`#${n} ${Date.now() - t0}ms ${what}`)
    if (pageErrors.length > 0) fail(n, what, pageErrors)
    if (popups.length > 0) fail(n, what, [`opened another page: ${popups.join(', ')}`])
    // A navigation may be on its way: the invariants are for a page that is there.
    const problems = await page.evaluate(checkInvariants).catch(async (e: unknown) => {
      await monkey.landed()
      return page.evaluate(checkInvariants).catch(() => [`could not check: ${String(e)}`])
    })
    if (problems.length > 0) fail(n, what, problems)
    if (n % DEEP_EVERY === 0) {
      const deep = await deepCheck(page).catch((e: unknown) => [
        `deep check could not run: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
      ])
      monkey.trail.push(`#${n} deep check`)
      if (deep.length > 0 || pageErrors.length > 0) fail(n, 'deep check', [...deep, ...pageErrors])
    }
  }
  console.log(
    `${REPLAY}: ${ACTIONS} actions in ${Math.round((Date.now() - started) / 1000)} s, all invariants held`,
  )
  if (warnings.size > 0)
    console.log(`console warnings (not failures):\n  ${[...warnings].join('\n  ')}`)
  expect(pageErrors).toEqual([])
})

test.describe('what the monkey found', () => {
  test('the step scrubber moves the lab to the step it was on before a restart', async ({
    page,
  }) => {
    const lab = new LabPage(page)
    await lab.open()
    for (let i = 0; i < 3; i++) await lab.clickNext()
    // A restart clamps the slider behind React's back (its max is 0 for a moment).
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('oidc')
    await lab.ready()
    await lab.expectIndex(0)
    const scrubber = lab.controls.getByRole('slider', { name: 'Step' })
    await scrubber.fill('3')
    await lab.expectIndex(3)
    await expect(scrubber).toHaveValue('3')
  })
})
