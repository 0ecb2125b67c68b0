import { describe, expect, it } from 'vitest'
import { parseScenarioQuery, scenarioSearch } from '../../src/flow/scenarioUrl.ts'

describe('the scenario in the address', () => {
  it('reads a known scenario and variant', () => {
    expect(parseScenarioQuery('?scenario=mix-up&variant=vulnerable')).toEqual({
      patch: { scenario: 'mix-up', variant: 'vulnerable' },
      notice: null,
    })
    expect(parseScenarioQuery('?scenario=oidc')).toEqual({
      patch: { scenario: 'oidc' },
      notice: null,
    })
    expect(parseScenarioQuery('')).toEqual({ patch: {}, notice: null })
  })

  it('ignores an unknown scenario or variant, with a plain-text notice', () => {
    const hostile = parseScenarioQuery(
      `?scenario=${encodeURIComponent('<script>alert(1)</script>')}`,
    )
    expect(hostile.patch).toEqual({})
    expect(hostile.notice).toBe(
      'There is no scenario called “<script>alert(1)</script>”, so the default flow is shown.',
    )
    const variant = parseScenarioQuery('?scenario=csrf-no-state&variant=sometimes')
    expect(variant.patch).toEqual({ scenario: 'csrf-no-state' })
    expect(variant.notice).toMatch(/no variant called “sometimes”/)
    expect(parseScenarioQuery('?scenario=oidc&variant=vulnerable').patch).toEqual({
      scenario: 'oidc',
    })
    expect(parseScenarioQuery(`?scenario=${'x'.repeat(500)}`).notice!.length).toBeLessThan(200)
    // `constructor` and friends are not scenarios.
    expect(parseScenarioQuery('?scenario=constructor').patch).toEqual({})
  })

  it('writes the scenario and variant, keeping other parameters', () => {
    expect(
      scenarioSearch({ scenario: 'mix-up', variant: 'defended' }, '?lang=en&scenario=oidc'),
    ).toBe('?lang=en&scenario=mix-up&variant=defended')
    expect(scenarioSearch({ scenario: 'oidc', variant: undefined }, '?variant=defended')).toBe(
      '?scenario=oidc',
    )
    expect(scenarioSearch({ scenario: 'confidential' }, '?scenario=oidc')).toBe('')
  })
})
