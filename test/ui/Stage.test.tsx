// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SequenceDiagram } from '../../src/ui/SequenceDiagram/SequenceDiagram.tsx'
import type { LabStore } from '../../src/store/index.ts'
import { newStore, renderWithLab, whenComplete } from './render.tsx'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

/** `prefers-reduced-motion: reduce` as the user's setting (jsdom has no `matchMedia`). */
function preferReducedMotion() {
  vi.stubGlobal('matchMedia', (query: string) => ({
    matches: query === '(prefers-reduced-motion: reduce)',
    media: query,
    addEventListener() {},
    removeEventListener() {},
  }))
}

interface Played {
  el: Element
  keyframes: Record<string, unknown>
  options: KeyframeAnimationOptions
}

/** A stand-in for Web Animations (jsdom has none): records what is played. */
function recordAnimations(): Played[] {
  const played: Played[] = []
  const animate = function (
    this: Element,
    keyframes: Record<string, unknown>,
    options: KeyframeAnimationOptions,
  ) {
    played.push({ el: this, keyframes, options })
    return {
      onfinish: null,
      playState: 'running',
      playbackRate: 1,
      currentTime: 0,
      startTime: 0,
      effect: null,
      cancel() {},
      pause() {},
      play() {},
      finish() {},
    } as unknown as Animation
  }
  Object.defineProperty(Element.prototype, 'animate', { value: animate, configurable: true })
  return played
}

afterEach(() => {
  delete (Element.prototype as { animate?: unknown }).animate
})

/** A completed store showing the step with this label (the first one). */
async function storeAt(
  label: string,
  options: Parameters<typeof newStore>[0] = {},
): Promise<LabStore> {
  const store = newStore(options)
  await whenComplete(store)
  const step = store.getState().steps.find((s) => s.label === label)
  if (!step) throw new Error(`no step labelled ${label}`)
  await store.getState().goTo(step.index)
  return store
}

const lanes = () => screen.getByRole('group', { name: 'Lanes' })
const lane = (name: string) => within(lanes()).getByRole('group', { name })

describe('the stage’s lanes: the diagram’s column heads', () => {
  it('shows a lane per role with its name, origin and status', async () => {
    renderWithLab(<SequenceDiagram />, await storeAt('POST /token'))
    const names = within(lanes())
      .getAllByRole('group')
      .map((g) => g.getAttribute('aria-label'))
    expect(names).toEqual(['Browser', 'Client', 'Authorization Server', 'Resource Server'])
    expect(lane('Browser').textContent).toContain('Alice’s browser')
    expect(lane('Client').textContent).toContain('https://client.example')
    expect(lane('Authorization Server').textContent).toContain('https://auth.example')
    expect(lane('Resource Server').textContent).toContain('https://api.example')
    expect(lane('Authorization Server').textContent).toContain('Validating the code')
    expect(lane('Client').textContent).toContain('Waiting for the Authorization Server')
    expect(lane('Resource Server').textContent).toContain('Idle')
  })

  it('names the single-page app’s origin for a public client', async () => {
    renderWithLab(
      <SequenceDiagram />,
      await storeAt('GET /authorize?…', { config: { clientType: 'public' } }),
    )
    expect(lane('Client').textContent).toContain('https://spa.example')
  })

  it('marks the active lanes', async () => {
    renderWithLab(<SequenceDiagram />, await storeAt('POST /token'))
    expect(lane('Client').getAttribute('aria-current')).toBe('true')
    expect(lane('Authorization Server').getAttribute('aria-current')).toBe('true')
    expect(lane('Browser').getAttribute('aria-current')).toBeNull()
    expect(lane('Resource Server').getAttribute('data-active')).toBe('false')
  })

  it('describes the step on screen for screen readers', async () => {
    renderWithLab(<SequenceDiagram />, await storeAt('POST /token'))
    expect(
      screen.getByText('From Client to Authorization Server, back channel: POST /token'),
    ).toBeTruthy()
  })

  it('has a legend for the channels, user actions, failures and the attacker', async () => {
    renderWithLab(<SequenceDiagram />, await storeAt('POST /token'))
    const legend = screen.getByRole('list', { name: 'Legend' })
    for (const text of ['through the browser', 'server to server', 'user', 'failed', 'attacker'])
      expect(within(legend).getByText(text)).toBeTruthy()
  })

  it('follows the store as it advances: statuses and the lanes taking part', async () => {
    const store = newStore()
    await whenComplete(store)
    renderWithLab(<SequenceDiagram />, store)
    expect(lane('Browser').textContent).toContain('Idle')
    await act(async () => {
      await store.getState().next()
    })
    expect(screen.getByText('From Browser to Client, front channel: GET /')).toBeTruthy()
    expect(lane('Client').getAttribute('aria-current')).toBe('true')
  })

  it('draws everything where it ends when the browser cannot animate', async () => {
    expect('animate' in Element.prototype).toBe(false)
    renderWithLab(<SequenceDiagram />, await storeAt('POST /token'))
    const row = screen.getByRole('list', { name: 'Messages so far' })
    for (const el of [row, ...row.querySelectorAll<HTMLElement>('*')]) {
      expect((el as HTMLElement).style.opacity).toBe('')
      expect((el as HTMLElement).style.transform).toBe('')
    }
  })

  it('draws each new row in (transform and opacity) and fades a changed status in', async () => {
    const played = recordAnimations()
    renderWithLab(<SequenceDiagram />, await storeAt('POST /token'))
    const current = document.querySelector('li[data-current="true"]')
    // One Web Animation per property.
    expect(played.filter((p) => p.el === current).map((p) => p.keyframes)).toEqual([
      { opacity: [0, 1] },
      { transform: ['translateY(-0.6em)', 'translateY(0)'] },
    ])
    expect(played.some((p) => p.el.closest('.ofl-seq-lane-status'))).toBe(true)
  })

  describe('under reduced motion', () => {
    it('animates nothing: the current row is highlighted in place', async () => {
      preferReducedMotion()
      const played = recordAnimations()
      renderWithLab(<SequenceDiagram />, await storeAt('POST /token'))
      expect(document.querySelector('li[data-current="true"]')).not.toBeNull()
      expect(played).toEqual([])
    })
  })
})
