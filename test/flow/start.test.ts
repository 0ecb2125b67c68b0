import { describe, expect, it } from 'vitest'
import {
  createFlow,
  defaultConfig,
  SCENARIO_INFO,
  startPreview,
  type FlowConfig,
} from '../../src/flow/index.ts'
import { T0, sharedKeys } from '../protocol/helpers.ts'

/** Every scenario × variant, and both client types for the default scenario. */
const RUNS: Partial<FlowConfig>[] = [
  { scenario: 'confidential', clientType: 'confidential' },
  { scenario: 'confidential', clientType: 'public' },
  ...SCENARIO_INFO.flatMap((s) =>
    s.variants
      ? [
          { scenario: s.id, variant: 'vulnerable' as const },
          { scenario: s.id, variant: 'defended' as const },
        ]
      : [{ scenario: s.id }],
  ),
]

describe('the first step without the world (startPreview)', () => {
  it.each(RUNS.map((r) => [JSON.stringify(r), r] as const))(
    'says what the flow’s own first step says: %s',
    async (_, patch) => {
      const config = { ...defaultConfig(T0), seed: 'preview', ...patch }
      const preview = startPreview(config)
      const flow = await createFlow(config, await sharedKeys())
      const { snapshot, boundary, awaiting, progress, ...words } = flow.steps[0]!
      expect(snapshot).toBeDefined()
      expect(boundary).toBe(true)
      expect(awaiting).toBeNull()
      expect(progress).toEqual([])
      expect(preview).toEqual(words)
    },
  )

  it('has a title and narration of its own for each scenario', () => {
    const titles = SCENARIO_INFO.map(
      (s) => startPreview({ ...defaultConfig(T0), scenario: s.id })?.title,
    )
    expect(titles.every((t) => typeof t === 'string' && t.startsWith('Ready'))).toBe(true)
    // The generic intro is shared by the scenarios without one of their own; the rest differ.
    expect(new Set(titles).size).toBeGreaterThan(SCENARIO_INFO.length / 2)
  })

  it('is null for an unknown scenario (the run itself reports it)', () => {
    expect(startPreview({ ...defaultConfig(T0), scenario: 'no-such' })).toBeNull()
    expect(startPreview({ ...defaultConfig(T0), scenario: '__proto__' })).toBeNull()
  })

  it('the catalog lists the library’s scenarios, in order, with the same data', () => {
    expect(SCENARIO_INFO.map((s) => s.id)).toEqual(SCENARIO_INFO.map((s) => s.id))
    for (const [i, s] of SCENARIO_INFO.entries()) {
      const info = SCENARIO_INFO[i]!
      expect(s.title).toBe(info.title)
      expect(s.variants).toBe(info.variants)
      expect(s.config).toBe(info.config)
    }
  })
})
