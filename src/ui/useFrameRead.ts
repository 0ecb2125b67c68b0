import { useCallback, useEffect, useRef, type RefObject } from 'react'

/**
 * Schedules work that reads layout (scroll positions, offsets) for the next animation frame, where
 * the browser lays the page out anyway, instead of forcing a layout right after a commit. While
 * `panel` is skipped by `content-visibility: auto` (off screen) the read waits until it is shown.
 */
export function useFrameRead(panel: RefObject<HTMLElement | null>): (read: () => void) => void {
  const state = useRef({ skipped: false, frame: 0, pending: null as (() => void) | null })

  useEffect(() => {
    const el = panel.current
    const s = state.current
    const onChange = (e: Event) => {
      s.skipped = (e as ContentVisibilityAutoStateChangeEvent).skipped
      const read = s.pending
      if (!s.skipped && read) {
        s.pending = null
        read()
      }
    }
    el?.addEventListener('contentvisibilityautostatechange', onChange)
    return () => {
      el?.removeEventListener('contentvisibilityautostatechange', onChange)
      if (typeof cancelAnimationFrame === 'function') cancelAnimationFrame(s.frame)
    }
  }, [panel])

  return useCallback((read: () => void) => {
    const s = state.current
    s.pending = read
    if (s.skipped) return
    if (typeof requestAnimationFrame !== 'function') {
      s.pending = null
      read()
      return
    }
    cancelAnimationFrame(s.frame)
    s.frame = requestAnimationFrame(() => {
      const latest = s.pending
      if (s.skipped || !latest) return
      s.pending = null
      latest()
    })
  }, [])
}
