import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FC_SEED } from '../setup/fastCheck.ts'

describe('the fast-check set-up', () => {
  it('runs every property from the fixed seed', () => {
    expect(fc.readConfigureGlobal().seed).toBe(FC_SEED)
    expect(Number.isInteger(FC_SEED)).toBe(true)
  })

  it('names the seed and how to replay it when a property fails', () => {
    let message = ''
    try {
      fc.assert(fc.property(fc.integer(), (n) => n < 100))
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).toContain(`seed: ${FC_SEED}`)
    expect(message).toContain(`Replay: FC_SEED=${FC_SEED} npm test`)
    expect(message).toContain('Counterexample')
  })

  it('draws the same values from the same seed', () => {
    const draw = () => fc.sample(fc.integer(), { seed: FC_SEED, numRuns: 5 })
    expect(draw()).toEqual(draw())
  })
})
