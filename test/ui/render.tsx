/**
 * Renders components with a fresh lab store (shared test key, fixed clock, manual timers). jsdom
 * has no Web Animations (`Element.animate`): the lab draws everything as it ends, as it does
 * wherever nothing can animate.
 */
import { act, cleanup, render, type RenderResult } from '@testing-library/react'
import { afterEach, vi } from 'vitest'
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
import type { WorldState } from '../../src/protocol/index.ts'

/**
 * After each test of the calling file (or describe block): unmounts what it rendered and restores
 * what it mocked, so no spy or clipboard leaks into the next test.
 */
export function cleanUpAfterEach(): void {
  afterEach(() => {
    cleanup()
    vi.restoreAllMocks()
  })
}

/** Spies on the clipboard's `writeText` (resolving at once): what a copy button copied. */
export function spyOnClipboardWrites() {
  return vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined)
}

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

/** A store (made with `options`) whose run is computed, on the first step `pick` chooses. */
export async function storeAt(
  pick: (step: Step, store: LabStore) => boolean,
  options: LabStoreOptions = {},
): Promise<LabStore> {
  const store = newStore(options)
  await whenComplete(store)
  const step = store.getState().steps.find((s) => pick(s, store))
  if (!step) throw new Error('no such step')
  await store.getState().goTo(step.index)
  return store
}

/**
 * Replaces the world of the step on screen with an edited copy (the store's own snapshots stay as
 * they were): how tests put hostile values where the components will show them.
 */
export function editSnapshotOnScreen(store: LabStore, edit: (snapshot: WorldState) => void): void {
  const { steps, index } = store.getState()
  const edited = steps.map((s, i) => {
    if (i !== index) return s
    const snapshot = structuredClone(s.snapshot)
    edit(snapshot)
    return { ...s, snapshot }
  })
  act(() => store.setState({ steps: edited }))
}

/** The default run's token request. */
export const tokenRequest = (s: Step) => s.kind.type === 'request' && s.label === 'POST /token'
/** The default run's token response. */
export const tokenResponse = (s: Step) =>
  s.kind.type === 'response' && s.label.startsWith('200 {access_token')
