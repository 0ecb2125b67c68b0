/**
 * The scenario library's registry: one line per scenario, in the order the learner sees them —
 * the flows first, then the attacks. Each scenario is one folder: `info.ts` (its data, first
 * words and the chapters its milestones start; light: the page shows them before the world
 * loads), `story.ts` (its beats and ending, a file of its own, loaded when the scenario runs) and,
 * when it has them, `words.ts`. Nothing else names a scenario id.
 * @see https://www.rfc-editor.org/rfc/rfc9700
 */
import type { FlowConfig, Variant } from '../types.ts'
import { info as confidential } from './confidential/info.ts'
import { info as pkceSpa } from './pkce-spa/info.ts'
import { info as oidc } from './oidc/info.ts'
import { info as refresh } from './refresh/info.ts'
import { info as revoke } from './revoke/info.ts'
import { info as consentDenied } from './consent-denied/info.ts'
import { info as csrfNoState } from './csrf-no-state/info.ts'
import { info as codeInterception } from './code-interception/info.ts'
import { info as codeReplay } from './code-replay/info.ts'
import { info as redirectUriTampering } from './redirect-uri-tampering/info.ts'
import { info as expiredCode } from './expired-code/info.ts'
import { info as insufficientScope } from './insufficient-scope/info.ts'
import { info as mixUp } from './mix-up/info.ts'
import type { ScenarioInfo } from './types.ts'

export { bcp, EXPIRED_CODE_WAIT, storyConfig } from './common.ts'

/** Every scenario, in the order the learner sees them: one line each. */
const REGISTRY = [
  confidential,
  pkceSpa,
  oidc,
  refresh,
  revoke,
  consentDenied,
  csrfNoState,
  codeInterception,
  codeReplay,
  redirectUriTampering,
  expiredCode,
  insufficientScope,
  mixUp,
] as const satisfies readonly ScenarioInfo[]

/** The id of a scenario of the library. */
export type ScenarioId = (typeof REGISTRY)[number]['id']

/** Every scenario, in the order the learner sees them: the flows first, then the attacks. */
export const SCENARIO_INFO: readonly ScenarioInfo[] = REGISTRY

/**
 * Names a configuration may carry from before the library: `public` was the playground with the
 * single-page app, which is now the default scenario with `clientType: 'public'`.
 */
export const SCENARIO_ALIASES: Readonly<Record<string, ScenarioId>> = { public: 'confidential' }

/** The scenario with this id (or alias), or null. */
export function findScenarioInfo(id: string): ScenarioInfo | null {
  const wanted = Object.hasOwn(SCENARIO_ALIASES, id) ? SCENARIO_ALIASES[id] : id
  return SCENARIO_INFO.find((s) => s.id === wanted) ?? null
}

/** Whether a string names a scenario of the library. */
export function isScenarioId(id: string): id is ScenarioId {
  return SCENARIO_INFO.some((s) => s.id === id)
}

/**
 * The configuration a run really uses: the scenario's patch, then its variant's (default
 * `defended`), over the given one; null for an unknown scenario.
 */
export function scenarioConfig(config: FlowConfig): FlowConfig | null {
  const scenario = findScenarioInfo(config.scenario)
  if (!scenario) return null
  if (!scenario.variants) {
    // A variant means nothing here: the flow's configuration says so by not carrying one.
    const { variant: _none, ...rest } = config
    return { ...rest, ...scenario.config }
  }
  const variant: Variant = config.variant ?? 'defended'
  return { ...config, ...scenario.config, ...scenario.variants[variant].config, variant }
}
