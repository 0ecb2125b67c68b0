import { describe, expect, it } from 'vitest'
import { selectStep, type LabStore } from '../../src/store/index.ts'
import { newStore, whenComplete } from '../ui/render.tsx'

/** Resolves once the store has computed at least `n` steps. */
function whenSteps(store: LabStore, n: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (store.getState().steps.length < n) return
      unsub()
      resolve()
    }
    const unsub = store.subscribe(check)
    check()
  })
}

/** The number of steps of the default run, computed once. */
async function defaultLength(): Promise<number> {
  const store = newStore()
  await whenComplete(store)
  return store.getState().steps.length
}

describe('a lab opened at a step (a shared link)', () => {
  it('opens that step as soon as it exists, before the run is complete', async () => {
    const store = newStore({ step: 9 })
    const seen: { index: number; length: number; complete: boolean }[] = []
    store.subscribe((s) =>
      seen.push({ index: s.index, length: s.steps.length, complete: s.complete }),
    )
    await whenComplete(store)
    expect(store.getState().index).toBe(9)
    const first = seen.find((s) => s.index === 9)
    expect(first?.complete).toBe(false)
    expect(first?.length).toBe(10)
    // It never showed a step in between.
    expect(new Set(seen.map((s) => s.index))).toEqual(new Set([0, 9]))
    expect(selectStep(store.getState())?.index).toBe(9)
    expect(store.getState().notice).toBeNull()
  })

  it('opens the last step when asked for it exactly', async () => {
    const length = await defaultLength()
    const store = newStore({ step: length - 1 })
    await whenComplete(store)
    expect(store.getState().index).toBe(length - 1)
    expect(store.getState().notice).toBeNull()
  })

  it('stays on step 1 with a notice when the step is past the end', async () => {
    const length = await defaultLength()
    const store = newStore({ step: length })
    await whenComplete(store)
    expect(store.getState().index).toBe(0)
    expect(store.getState().notice).toBe(
      `This run has ${length} steps, so there is no step ${length + 1}; it starts at step 1.`,
    )
  })

  it('adds the step notice after the link’s own notice', async () => {
    const store = newStore({ step: 998, notice: 'The seed “a b” was ignored.' })
    await whenComplete(store)
    expect(store.getState().index).toBe(0)
    expect(store.getState().notice).toMatch(
      /^The seed “a b” was ignored\. This run has \d+ steps, so there is no step 999; it starts at step 1\.$/,
    )
  })

  it('lets a learner who moved before the step exists stay where they went', async () => {
    const length = await defaultLength()
    const store = newStore({ step: length - 2 })
    await whenSteps(store, 3)
    await store.getState().next()
    expect(store.getState().steps.length).toBeLessThan(length - 1)
    expect(store.getState().index).toBe(1)
    await whenComplete(store)
    expect(store.getState().index).toBe(1)
    expect(store.getState().notice).toBeNull()
  })

  it('lets a learner who moved and came back to step 1 stay there', async () => {
    const length = await defaultLength()
    const store = newStore({ step: length - 2 })
    await whenSteps(store, 3)
    await store.getState().next()
    store.getState().back()
    expect(store.getState().steps.length).toBeLessThan(length - 1)
    await whenComplete(store)
    expect(store.getState().index).toBe(0)
  })

  it('lets a Next pressed before the run exists win, without showing the link’s step', async () => {
    const length = await defaultLength()
    const store = newStore({ step: length - 2 })
    const indexes = new Set<number>()
    store.subscribe((s) => indexes.add(s.index))
    expect(store.getState().steps).toHaveLength(0)
    await store.getState().next()
    await whenComplete(store)
    expect(store.getState().index).toBe(1)
    expect([...indexes]).toEqual([0, 1])
    expect(store.getState().notice).toBeNull()
  })

  it('forgets the step when the settings change before it exists', async () => {
    const length = await defaultLength()
    const store = newStore({ step: length - 2 })
    await store.getState().setConfig({ scenario: 'pkce-spa' })
    await whenComplete(store)
    expect(store.getState().config.scenario).toBe('pkce-spa')
    expect(store.getState().index).toBe(0)
    expect(store.getState().notice).toBeNull()
  })

  it('opens at step 1 for step 0 or no step', async () => {
    for (const store of [newStore({ step: 0 }), newStore()]) {
      await whenComplete(store)
      expect(store.getState().index).toBe(0)
      expect(store.getState().notice).toBeNull()
    }
  })
})

describe('the notice', () => {
  it('starts with the one given and is dismissed', async () => {
    const store = newStore({ notice: 'There is no scenario called “<b>”.' })
    expect(store.getState().notice).toBe('There is no scenario called “<b>”.')
    store.getState().dismissNotice()
    expect(store.getState().notice).toBeNull()
    await whenComplete(store)
    expect(store.getState().notice).toBeNull()
  })

  it('dismisses the step-out-of-range notice too, and stays dismissed', async () => {
    const store = newStore({ step: 500 })
    await whenComplete(store)
    expect(store.getState().notice).toMatch(/there is no step 501/)
    store.getState().dismissNotice()
    expect(store.getState().notice).toBeNull()
    await store.getState().next()
    expect(store.getState().notice).toBeNull()
  })
})
