/**
 * Renders components with a fresh lab store (shared test key, fixed clock, manual timers). jsdom
 * has no Web Animations (`Element.animate`): the lab draws everything as it ends, as it does
 * wherever nothing can animate.
 */
import { act, render, type RenderResult } from '@testing-library/react'
import userEvent, { type UserEvent } from '@testing-library/user-event'
import type { ReactElement } from 'react'
import {
  LabProvider,
  createLabStore,
  type LabStore,
  type LabStoreOptions,
} from '../../src/store/index.ts'
import { T0, sharedKeys } from '../protocol/helpers.ts'
import { manualTimers } from '../store/manualTimers.ts'

export { manualTimers }
import type { Step } from '../../src/flow/index.ts'

/** A fresh store for a test, on manual time: its drawings catch up at once (there is no paint to wait for). */
export function newStore(options: LabStoreOptions = {}): LabStore {
  return createLabStore({
    now: T0,
    keys: sharedKeys(),
    timers: manualTimers(),
    ...options,
  })
}

/** Resolves when the store has computed the whole run. */
export function whenComplete(store: LabStore): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const s = store.getState()
      if (s.error) {
        unsub()
        reject(new Error(s.error))
      } else if (s.complete && !s.busy) {
        unsub()
        resolve()
      }
    }
    const unsub = store.subscribe(check)
    check()
  })
}

/** Renders `ui` inside a LabProvider with `store` (a fresh one by default). */
export function renderWithLab(
  ui: ReactElement,
  store: LabStore = newStore(),
): RenderResult & { store: LabStore } {
  const result = render(<LabProvider store={store}>{ui}</LabProvider>)
  return { ...result, store }
}

/**
 * Renders `ui` with `store` (a fresh one by default), waits until its run is computed, and sets up
 * a `userEvent` session: the opening every interactive component test needs.
 */
export async function renderComputed(
  ui: ReactElement,
  store: LabStore = newStore(),
): Promise<RenderResult & { store: LabStore; user: UserEvent }> {
  const user = userEvent.setup()
  const result = renderWithLab(ui, store)
  await act(() => whenComplete(store))
  return { ...result, store, user }
}

/** A store whose run is computed, on the first step `pick` chooses. */
export async function storeAt(pick: (step: Step) => boolean): Promise<LabStore> {
  const store = newStore()
  await whenComplete(store)
  const step = store.getState().steps.find(pick)
  if (!step) throw new Error('no such step')
  await store.getState().goTo(step.index)
  return store
}

/** The default run's token request. */
export const tokenRequest = (s: Step) => s.kind.type === 'request' && s.label === 'POST /token'
/** The default run's token response. */
export const tokenResponse = (s: Step) =>
  s.kind.type === 'response' && s.label.startsWith('200 {access_token')
