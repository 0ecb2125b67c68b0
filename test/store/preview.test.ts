import { describe, expect, it } from 'vitest'
import type { SigningKey } from '../../src/protocol/index.ts'
import { createLabStore, selectShown, selectStep, selectStepCount } from '../../src/store/index.ts'
import { T0, sharedKeys } from '../protocol/helpers.ts'
import { whenComplete } from '../ui/render.tsx'

/** Keys that arrive when the test says: the world cannot start before. */
function heldKeys() {
  let release: (keys: SigningKey[]) => void = () => {}
  const keys = new Promise<SigningKey[]>((r) => (release = r))
  return { keys, release }
}

describe('the first step before the simulated world has loaded', () => {
  it('is shown at once as words, counted as one step, with no world state', () => {
    const { keys } = heldKeys()
    const store = createLabStore({ keys, now: T0, config: { seed: 'p' } })
    const s = store.getState()
    expect(s.steps).toEqual([])
    expect(s.busy).toBe(true)
    expect(selectStep(s)).toBeUndefined()
    expect(selectShown(s)).toBe(s.preview)
    expect(s.preview?.title).toBe('Ready: a web app with a server of its own')
    expect(selectStepCount(s)).toBe(1)
  })

  it('Next pressed before the world is ready waits for it, then shows step 2', async () => {
    const { keys, release } = heldKeys()
    const store = createLabStore({ keys, now: T0, config: { seed: 'p' } })
    const preview = store.getState().preview
    const pressed = store.getState().next()
    expect(store.getState().index).toBe(0)
    release(await sharedKeys())
    await pressed
    const s = store.getState()
    expect(s.index).toBe(1)
    expect(s.steps[0]?.title).toBe(preview?.title)
    expect(s.steps[0]?.narration).toBe(preview?.narration)
    await whenComplete(store)
  })

  it('follows the scenario and variant: a new preview on every restart', async () => {
    const store = createLabStore({ keys: sharedKeys(), now: T0, config: { seed: 'p' } })
    await whenComplete(store)
    const changed = store.getState().setConfig({ scenario: 'csrf-no-state', variant: 'vulnerable' })
    expect(store.getState().steps).toEqual([])
    expect(selectShown(store.getState())?.title).toBe('Ready: a forged sign-in (login CSRF)')
    expect(selectShown(store.getState())?.narration).toMatch(/does not use state/)
    await changed
    await whenComplete(store)
    expect(selectStep(store.getState())?.title).toBe('Ready: a forged sign-in (login CSRF)')
  })

  it('is null for an unknown scenario, and the run reports the error', async () => {
    const store = createLabStore({ keys: sharedKeys(), now: T0, config: { scenario: 'nope' } })
    expect(store.getState().preview).toBeNull()
    expect(selectShown(store.getState())).toBeUndefined()
    expect(selectStepCount(store.getState())).toBe(0)
    await expect.poll(() => store.getState().error).toMatch(/could not start.*no scenario "nope"/)
  })

  it('a world that fails to load is reported as an error, not thrown', async () => {
    const store = createLabStore({
      keys: Promise.reject(new Error('key generation refused')),
      now: T0,
    })
    await expect.poll(() => store.getState().error).toMatch(/key generation refused/)
    expect(store.getState().busy).toBe(false)
  })
})
