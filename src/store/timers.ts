/**
 * One lab's timers: every delay the lab waits for (autoplay's interval, the drawings catching up
 * after a paint, the address settling, a layout read after a frame, yielding between computed
 * steps) goes through one registry, as in tldraw's `editor.timers`. A lab's registry is injected
 * (`createLabStore({ timers })`), so tests run the lab on manual time, and `dispose()` cancels
 * everything the lab still waits for.
 */

/** Cancels what it was returned for; calling it again (or after the callback ran) does nothing. */
export type Cancel = () => void

export interface Timers {
  /** Runs `fn` after `ms` milliseconds. */
  timeout(fn: () => void, ms: number): Cancel
  /**
   * Runs `fn` in a task just after the page's next frame is drawn, when its layout is clean; in
   * a new task where nothing draws (no page, or a hidden one, whose frames wait until it shows).
   */
  afterPaint(fn: () => void): Cancel
  /**
   * Resolves when the page is idle, or in a new task where there is no idle callback, so painting
   * and input come before the next piece of work.
   */
  idle(): Promise<void>
  /** Cancels every timer still pending. */
  dispose(): void
}

/** Runs `fn` in a new task: a message, not a timer (nested timers are clamped to 4 ms). */
function task(fn: () => void): Cancel {
  if (typeof MessageChannel !== 'function') {
    const h = setTimeout(fn, 0)
    return () => clearTimeout(h)
  }
  const channel = new MessageChannel()
  let live = true
  channel.port1.onmessage = () => {
    channel.port1.close()
    if (live) fn()
  }
  channel.port2.postMessage(null)
  return () => {
    live = false
    channel.port1.close()
  }
}

/** The page's own timers (setTimeout, requestAnimationFrame, requestIdleCallback). */
export function createTimers(): Timers {
  const pending = new Set<Cancel>()
  /** Registers a cancel; the returned one also forgets it, as does the callback when it runs. */
  function track(start: (done: () => void) => Cancel): Cancel {
    let cancel: Cancel = () => {}
    const stop = () => {
      pending.delete(stop)
      cancel()
    }
    pending.add(stop)
    cancel = start(() => pending.delete(stop))
    return stop
  }
  return {
    timeout(fn, ms) {
      return track((done) => {
        const h = setTimeout(() => {
          done()
          fn()
        }, ms)
        return () => clearTimeout(h)
      })
    },
    afterPaint(fn) {
      return track((done) => {
        const run = () => {
          done()
          fn()
        }
        if (
          typeof requestAnimationFrame !== 'function' ||
          globalThis.document?.visibilityState === 'hidden'
        )
          return task(run)
        // A frame callback runs before the frame's layout and paint; a task posted from it, after.
        let inner: Cancel | null = null
        const frame = requestAnimationFrame(() => (inner = task(run)))
        return () => {
          cancelAnimationFrame(frame)
          inner?.()
        }
      })
    },
    idle() {
      return new Promise((resolve) => {
        track((done) => {
          const run = () => {
            done()
            resolve()
          }
          if (typeof requestIdleCallback !== 'function') return task(run)
          const h = requestIdleCallback(run, { timeout: 250 })
          // A cancelled wait never resolves: what awaited it belonged to a lab that is gone.
          return () => cancelIdleCallback(h)
        })
      })
    },
    dispose() {
      for (const stop of [...pending]) stop()
    },
  }
}
