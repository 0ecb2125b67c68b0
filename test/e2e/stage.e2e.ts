/**
 * The stage fits the screen: at each desktop size and on a phone, a walk of every run of the
 * library, Next clicked at each step, checks that Next's box never moves and stays in view, that
 * the page itself never scrolls (either way), and that the diagram keeps the current row in view.
 * Screenshots of each layout at a sign-in, a token and an attack step go to
 * test-results/screenshots.
 */
import type { Page } from '@playwright/test'
import { expect, LabPage, settle, test } from './helpers.ts'
import { RUNS } from './runs.ts'

const SIZES = [
  { name: '1920x1080', width: 1920, height: 1080 },
  { name: '1280x720', width: 1280, height: 720 },
  { name: '1366x768', width: 1366, height: 768 },
  { name: '390x844', width: 390, height: 844 },
] as const

/** What one walk found: the worst displacement of Next, and each step where a check failed. */
interface Walk {
  steps: number
  maxShift: number
  nextOutOfView: number[]
  pageScrolls: number[]
  rowOutOfView: number[]
}

/**
 * Clicks Next to the end of the run inside the page (one round trip per run, not per step), and
 * at each step, once every pane draws it, measures Next, the page's scroll size and the current
 * row against the diagram's box.
 */
function walk(page: Page): Promise<Walk> {
  return page.evaluate(async () => {
    const root = document.querySelector<HTMLElement>('.ofl-lab')!
    const nextButton = () =>
      [...root.querySelectorAll<HTMLButtonElement>('.ofl-controls button')].find(
        (b) => b.textContent?.trim() === 'Next',
      )!
    const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)))
    const drawn = () =>
      [...root.querySelectorAll<HTMLElement>('.ofl-layout [data-step]')]
        .filter((p) => p.checkVisibility())
        .every((p) => p.dataset.step === root.dataset.stepIndex)
    const until = async (ok: () => boolean, frames = 120) => {
      for (let i = 0; i < frames && !ok(); i++) await frame()
      return ok()
    }
    const rect = () => {
      const r = nextButton().getBoundingClientRect()
      return { x: r.x, y: r.y, w: r.width, h: r.height }
    }
    const out = {
      steps: 0,
      maxShift: 0,
      nextOutOfView: [] as number[],
      pageScrolls: [] as number[],
      rowOutOfView: [] as number[],
    }
    const first = rect()
    for (let n = 0; n < 120; n++) {
      const index = Number(root.dataset.stepIndex)
      await until(drawn)
      const r = rect()
      out.steps++
      out.maxShift = Math.max(
        out.maxShift,
        Math.abs(r.x - first.x),
        Math.abs(r.y - first.y),
        Math.abs(r.w - first.w),
        Math.abs(r.h - first.h),
      )
      if (r.x < 0 || r.y < 0 || r.x + r.w > innerWidth || r.y + r.h > innerHeight)
        out.nextOutOfView.push(index + 1)
      const doc = document.scrollingElement!
      if (doc.scrollHeight > innerHeight + 1 || doc.scrollWidth > innerWidth + 1)
        out.pageScrolls.push(index + 1)
      const box = root.querySelector<HTMLElement>('.ofl-seq-box')
      if (box?.checkVisibility()) {
        const inView = () => {
          const row = box.querySelector<HTMLElement>('li[data-current="true"]')
          if (!row) return true
          const b = box.getBoundingClientRect()
          const w = row.getBoundingClientRect()
          return w.top >= b.top - 1 && w.bottom <= b.bottom + 1
        }
        if (!(await until(inView, 60))) out.rowOutOfView.push(index + 1)
      }
      const next = nextButton()
      if (next.disabled) break
      next.click()
      await until(() => Number(root.dataset.stepIndex) !== index)
    }
    return out
  })
}

