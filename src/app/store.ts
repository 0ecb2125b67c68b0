/**
 * The page's lab store, created before React and the lab's views are evaluated: the signing key
 * (RSA generation, slow on weak devices; it runs off the main thread) and the first steps of the
 * run are then computed while the rest of the page loads. The address says which lab to open
 * (see `labUrl.ts`: scenario, settings, step, seed, start time) and follows the learner, so the
 * address bar is always a link to the step on screen.
 */
import { parseLabQuery } from '../flow/labUrl.ts'
import { createLabStore, type LabStore } from '../store/labStore.ts'
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

/**
 * Keeps the address bar on the step on screen (ignored parameters are dropped from it; the
 * notice quotes them). Returns the unsubscribe.
 */
export function syncAddress(store: LabStore): () => void {
  let last = key()
  let timer: ReturnType<typeof setTimeout> | null = null
  function key() {
    const s = store.getState()
    return `${s.runId}|${s.index}|${JSON.stringify(s.config)}`
  }
  function write() {
    timer = null
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
    if (timer === null) timer = setTimeout(write, 150)
  })
  return () => {
    unsubscribe()
    if (timer !== null) clearTimeout(timer)
  }
}

const inPage = typeof location !== 'undefined' && typeof history !== 'undefined'

export const pageStore = storeForQuery(inPage ? location.search : '')
if (inPage) syncAddress(pageStore)
