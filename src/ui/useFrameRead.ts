import { useCallback, useEffect, useRef, type RefObject } from 'react'
import { useLabStore } from '../store/index.ts'
import type { Cancel } from '../store/timers.ts'

/**
 * Schedules work that reads layout (scroll positions, offsets) for just after the next frame is
 * drawn (the lab's `timers.afterPaint`): the browser has laid the page out for that frame, so the
 * read finds layout clean and costs nothing, where a read right after a commit would force that
 * layout early, inside a script. A write it makes (a scroll) shows in the frame after. Only the
 * latest read waits; while `panel` is skipped by `content-visibility: auto` (off screen) it waits
 * until the panel is shown.
 */
export function useFrameRead(panel: RefObject<HTMLElement | null>): (read: () => void) => void {
  const { timers } = useLabStore()
  const state = useRef({
    skipped: false,
    cancel: null as Cancel | null,
    pending: null as (() => void) | null,
  })

  useEffect(() => {
    const el = panel.current
    const s = state.current
    const onChange = (e: Event) => {
      s.skipped = (e as ContentVisibilityAutoStateChangeEvent).skipped
      if (s.skipped) return
      const read = s.pending
      s.pending = null
      read?.()
    }
    el?.addEventListener('contentvisibilityautostatechange', onChange)
    return () => {
      el?.removeEventListener('contentvisibilityautostatechange', onChange)
      s.cancel?.()
      s.pending = null
    }
  }, [panel])

  return useCallback(
    (read: () => void) => {
      const s = state.current
      s.pending = read
      if (s.skipped) return
      s.cancel?.()
      s.cancel = timers.afterPaint(() => {
        s.cancel = null
        if (s.skipped) return
        const latest = s.pending
        s.pending = null
        latest?.()
      })
    },
    [timers],
  )
}
