/**
 * The React binding: one store per Provider, so several labs on a page stay independent.
 */
import { createContext, useContext, useDeferredValue, useState, type ReactNode } from 'react'
import { useStore } from 'zustand'
import { createLabStore, type LabActions, type LabState, type LabStore, type LabStoreOptions } from './labStore.ts'

const LabContext = createContext<LabStore | null>(null)

/** Provides a lab store to its children: pass one, or options to create one. */
export function LabProvider({ store, options, children }: { store?: LabStore; options?: LabStoreOptions; children: ReactNode }) {
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
export function useLab<T>(selector: (s: LabState & LabActions) => T): T {
  return useStore(useLabStore(), selector)
}

/**
 * Selects like useLab, from the state the drawings show (`store.drawn`): it catches up after the
 * page has painted a change, and then in a render React can interrupt. The panels that illustrate
 * a step (lanes, browser, HTTP log, diagram) use it, so a Next puts the narration, the controls
 * and the state on screen in the first frame, and the drawings follow (a frame or two later on a
 * slow machine).
 */
export function useLabDeferred<T>(selector: (s: LabState & LabActions) => T): T {
  return useDeferredValue(useStore(useLabStore().drawn, selector))
}
