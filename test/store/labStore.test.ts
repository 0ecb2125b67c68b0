import { describe, expect, it } from 'vitest'
import { newStore, whenComplete } from '../ui/render.tsx'

describe('the lab store', () => {
  it('computes the default run to its end', async () => {
    const store = newStore()
    await whenComplete(store)
    const s = store.getState()
    expect(s.steps.length).toBeGreaterThan(20)
    expect(s.steps.at(-1)?.kind).toEqual({ type: 'end', outcome: 'success' })
    expect(s.index).toBe(0)
  })
})
