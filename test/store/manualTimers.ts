/**
 * A lab's timers on manual time, for tests: timeouts run only when the test says (`flush`), and
 * paints happen at once, or when the test says (`holdPaints`, then `paint`). `idle` is a new task,
 * so computing a run still yields to the test between steps.
 */
import type { Cancel, Timers } from '../../src/store/index.ts'

export interface ManualTimers extends Timers {
  /** Runs every timeout pending now, whatever its delay (not those they set). */
  flush(): void
  /** Timeouts pending. */
  pending(): number
  /** Runs the paint callbacks waiting (with `holdPaints`). */
  paint(): void
  /** Paint callbacks waiting. */
  paints(): number
}

export function manualTimers({ holdPaints = false } = {}): ManualTimers {
  let timeouts: (() => void)[] = []
  let painting: (() => void)[] = []
  const queue = (list: () => (() => void)[], fn: () => void): Cancel => {
    list().push(fn)
    return () => {
      const at = list().indexOf(fn)
      if (at >= 0) list().splice(at, 1)
    }
  }
  return {
    timeout(fn) {
      // Each timeout its own function, so cancelling one never cancels another with the same body.
      return queue(
        () => timeouts,
        () => fn(),
      )
    },
    afterPaint(fn) {
      if (!holdPaints) {
        fn()
        return () => {}
      }
      return queue(
        () => painting,
        () => fn(),
      )
    },
    idle: () => new Promise((resolve) => setTimeout(resolve, 0)),
    flush() {
      const run = timeouts
      timeouts = []
      for (const fn of run) fn()
    },
    pending: () => timeouts.length,
    paint() {
      const run = painting
      painting = []
      for (const fn of run) fn()
    },
    paints: () => painting.length,
    dispose() {
      timeouts = []
      painting = []
    },
  }
}
