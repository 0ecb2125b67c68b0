/**
 * The React binding: one store per Provider, so several labs on a page stay independent.
 */
import { createContext, useContext, useDeferredValue, useState, type ReactNode } from 'react'
import { useStore, type StoreApi } from 'zustand'
import {
  createLabStore,
  type LabActions,
  type LabState,
  type LabStore,
  type LabStoreOptions,
} from './labStore.ts'

type Full = LabState & LabActions

const LabContext = createContext<LabStore | null>(null)

/** Provides a lab store to its children: pass one, or options to create one. */
export function LabProvider({
  store,
  options,
  children,
}: {
  store?: LabStore
  options?: LabStoreOptions
  children: ReactNode
}) {
  const [own] = useState(() => store ?? createLabStore(options))
  return <LabContext.Provider value={store ?? own}>{children}</LabContext.Provider>
}

/** The store of the nearest LabProvider. */
export function useLabStore(): LabStore {
  const store = useContext(LabContext)
  if (!store) throw new Error('LAB_NO_PROVIDER: useLab must be used inside <LabProvider>')
  return store
}

/** Selects from the lab's state and actions. */
export function useLab<T>(selector: (s: Full) => T): T {
  return useStore(useLabStore(), selector)
}

/** What the drawings read: the store's state as of the page's last paint. */
export type PaintedView = Pick<StoreApi<Full>, 'getState' | 'getInitialState' | 'subscribe'>

const painted = new WeakMap<LabStore, PaintedView>()

/**
 * The lab's state as the drawings show it: it catches up with the store in a task after the page
 * has painted a change (`store.timers.afterPaint`), once for any number of changes before that
 * paint. One per store, made when a drawing first asks.
 */
export function paintedView(store: LabStore): PaintedView {
  let view = painted.get(store)
  if (view) return view
  let shown = store.getState()
  let waiting = false
  const listeners = new Set<(state: Full, previous: Full) => void>()
  store.subscribe(() => {
    if (waiting) return
    waiting = true
    store.timers.afterPaint(() => {
      waiting = false
      const previous = shown
      shown = store.getState()
      for (const listener of [...listeners]) listener(shown, previous)
    })
  })
  view = {
    getState: () => shown,
    // What a hydration render reads: the store's first state, as the prerender drew it.
    getInitialState: () => store.getInitialState(),
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
  painted.set(store, view)
  return view
}

/**
 * Selects like useLab, from the state as of the last paint (`paintedView`), in a render React can
 * interrupt. The panels that illustrate a step (lanes, browser, HTTP log, diagram) use it, so a
 * Next puts the narration, the controls and the state on screen in the first frame, and the
 * drawings follow (a frame or two later on a slow machine).
 */
export function useLabDeferred<T>(selector: (s: Full) => T): T {
  return useDeferredValue(useStore(paintedView(useLabStore()) as StoreApi<Full>, selector))
}
