import { beforeAll, describe, expect, it } from 'vitest'
import { divergenceIndex, matchingStep, sameStep, type Step } from '../../src/flow/index.ts'
import { stepsToEnd } from './helpers.ts'

const step = (label: string, patch: Partial<Step> = {}) =>
  ({
    kind: { type: 'request', exchangeId: 1 },
    from: 'browser',
    to: 'client',
    label,
    ...patch,
  }) as const

describe('sameStep', () => {
  it('compares kind, lanes and label, not the words around them', () => {
    expect(sameStep(step('GET /'), step('GET /'))).toBe(true)
    expect(sameStep(step('GET /'), step('GET /x'))).toBe(false)
    expect(sameStep(step('GET /'), step('GET /', { to: 'attacker' }))).toBe(false)
    expect(sameStep(step('GET /'), step('GET /', { from: 'client' }))).toBe(false)
    expect(
      sameStep(step('GET /'), step('GET /', { kind: { type: 'response', exchangeId: 1 } })),
    ).toBe(false)
    expect(
      sameStep(step('GET /'), step('GET /', { kind: { type: 'request', exchangeId: 2 } })),
    ).toBe(false)
    expect(
      sameStep(
        step('x', { kind: { type: 'end', outcome: 'success' } }),
        step('x', { kind: { type: 'end', outcome: 'failure' } }),
      ),
    ).toBe(false)
  })
})

describe('divergenceIndex and matchingStep over made-up runs', () => {
  const a = [step('0'), step('1'), step('2'), step('3')]
  const b = [step('0'), step('1'), step('X'), step('Y'), step('Z')]
  it('finds the first different step', () => {
    expect(divergenceIndex(a, b)).toBe(2)
    expect(divergenceIndex(b, a)).toBe(2)
    expect(divergenceIndex(a, a)).toBeNull()
    expect(divergenceIndex([], [])).toBeNull()
  })
  it('parts where the shorter run stops', () => {
    expect(divergenceIndex(a.slice(0, 2), a)).toBe(2)
    expect(divergenceIndex([], a)).toBe(0)
  })
  it('keeps the index before the runs part, and goes to where they part after', () => {
    expect(matchingStep(a, 0, b)).toBe(0)
    expect(matchingStep(a, 1, b)).toBe(1)
    expect(matchingStep(a, 2, b)).toBe(2)
    expect(matchingStep(a, 3, b)).toBe(2)
    // The same runs: the same place.
    expect(matchingStep(a, 3, a)).toBe(3)
  })
  it('stays inside the other run', () => {
    expect(matchingStep(a, 3, a.slice(0, 2))).toBe(1)
    expect(matchingStep(a, 99, a)).toBe(3)
    expect(matchingStep(a, 2, [])).toBe(0)
    expect(matchingStep([], 0, a)).toBe(0)
  })
  it('takes bad indexes as the first step', () => {
    expect(matchingStep(a, -1, b)).toBe(0)
    expect(matchingStep(a, 1.5, b)).toBe(0)
    expect(matchingStep(a, Number.NaN, b)).toBe(0)
  })
})

describe('the two runs of code interception', () => {
  let vulnerable: Step[]
  let defended: Step[]
  beforeAll(async () => {
    vulnerable = await stepsToEnd({ scenario: 'code-interception', variant: 'vulnerable' })
    defended = await stepsToEnd({ scenario: 'code-interception', variant: 'defended' })
  })

  it('part at the token endpoint’s answer to the attacker', () => {
    const at = divergenceIndex(vulnerable, defended)!
    expect(at).toBeGreaterThan(0)
    expect(vulnerable[at]!.label).toMatch(/^200 /)
    expect(defended[at]!.label).toBe('400 invalid_grant')
    expect(defended[at]!.failed).toBe(true)
    expect(vulnerable.slice(0, at).map((s) => s.label)).toEqual(
      defended.slice(0, at).map((s) => s.label),
    )
  })

  it('keep the step before they part, and take a later one to where they part', () => {
    const at = divergenceIndex(vulnerable, defended)!
    expect(matchingStep(vulnerable, at - 1, defended)).toBe(at - 1)
    expect(matchingStep(vulnerable, vulnerable.length - 1, defended)).toBe(at)
    expect(matchingStep(defended, defended.length - 1, vulnerable)).toBe(at)
  })
})
