/**
 * The step machine's data: a flow's configuration, the actions that drive the world, and the
 * steps the learner sees — one message or one user action each, with the world as it was then.
 */
import type { Channel, Role, WorldState } from '../protocol/index.ts'

/** Which demo client runs the flow. */
export type ClientType = 'confidential' | 'public'

/** The letters of RFC 6749 Figure 1, as the seed diagrams use them for the code flow. */
export type Phase = 'A' | 'B' | 'C' | 'D' | 'E' | 'F'

/** Everything a flow starts from; changing any of it starts the flow again. */
export interface FlowConfig {
  scenario: string
  clientType: ClientType
  /** Space-separated scopes, as the client requests them. */
  scope: string
  pkce: boolean
  state: boolean
  /** OpenID Connect: `openid` in the scope, `nonce` sent and checked. */
  oidc: boolean
  authMethod: 'client_secret_basic' | 'client_secret_post'
  /** Refresh and revocation as optional steps after the API call. */
  refresh: boolean
  revoke: boolean
  seed: string
  /** Start of simulated time (ms since the epoch). */
  now: number
}

export interface RfcLink {
  label: string
  href: string
}

/** What a user step did. */
export type UserAction = 'open' | 'click-sign-in' | 'sign-in' | 'allow' | 'deny'

/** What the user must do next, when the flow waits on a page. */
export type Awaiting = 'credentials' | 'consent' | null

/** One thing the learner sees happen. */
export type StepKind =
  | { type: 'start' }
  | { type: 'request'; exchangeId: number }
  | { type: 'response'; exchangeId: number }
  | { type: 'user'; action: UserAction }
  | { type: 'end'; outcome: 'success' | 'failure' }

/** A step and the world right after it. */
export interface Step {
  index: number
  kind: StepKind
  from: Role | null
  to: Role | null
  channel: Channel | null
  phase: Phase | null
  /** Short label for the arrow: `POST /token`, `302 → /authorize?…`, `200 {access_token…}`. */
  label: string
  title: string
  narration: string
  links: RfcLink[]
  /** Each lane's status after this step. */
  statuses: Record<Role, string>
  /** The lanes active in this step. */
  active: Role[]
  snapshot: WorldState
  /** A clean point between actions: Back to here and acting differently starts a new branch. */
  boundary: boolean
  /** What the user must do next (the flow waits for it, or autoplay does it). */
  awaiting: Awaiting
  /** Milestones reached so far (e.g. `refresh`), so branches know where they are. */
  progress: string[]
}

/** An action that drives the world: the user's or the app's. */
export type Action =
  | { type: 'navigate'; url: string; user: UserAction | null }
  | { type: 'follow-redirect' }
  | { type: 'submit'; formId: string; values: Record<string, string>; button?: { name: string; value: string }; user: UserAction | null; milestone?: string }
  | { type: 'spa'; op: 'open' | 'start-login' | 'handle-callback' | 'call-api' | 'refresh' | 'revoke'; milestone?: string }
  | { type: 'end'; outcome: 'success' | 'failure' }

/** What the learner typed or clicked in the mock browser, instead of the simulated user. */
export type UserInput =
  | { type: 'credentials'; username: string; password: string }
  | { type: 'consent'; decision: 'allow' | 'deny' }
