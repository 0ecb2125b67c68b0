// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Lanes } from '../../src/ui/Lanes/Lanes.tsx'
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

describe('Lanes', () => {
  it('shows a lane per role with its name, origin and status', async () => {
    renderWithLab(<Lanes />, await storeAt('POST /token'))
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
      <Lanes />,
      await storeAt('GET /authorize?…', { config: { clientType: 'public' } }),
    )
    expect(lane('Client').textContent).toContain('https://spa.example')
  })

  it('marks the active lanes', async () => {
    renderWithLab(<Lanes />, await storeAt('POST /token'))
    expect(lane('Client').getAttribute('aria-current')).toBe('true')
    expect(lane('Authorization Server').getAttribute('aria-current')).toBe('true')
    expect(lane('Browser').getAttribute('aria-current')).toBeNull()
    expect(lane('Resource Server').getAttribute('data-active')).toBe('false')
  })

  it('labels the travelling message and describes it for screen readers', async () => {
    renderWithLab(<Lanes />, await storeAt('POST /token'))
    expect(screen.getByText('POST /token')).toBeTruthy()
    expect(
      screen.getByText('From Client to Authorization Server, back channel: POST /token'),
    ).toBeTruthy()
    expect(screen.getByTestId('lanes-arrow').closest('[aria-hidden="true"]')).not.toBeNull()
    expect(screen.getByText('Phase').parentElement?.textContent).toBe('Phase C')
  })

  it('has a legend for the channels and user actions', async () => {
    renderWithLab(<Lanes />, await storeAt('POST /token'))
    const legend = screen.getByRole('list', { name: 'Legend' })
    expect(within(legend).getByText('Front channel — through the browser')).toBeTruthy()
    expect(within(legend).getByText('Back channel — server to server')).toBeTruthy()
    expect(within(legend).getByText('User action')).toBeTruthy()
  })

  it('shows a user step as an action in the browser lane, with no arrow', async () => {
    renderWithLab(<Lanes />, await storeAt('types credentials'))
    expect(screen.getByText('types credentials')).toBeTruthy()
    expect(screen.getByText('User action in the Browser: types credentials')).toBeTruthy()
    expect(screen.queryByTestId('lanes-arrow')).toBeNull()
  })

  it('draws no arrow at the start, and follows the store as it advances', async () => {
    const store = newStore()
    await whenComplete(store)
    renderWithLab(<Lanes />, store)
    expect(screen.queryByTestId('lanes-arrow')).toBeNull()
    expect(lane('Browser').textContent).toContain('Idle')
    await act(async () => {
      await store.getState().next()
    })
    expect(screen.getByTestId('lanes-arrow')).toBeTruthy()
    expect(screen.getByText('From Browser to Client, front channel: GET /')).toBeTruthy()
    expect(lane('Client').getAttribute('aria-current')).toBe('true')
  })

  it('sends a packet along the arrow when motion is allowed', async () => {
    renderWithLab(<Lanes />, await storeAt('POST /token'))
    expect(screen.getByTestId('lanes-packet')).toBeTruthy()
  })

  it('draws everything where it ends when the browser cannot animate', async () => {
    expect('animate' in Element.prototype).toBe(false)
    renderWithLab(<Lanes />, await storeAt('POST /token'))
    const track = screen.getByTestId('lanes-arrow').closest('.ofl-msg')!
    for (const el of [track, ...track.querySelectorAll<HTMLElement>('*')]) {
      expect((el as HTMLElement).style.opacity).toBe('')
      expect((el as HTMLElement).style.transform).toBe('')
    }
    expect(screen.getByText('POST /token')).toBeTruthy()
  })

  it('animates the message in: label and head fade, the line grows, the packet travels', async () => {
    const played = recordAnimations()
    renderWithLab(<Lanes />, await storeAt('POST /token'))
    const arrow = screen.getByTestId('lanes-arrow')
    const on = (selector: string) => {
      const el = arrow.closest('.ofl-msg')!.querySelector(selector)
      return played.filter((p) => p.el === el)
    }
    expect(on('.ofl-msg-label').map((p) => p.keyframes)).toEqual([{ opacity: [0, 1] }])
    expect(on('.ofl-msg-line').map((p) => p.keyframes)).toEqual([
      { transform: ['scaleX(0)', 'scaleX(1)'] },
    ])
    // Client → Authorization Server points right: the packet comes from the left.
    expect(on('.ofl-msg-carrier').map((p) => p.keyframes)).toEqual([
      { transform: ['translateX(-100%)', 'translateX(0%)'] },
    ])
    const head = on('.ofl-msg-head')
    expect(head.map((p) => p.keyframes)).toEqual([{ opacity: [0, 1] }])
    // The head waits for the line (0.7 of its 0.7 s at 1×), showing its first keyframe meanwhile.
    expect(head[0]!.options).toMatchObject({ duration: 250, fill: 'both' })
    expect(head[0]!.options.delay).toBeCloseTo(490)
    expect(on('.ofl-msg-packet').map((p) => p.options.delay)).toEqual([700])
    // A lane whose status changed fades it in.
    expect(played.some((p) => p.el.closest('.ofl-lane-status'))).toBe(true)
  })

  describe('under reduced motion', () => {
    it('animates nothing', async () => {
      preferReducedMotion()
      const played = recordAnimations()
      renderWithLab(<Lanes />, await storeAt('POST /token'))
      expect(screen.getByTestId('lanes-arrow')).toBeTruthy()
      expect(played).toEqual([])
    })

    it('shows the arrow highlighted in place: nothing moves', async () => {
      preferReducedMotion()
      renderWithLab(<Lanes />, await storeAt('POST /token'))
      const arrow = screen.getByTestId('lanes-arrow')
      expect(screen.queryByTestId('lanes-packet')).toBeNull()
      expect(arrow.closest('[data-still]')?.getAttribute('data-still')).toBe('true')
      for (const el of [arrow, ...arrow.querySelectorAll<HTMLElement>('*')]) {
        expect(el.style.transform).toBe('')
      }
      expect(
        screen.getByText('From Client to Authorization Server, back channel: POST /token'),
      ).toBeTruthy()
    })
  })
})
