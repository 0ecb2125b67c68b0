// @vitest-environment jsdom
import { act, cleanup, render } from '@testing-library/react'
import { useRef } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useEnterAnimation } from '../../src/ui/useEnterAnimation.ts'
import { useReducedMotion } from '../../src/ui/useReducedMotion.ts'

/** A `matchMedia` whose `prefers-reduced-motion` the test switches. */
function fakeMotionSetting(reduce: boolean) {
  const listeners = new Set<() => void>()
  const list = {
    get matches() {
      return reduce
    },
    media: '(prefers-reduced-motion: reduce)',
    addEventListener: (_: string, f: () => void) => listeners.add(f),
    removeEventListener: (_: string, f: () => void) => listeners.delete(f),
  }
  vi.stubGlobal('matchMedia', () => list)
  return {
    set(value: boolean) {
      reduce = value
      act(() => listeners.forEach((f) => f()))
    },
    listeners,
  }
}

interface Fake {
  el: Element
  keyframes: Record<string, unknown>
  cancelled: boolean
  finish(): void
}

/** Web Animations stand-in (jsdom has none): each animation finishes when the test says. */
function fakeAnimations(): Fake[] {
  const all: Fake[] = []
  Object.defineProperty(Element.prototype, 'animate', {
    configurable: true,
    value(this: Element, keyframes: Record<string, unknown>) {
      const animation = {
        onfinish: null as null | (() => void),
        playState: 'running',
        playbackRate: 1,
        currentTime: 0,
        startTime: 0,
        effect: null,
        cancel() {
          fake.cancelled = true
        },
        pause() {},
        play() {},
        finish() {},
      }
      const fake: Fake = {
        el: this,
        keyframes,
        cancelled: false,
        finish: () => act(() => animation.onfinish?.()),
      }
      all.push(fake)
      return animation
    },
  })
  return all
}

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  delete (Element.prototype as { animate?: unknown }).animate
})

function Fading({ label }: { label: string }) {
  const ref = useRef<HTMLSpanElement>(null)
  const reduced = useReducedMotion()
  useEnterAnimation(ref, reduced ? null : { opacity: [0, 1] }, { duration: 0.25 }, label)
  return <span ref={ref}>{label}</span>
}

describe('useEnterAnimation', () => {
  it('plays on mount and again for a new key, not for a re-render with the same key', () => {
    fakeMotionSetting(false)
    const played = fakeAnimations()
    const { rerender } = render(<Fading label="a" />)
    expect(played.map((p) => p.keyframes)).toEqual([{ opacity: [0, 1] }])
    rerender(<Fading label="a" />)
    expect(played).toHaveLength(1)
    rerender(<Fading label="b" />)
    expect(played).toHaveLength(2)
    // The first one was still running: dropped, not left half-way.
    expect(played[0]!.cancelled).toBe(true)
  })

  it('stops when reduced motion is turned on, and does not replay when it is turned off', () => {
    const setting = fakeMotionSetting(false)
    const played = fakeAnimations()
    const { container } = render(<Fading label="a" />)
    expect(played).toHaveLength(1)
    setting.set(true)
    expect(played[0]!.cancelled).toBe(true)
    setting.set(false)
    expect(played).toHaveLength(1)
    expect(container.textContent).toBe('a')
  })

  it('leaves the element at its last keyframe when it finishes, and keeps it there', async () => {
    fakeMotionSetting(false)
    const played = fakeAnimations()
    const { container, rerender } = render(<Fading label="a" />)
    played[0]!.finish()
    await act(async () => {})
    // framer-motion writes the last keyframe as the element's style when it finishes.
    expect(container.querySelector('span')!.style.opacity).toBe('1')
    rerender(<Fading label="a" />)
    expect(played).toHaveLength(1)
    expect(container.querySelector('span')!.style.opacity).toBe('1')
  })

  it('plays nothing under reduced motion, and nothing where the browser cannot animate', () => {
    fakeMotionSetting(true)
    const played = fakeAnimations()
    render(<Fading label="a" />)
    expect(played).toEqual([])
    cleanup()
    vi.unstubAllGlobals()
    delete (Element.prototype as { animate?: unknown }).animate
    const { container } = render(<Fading label="b" />)
    expect(container.querySelector('span')!.getAttribute('style')).toBeNull()
  })
})

describe('useReducedMotion', () => {
  function Show() {
    return <p>{useReducedMotion() ? 'reduced' : 'full'}</p>
  }

  it('follows the user’s setting as it changes, and stops listening when unmounted', () => {
    const setting = fakeMotionSetting(false)
    const { container, unmount } = render(<Show />)
    expect(container.textContent).toBe('full')
    setting.set(true)
    expect(container.textContent).toBe('reduced')
    unmount()
    expect(setting.listeners.size).toBe(0)
  })

  it('is off where there is no matchMedia', () => {
    const { container } = render(<Show />)
    expect(container.textContent).toBe('full')
  })
})
