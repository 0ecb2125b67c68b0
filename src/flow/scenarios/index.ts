/**
 * The scenario library: each scenario is data plus its beats and its ending. `resolveScenario`
 * turns a flow configuration into the scenario, the configuration it really runs with, and the
 * world settings; `scenarioNextAction` is the generic director extended with the scenario's beats.
 */
import type { WorldSettingsInput, WorldState } from '../../protocol/index.ts'
import { worldSettings } from '../config.ts'
import { nextAction } from '../engine/director.ts'
import { FlowError } from '../engine/errors.ts'
import type { Action, FlowConfig, Milestone, UserInput } from '../types.ts'
import { findScenarioInfo, SCENARIO_INFO, scenarioConfig } from './catalog.ts'
import type { Scenario } from './types.ts'

export {
  SCENARIO_ALIASES,
  SCENARIO_INFO,
  findScenarioInfo,
  isScenarioId,
  scenarioConfig,
} from './catalog.ts'

/**
 * The scenario with this id (or alias), beats and ending included, or null: its story is loaded
 * from its folder (it comes with the simulated world).
 */
export async function loadScenario(id: string): Promise<Scenario | null> {
  const info = findScenarioInfo(id)
  return info ? { ...info, ...(await info.story()).story } : null
}

/** The scenario, the configuration it runs with and the world settings that come with it. */
export interface ResolvedScenario {
  scenario: Scenario
  /** The configuration with the scenario's patch and its variant's applied (`variant` set when it has variants). */
  config: FlowConfig
  settings: WorldSettingsInput
}

function mergeSettings(...parts: WorldSettingsInput[]): WorldSettingsInput {
  const out: WorldSettingsInput = {}
  for (const part of parts) {
    if (part.authorizationServer)
      out.authorizationServer = { ...out.authorizationServer, ...part.authorizationServer }
    if (part.resourceServer) out.resourceServer = { ...out.resourceServer, ...part.resourceServer }
    if (part.webClient) out.webClient = { ...out.webClient, ...part.webClient }
    if (part.spaClient) out.spaClient = { ...out.spaClient, ...part.spaClient }
  }
  return out
}

/**
 * Resolves `config.scenario`: the scenario's configuration patch, then its variant's (default
 * `defended`), over the given configuration; throws `FLOW_UNKNOWN_SCENARIO` for an unknown id.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4
 */
export async function resolveScenario(config: FlowConfig): Promise<ResolvedScenario> {
  const scenario = await loadScenario(config.scenario)
  if (!scenario) {
    throw new FlowError(
      'FLOW_UNKNOWN_SCENARIO',
      `no scenario "${config.scenario}"; known: ${SCENARIO_INFO.map((s) => s.id).join(', ')}`,
    )
  }
  const resolved = scenarioConfig(config) ?? config
  const variant = scenario.variants && resolved.variant ? scenario.variants[resolved.variant] : null
  return {
    scenario,
    config: resolved,
    settings: mergeSettings(worldSettings(resolved), scenario.settings, variant?.settings ?? {}),
  }
}

/**
 * The scenario's director: its beats first, then the generic director.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 */
export function scenarioNextAction(
  scenario: Scenario,
  world: WorldState,
  config: FlowConfig,
  progress: readonly Milestone[],
  input?: UserInput,
): Action {
  return (
    scenario.beat({ world, config, progress, input }) ?? nextAction(world, config, progress, input)
  )
}

export type {
  ConfigPatch,
  Scenario,
  ScenarioContext,
  ScenarioEnding,
  ScenarioId,
  ScenarioInfo,
  ScenarioStory,
  ScenarioVariant,
} from './types.ts'
