import { useSyncExternalStore } from 'react'

const QUERY = '(prefers-reduced-motion: reduce)'

/** The media query list, made once per `matchMedia` (none where there is none, as in jsdom). */
let made: { from: typeof matchMedia; list: MediaQueryList } | null = null
function query(): MediaQueryList | null {
  if (typeof matchMedia !== 'function') return null
  if (made?.from !== matchMedia) made = { from: matchMedia, list: matchMedia(QUERY) }
  return made.list
}

function subscribe(onChange: () => void): () => void {
  const mq = query()
  mq?.addEventListener('change', onChange)
  return () => mq?.removeEventListener('change', onChange)
}

const getSnapshot = () => query()?.matches ?? false
const getServerSnapshot = () => false

/**
 * Whether the user asked for reduced motion (`prefers-reduced-motion: reduce`), following changes
 * of the setting while the page is open. Under it nothing animates: everything is drawn as it ends.
 */
export function useReducedMotion(): boolean {
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot)
}
