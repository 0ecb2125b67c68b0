import { animate } from 'framer-motion/dom/mini'
import { useLayoutEffect, useRef, type RefObject } from 'react'

/** Each animated CSS property: where it starts and where it ends (the element's own style). */
export type EnterKeyframes = Record<string, readonly [string | number, string | number]>

export interface EnterOptions {
  /** Seconds. */
  duration: number
  /** Seconds before it starts; the first keyframe shows meanwhile. */
  delay?: number
  /** A cubic Bézier; framer-motion's `easeOut` when left out. */
  ease?: readonly [number, number, number, number]
}

/**
 * Plays `keyframes` on the element once it is in the DOM, before it is first painted, and again
 * when `key` changes; later changes of `keyframes` or `options` alone don't restart it. `null`
 * keyframes (reduced motion) play nothing, and stop what is playing. The element renders in its
 * end state, so where the browser has no Web Animations (jsdom) it simply shows that. Runs on the
 * browser's animation engine (framer-motion's mini `animate`, WAAPI): opacity and transform
 * animate off the main thread.
 */
export function useEnterAnimation(
  ref: RefObject<Element | null>,
  keyframes: EnterKeyframes | null,
  options: EnterOptions,
  key?: unknown,
): void {
  // The key last played (or shown still), so that reduced motion turned off later doesn't
  // replay what is already on screen.
  const entered = useRef<{ key: unknown } | null>(null)
  const still = keyframes === null
  useLayoutEffect(() => {
    const fresh = entered.current === null || !Object.is(entered.current.key, key)
    entered.current = { key }
    const el = ref.current
    if (!fresh || !keyframes || !el || typeof el.animate !== 'function') return
    const frames: Record<string, (string | number)[]> = {}
    for (const [name, [from, to]] of Object.entries(keyframes)) frames[name] = [from, to]
    const controls = animate(el, frames, {
      duration: options.duration,
      delay: options.delay ?? 0,
      ...(options.ease ? { ease: [...options.ease] } : {}),
    })
    let finished = false
    void controls.finished.then(() => (finished = true))
    return () => {
      // Stopped before its end (unmounted, a new key, reduced motion turned on; or React's
      // development double mount): dropped without writing its current value, and played
      // again if the element mounts again.
      if (finished) return
      controls.cancel()
      entered.current = null
    }
    // Only on mount, a new key, and reduced motion switching, as documented above.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ref, key, still])
}