for (const size of SIZES) {
  test.describe(`at ${size.name}`, () => {
    test.use({ viewport: { width: size.width, height: size.height }, reducedMotion: 'reduce' })

    test('every run: Next never moves nor leaves the view, the page never scrolls, the current row shows', async ({
      page,
    }) => {
      test.setTimeout(240_000)
      const lab = new LabPage(page)
      const found: Record<string, Walk> = {}
      for (const run of RUNS) {
        await page.goto(`/${run.search}`)
        await lab.ready()
        found[run.name] = await walk(page)
      }
      const worst = Math.max(...Object.values(found).map((w) => w.maxShift))
      const steps = Object.values(found).reduce((n, w) => n + w.steps, 0)
      console.log(
        `${size.name}: ${steps} steps over ${RUNS.length} runs, Next moved at most ${worst} px`,
      )
      for (const [name, w] of Object.entries(found)) {
        expect(w.maxShift, `${name}: Next's largest displacement`).toBe(0)
        expect(w.nextOutOfView, `${name}: steps with Next out of view`).toEqual([])
        expect(w.pageScrolls, `${name}: steps where the page scrolls`).toEqual([])
        expect(w.rowOutOfView, `${name}: steps whose current row is out of view`).toEqual([])
      }
    })
  })
}

/** A step of each kind a teacher shows: the sign-in page, the token response, an attack. */
const SHOTS = [
  { name: 'sign-in', search: '?scenario=confidential&step=7' },
  { name: 'token', search: '?scenario=confidential&step=16' },
  { name: 'attack', search: '?scenario=code-interception&variant=vulnerable&step=15' },
] as const

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`screenshots in ${scheme}`, () => {
    test.use({ colorScheme: scheme, reducedMotion: 'reduce' })

    test('each layout at a sign-in, a token and an attack step', async ({ page }) => {
      test.setTimeout(120_000)
      const lab = new LabPage(page)
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height })
        for (const shot of SHOTS) {
          await page.goto(`/${shot.search}`)
          await lab.ready()
          await expect(lab.next).toBeInViewport({ ratio: 1 })
          // The formatted message is loaded on demand: shoot it, not its placeholder.
          await expect(page.getByText('Opening…')).toHaveCount(0)
          await settle(page)
          await page.screenshot({
            path: `test-results/screenshots/${size.name}-${scheme}-${shot.name}.png`,
          })
        }
      }
    })
  })
}

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, reducedMotion: 'reduce' })

  test('every tab: nothing a person reads under 14 px, and no sideways scroll', async ({ page }) => {
    const lab = new LabPage(page)
    const small: string[] = []
    for (const shot of SHOTS) {
      await page.goto(`/${shot.search}`)
      await lab.ready()
      for (const tab of ['Story', 'Diagram', 'Message', 'Browser', 'State', 'Log'] as const) {
        await lab.show(tab)
        await lab.expectDrawn()
        const found = await page.evaluate(() => {
          const out: string[] = []
          for (const el of document.querySelectorAll<HTMLElement>('.ofl-lab *')) {
            const text = [...el.childNodes]
              .filter((n) => n.nodeType === Node.TEXT_NODE)
              .map((n) => n.textContent?.trim() ?? '')
              .join('')
            if (!text || !el.checkVisibility({ visibilityProperty: true })) continue
            const box = el.getBoundingClientRect()
            // Text for screen readers only (clipped to a pixel) is not read on screen.
            if (box.width <= 1 || box.height <= 1) continue
            const size = parseFloat(getComputedStyle(el).fontSize)
            if (size < 14) out.push(`${size}px “${text.slice(0, 30)}” (${el.className})`)
          }
          const doc = document.scrollingElement!
          if (doc.scrollWidth > innerWidth) out.push(`page ${doc.scrollWidth}px wide`)
          return out
        })
        small.push(...found.map((f) => `${shot.name}, ${tab}: ${f}`))
      }
    }
    expect([...new Set(small)]).toEqual([])
  })
})
