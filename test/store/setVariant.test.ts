import { describe, expect, it } from 'vitest'
import { divergenceIndex } from '../../src/flow/variants.ts'
import type { LabStore } from '../../src/store/index.ts'
import { newStore, whenComplete } from '../ui/render.tsx'

const attack = (variant: 'vulnerable' | 'defended') =>
  newStore({ config: { scenario: 'code-interception', variant } })

/** Resolves once the store's run has `n` steps or more (or is complete). */
function whenSteps(store: LabStore, n: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const s = store.getState()
      if (s.steps.length >= n || s.complete) {
        unsub()
        resolve()
      }
    }
    const unsub = store.subscribe(check)
    check()
  })
}

describe('switching variant', () => {
  it('keeps the step on screen while the two runs are the same, and tells where they part', async () => {
    const store = attack('vulnerable')
    await whenComplete(store)
    const vulnerable = store.getState().steps
    await store.getState().goTo(10)
    await store.getState().setVariant('defended')
    expect(store.getState().resolved.variant).toBe('defended')
    expect(store.getState().index).toBe(10)
    await whenComplete(store)
    const defended = store.getState().steps
    expect(defended).not.toBe(vulnerable)
    const at = divergenceIndex(vulnerable, defended)!
    expect(at).toBeGreaterThan(10)
    expect(store.getState().parted).toBe(at)
    expect(store.getState().steps[10]?.label).toBe(vulnerable[10]?.label)
  })

  it('opens the step where the runs part when the one on screen is past it', async () => {
    const store = attack('vulnerable')
    await whenComplete(store)
    const vulnerable = store.getState().steps
    await store.getState().last()
    await store.getState().setVariant('defended')
    await whenComplete(store)
    const at = divergenceIndex(vulnerable, store.getState().steps)!
    expect(store.getState().index).toBe(at)
    expect(store.getState().steps[at]?.label).toBe('400 invalid_grant')
    expect(store.getState().parted).toBe(at)

    // And back: the vulnerable run opens at the same place, where it parts from the defended one.
    await store.getState().last()
    await store.getState().setVariant('vulnerable')
    await whenComplete(store)
    expect(store.getState().index).toBe(at)
    expect(store.getState().parted).toBe(at)
  })

  it('waits for the matching step to be computed before opening it', async () => {
    const store = attack('defended')
    await whenComplete(store)
    await store.getState().goTo(12)
    const switching = store.getState().setVariant('vulnerable')
    // The new run starts from nothing: step 13 does not exist yet.
    expect(store.getState().steps).toHaveLength(0)
    expect(store.getState().index).toBe(0)
    await whenSteps(store, 13)
    expect(store.getState().index).toBe(12)
    await switching
  })

  it('lets the learner’s own move win over the matching step', async () => {
    const store = attack('vulnerable')
    await whenComplete(store)
    await store.getState().goTo(12)
    const switching = store.getState().setVariant('defended')
    await whenSteps(store, 1)
    store.getState().first()
    await switching
    await whenComplete(store)
    expect(store.getState().index).toBe(0)
  })

  it('is cleared by any other restart', async () => {
    const store = attack('vulnerable')
    await whenComplete(store)
    await store.getState().last()
    await store.getState().setVariant('defended')
    await whenComplete(store)
    expect(store.getState().parted).not.toBeNull()
    await store.getState().setConfig({ seed: 'another' })
    expect(store.getState().parted).toBeNull()
    expect(store.getState().index).toBe(0)
    await whenComplete(store)
    expect(store.getState().parted).toBeNull()
  })

  it('does nothing for the variant already running, or a scenario without variants', async () => {
    const store = attack('defended')
    await whenComplete(store)
    await store.getState().goTo(5)
    const runId = store.getState().runId
    await store.getState().setVariant('defended')
    expect(store.getState().runId).toBe(runId)

    const plain = newStore()
    await whenComplete(plain)
    await plain.getState().goTo(5)
    const plainRun = plain.getState().runId
    await plain.getState().setVariant('vulnerable')
    expect(plain.getState().runId).toBe(plainRun)
    expect(plain.getState().index).toBe(5)
    expect(plain.getState().parted).toBeNull()
  })

  it('starts at step 1, with nothing to compare, when switched before the world has loaded', async () => {
    const store = attack('vulnerable')
    await store.getState().setVariant('defended')
    await whenComplete(store)
    expect(store.getState().resolved.variant).toBe('defended')
    expect(store.getState().index).toBe(0)
    expect(store.getState().parted).toBeNull()
  })

  it('starts a fresh run that has no parted step by default', async () => {
    const store = attack('vulnerable')
    await whenComplete(store)
    expect(store.getState().parted).toBeNull()
  })
})
