import { useCallback, useEffect, useRef, type RefObject } from 'react'

/**
 * Schedules work that reads layout (scroll positions, offsets) for just after the next frame is
 * drawn: the browser has laid the page out for that frame, so the read finds layout clean and
 * costs nothing, where a read right after a commit (or in a rAF callback, before the frame's own
 * layout) would force that layout early, inside a script. A write it makes (a scroll) shows in
 * the frame after. Only the latest read waits; while `panel` is skipped by
 * `content-visibility: auto` (off screen) it waits until the panel is shown.
 */
export function useFrameRead(panel: RefObject<HTMLElement | null>): (read: () => void) => void {
  const state = useRef({
    skipped: false,
    frame: 0,
    pending: null as (() => void) | null,
    channel: null as MessageChannel | null,
  })

  useEffect(() => {
    const el = panel.current
    const s = state.current
    const onChange = (e: Event) => {
      s.skipped = (e as ContentVisibilityAutoStateChangeEvent).skipped
      if (!s.skipped) run()
    }
    el?.addEventListener('contentvisibilityautostatechange', onChange)
    return () => {
      el?.removeEventListener('contentvisibilityautostatechange', onChange)
      if (typeof cancelAnimationFrame === 'function') cancelAnimationFrame(s.frame)
      s.pending = null
      s.channel?.port1.close()
      s.channel = null
    }

    function run() {
      const read = s.pending
      s.pending = null
      read?.()
    }
  }, [panel])

  return useCallback((read: () => void) => {
    const s = state.current
    s.pending = read
    if (s.skipped) return
    if (typeof requestAnimationFrame !== 'function' || typeof MessageChannel !== 'function') {
      s.pending = null
      read()
      return
    }
    if (!s.channel) {
      s.channel = new MessageChannel()
      s.channel.port1.onmessage = () => {
        if (s.skipped) return
        const latest = s.pending
        s.pending = null
        latest?.()
      }
    }
    const channel = s.channel
    cancelAnimationFrame(s.frame)
    // A rAF callback runs before the frame's layout and paint; a message posted from it runs
    // after them.
    s.frame = requestAnimationFrame(() => channel.port2.postMessage(null))
  }, [])
}
