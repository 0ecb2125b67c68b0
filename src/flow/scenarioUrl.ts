/**
 * The scenario in the page's address: `?scenario=<id>&variant=<vulnerable|defended>` read on load
 * (anything unknown is ignored, with a polite notice) and written back when the learner switches.
 */
import { findScenario, isScenarioId } from './scenarios/index.ts'
import type { FlowConfig, Variant } from './types.ts'

/** What the address asks for: the configuration patch to start with, and a notice if ignored. */
export interface ScenarioQuery {
  patch: Pick<Partial<FlowConfig>, 'scenario' | 'variant'>
  /** Plain text (never markup) saying what was ignored, or null. */
  notice: string | null
}

const MAX_SHOWN = 60

/** Quotes an untrusted value for a notice: shortened, as plain text. */
function quote(value: string): string {
  const v = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value
  return `“${v}”`
}

/** Reads `scenario` and `variant` from a query string; unknown values are left out, with a notice. */
export function parseScenarioQuery(search: string): ScenarioQuery {
  const params = new URLSearchParams(search)
  const id = params.get('scenario')
  const variant = params.get('variant')
  const notices: string[] = []
  const patch: ScenarioQuery['patch'] = {}
  if (id !== null) {
    if (isScenarioId(id)) patch.scenario = id
    else notices.push(`There is no scenario called ${quote(id)}, so the default flow is shown.`)
  }
  const scenario = patch.scenario ? findScenario(patch.scenario) : null
  if (variant !== null && (id === null || scenario)) {
    if (!scenario?.variants) {
      notices.push(`The variant ${quote(variant)} was ignored: this scenario has no variants.`)
    } else if (variant === 'vulnerable' || variant === 'defended') {
      patch.variant = variant satisfies Variant
    } else {
      notices.push(
        `There is no variant called ${quote(variant)}; choose vulnerable or defended. The defended one is shown.`,
      )
    }
  }
  return { patch, notice: notices.length ? notices.join(' ') : null }
}

/**
 * The query string for a configuration: the scenario (left out for the default one) and, for a
 * scenario with variants, the variant. Other parameters of `search` are kept.
 */
export function scenarioSearch(
  config: Pick<FlowConfig, 'scenario' | 'variant'>,
  search = '',
): string {
  const params = new URLSearchParams(search)
  params.delete('scenario')
  params.delete('variant')
  const scenario = findScenario(config.scenario)
  if (scenario && scenario.id !== 'confidential') params.set('scenario', scenario.id)
  if (scenario?.variants) params.set('variant', config.variant ?? 'defended')
  const out = params.toString()
  return out ? `?${out}` : ''
}
