/**
 * What a scenario is: data (a title, the settings it starts from, its variants) plus its beats —
 * the actions it adds to the generic director — and the ending that says what was shown.
 */
import type { MilestoneChapters } from '../views/chapters.ts'
import type { Role, WorldSettingsInput, WorldState } from '../../protocol/index.ts'
import type { Action, FlowConfig, Milestone, RfcLink, UserInput, Variant } from '../types.ts'

/** The id of a scenario of the library: see the registry, catalog.ts. */
export type { ScenarioId } from './catalog.ts'

/** The part of a flow configuration a scenario (or one of its variants) fixes. */
export type ConfigPatch = Partial<
  Pick<
    FlowConfig,
    | 'clientType'
    | 'scope'
    | 'pkce'
    | 'state'
    | 'oidc'
    | 'authMethod'
    | 'refresh'
    | 'revoke'
    | 'signedIn'
  >
>

/**
 * One side of an attack: what differs (configuration and world settings) and the RFC 9700
 * section that names the defence.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4
 */
export interface ScenarioVariant {
  /** A short label for the switch: `Without state`, `Exact redirect_uri matching`. */
  label: string
  config: ConfigPatch
  settings: WorldSettingsInput
  /** The RFC 9700 section that names the defence this variant switches off or on. */
  defence: RfcLink
}

/** What a scenario's beats and ending see: the world now, the configuration, the milestones. */
export interface ScenarioContext {
  world: WorldState
  /** The configuration with the scenario's (and variant's) patch applied. */
  config: FlowConfig
  progress: readonly Milestone[]
  /** The learner's answer to the page on screen, if any. */
  input?: UserInput
}

/**
 * How a scenario ends. `outcome` says what happened, never what the lesson was: `success` when
 * the flow completed (the app got its tokens) and, in an attack, the attacker got nothing;
 * `failure` when the flow ended with an error — a refusal the lesson is about included (consent
 * denied, an expired code, too little scope) — or the attack worked.
 */
export interface ScenarioEnding {
  title: string
  /** What was shown, which defence made the difference, and where the RFCs say so. */
  narration: string
  /** The rest, behind "More". */
  more?: string
  outcome: 'success' | 'failure'
  links: RfcLink[]
  /** The end step's short label (default `Done` or `Ended`). */
  label?: string
}

/**
 * How the attacker's lane is drawn when the attacker plays a part in the protocol — the mix-up's
 * second authorization server — rather than a web attacker at the far right: its name, its
 * compact name, its origin, what it is, and the lane it stands beside.
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-1
 */
export interface AttackerLane {
  /** The lane's name: `evil-as.example`. */
  name: string
  /** The name on narrow screens: `evil-as`. */
  shortName: string
  /** The origin it answers on: `https://evil-as.example`. */
  origin: string
  /** What it is, in a few words: `Authorization server (attacker’s)`. */
  kind: string
  /** The lane it is drawn right after (default: after every other lane). */
  after?: Exclude<Role, 'attacker'>
}

/**
 * A scenario of the library as data (scenarios/catalog.ts): what the page shows of it before the
 * simulated world has loaded.
 */
export interface ScenarioInfo {
  /** The scenario's id: its folder's name. */
  id: string
  /**
   * Loads the scenario's beats and ending (its story.ts, which comes with the simulated world).
   * The story does not repeat this data: `loadScenario` joins the two.
   */
  story(): Promise<{ story: ScenarioStory }>
  title: string
  /** One sentence: what the scenario shows. */
  summary: string
  /** An attacker takes part (the Attacker lane appears). */
  attack: boolean
  /** The configuration the scenario starts from (empty: the learner's own settings). */
  config: ConfigPatch
  /** World settings on top of those the configuration implies. */
  settings: WorldSettingsInput
  /** The defence off (`vulnerable`) and on (`defended`), for attacks that have one to switch. */
  variants?: Record<Variant, ScenarioVariant>
  /** How the attacker's lane is drawn, when not as the web attacker at attacker.example. */
  attackerLane?: AttackerLane
  /** The chapters its own milestones start (the director's api, refresh… are known already). */
  chapters?: MilestoneChapters
  /** The first step's title and narration (default: the generic ones for the client type). */
  intro?(config: FlowConfig): { title: string; narration: string }
}

/**
 * A scenario's behaviour: its story.ts. It reads its info.ts only inside these functions, never as
 * it loads — the offline build folds the story into its info module, so at load the info may not
 * exist yet.
 * @see https://www.rfc-editor.org/rfc/rfc9700
 */
export interface ScenarioStory {
  /**
   * The scenario's own next action at this point (a clock jump, an attacker's move, a planted
   * link followed…), or null to let the generic director decide.
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
   */
  beat(ctx: ScenarioContext): Action | null
  /** The ending, when the run reached one the scenario knows; null: the generic ending. */
  ending(ctx: ScenarioContext): ScenarioEnding | null
}

/** A scenario of the library: its data and its behaviour. */
export interface Scenario extends ScenarioInfo, ScenarioStory {}
