/**
 * The page's lab store, created before React and the lab's views are evaluated: the signing key
 * (RSA generation, slow on weak devices; it runs off the main thread) and the first steps of the
 * run are then computed while the rest of the page loads. The address says which lab to open
 * (see `labUrl.ts`: scenario, settings, step, seed, start time) and follows the learner, so the
 * address bar is always a link to the step on screen.
 */
import { parseLabQuery } from '../flow/links/labUrl.ts'
import { createLabStore, type LabStore } from '../store/labStore.ts'
import type { Cancel } from '../store/timers.ts'
import { stepLink } from '../ui/Share/stepLink.ts'

/** Creates the store for an address's query string. */
export function storeForQuery(search: string): LabStore {
  const link = parseLabQuery(search)
  return createLabStore({
    config: link.config,
    ...(link.config.now !== undefined ? { now: link.config.now } : {}),
    ...(link.step !== null ? { step: link.step } : {}),
    ...(link.theme ? { theme: link.theme } : {}),
    notice: link.notice,
  })
}

/** The address of the step on screen (what Share copies), from the page's own address. */
export function linkTo(store: LabStore, href: string): string {
  return stepLink(store.getState(), href)
}

/** Quiet time after the last change before the address is written. */
const SETTLE_MS = 150

/**
 * Keeps the address bar on the step on screen (ignored parameters are dropped from it; the
 * notice quotes them). Returns the unsubscribe.
 *
 * `history.replaceState` saves the scroll position into the history entry, which makes the
 * browser bring style and layout up to date first: called while a step's changes are still to be
 * laid out, it does that whole layout inside its own task (seen at 90 ms during autoplay). So the
 * address is written once the steps settle (the lab's timers), and then just after a frame, when
 * layout is clean.
 */
export function syncAddress(store: LabStore): () => void {
  let last = key()
  let wait: Cancel | null = null
  function key() {
    const s = store.getState()
    return `${s.runId}|${s.index}|${JSON.stringify(s.config)}`
  }
  function write() {
    wait = null
    const href = linkTo(store, location.href)
    if (href === location.href) return
    try {
      history.replaceState(history.state, '', href)
    } catch {
      // Browsers limit how often the address may change; the next step writes it again.
    }
  }
  const unsubscribe = store.subscribe(() => {
    const k = key()
    if (k === last) return
    last = k
    // Stepping quickly (a held arrow key, autoplay at 4×) writes once it settles.
    wait?.()
    wait = store.timers.timeout(() => (wait = store.timers.afterPaint(write)), SETTLE_MS)
  })
  return () => {
    unsubscribe()
    wait?.()
  }
}

const inPage = typeof location !== 'undefined' && typeof history !== 'undefined'

export const pageStore = storeForQuery(inPage ? location.search : '')
if (inPage) syncAddress(pageStore)
