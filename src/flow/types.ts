/**
 * The step machine's data: a flow's configuration, the actions that drive the world, and the
 * steps the learner sees — one message or one user action each, with the world as it was then.
 */
import type { Channel, Role, WorldState } from '../protocol/index.ts'
import type { LaneStatus } from './views/laneStatus.ts'

/** Which demo client runs the flow. */
export type ClientType = 'confidential' | 'public'

/**
 * Which side of an attack scenario runs: with the defence switched off, or on.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4
 */
export type Variant = 'vulnerable' | 'defended'

/**
 * The letters of RFC 6749 Figure 1 (the code flow, as the seed diagrams use them) and Figure 2's
 * (G)/(H) for a refresh: see flow/views/phases.ts.
 */
export type Phase = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H'

/** Everything a flow starts from; changing any of it starts the flow again. */
export interface FlowConfig {
  /** The scenario's id (`confidential`, `mix-up`, …): see `SCENARIOS`. */
  scenario: string
  /** For a scenario with variants: the defence off or on (default `defended`). */
  variant?: Variant
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
  /**
   * Alice signed in at auth.example before the run: its session cookie is in her browser, so the
   * authorization request gets the consent page straight away, with no login page.
   * @see https://openid.net/specs/openid-connect-core-1_0.html#Authenticates
   */
  signedIn: boolean
  seed: string
  /** Start of simulated time (ms since the epoch). */
  now: number
}

export interface RfcLink {
  label: string
  href: string
}

/**
 * What a user step did. `visit-lure` opens the attacker's page (a link in an email),
 * `follow-link` clicks the link planted there, `upload` clicks the app's “Add a photo”.
 */
export type UserAction = 'open' | 'click-sign-in' | 'sign-in' | 'allow' | 'deny' | 'visit-lure' | 'follow-link' | 'upload'

/**
 * What the attacker does in a scenario. Some moves send requests (from the attacker's lane);
 * the others only copy, craft or plant, and are steps of their own.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4
 */
export type AttackerMove =
  /** Signs in as mallory in its own browser and keeps the callback URL with mallory's code (network). */
  | 'obtain-own-code'
  /** Puts that forged callback behind the lure page's link. */
  | 'plant-forged-callback'
  /** Makes an authorization request with a look-alike redirect_uri and its own PKCE pair, and plants it. */
  | 'craft-authorization-request'
  /** Copies the code from the redirect in flight (a malicious app on the same redirect, a leak). */
  | 'intercept-code'
  /** Copies an already used code from the browser's history. */
  | 'copy-code'
  /** Copies the client's refresh token (a script injected into the page). */
  | 'copy-refresh-token'
  /** Redeems the latest stolen code at the honest token endpoint (network). */
  | 'redeem-code'
  /** Calls the API with the stolen access token (network). */
  | 'call-api'
  /** Presents the copied refresh token at the token endpoint (network). */
  | 'replay-refresh-token'
  /**
   * In its own browser, starts a sign-in at the web app and delivers the latest stolen code to the
   * app's callback with that sign-in's state: code injection (network).
   */
  | 'inject-stolen-code'

/**
 * Requests the client makes that its own pages do not offer: UserInfo, introspection of its
 * access token, revocation of its refresh token only.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 */
export type ClientOp = 'userinfo' | 'introspect' | 'revoke-refresh-token'

/**
 * A point a run has reached, named when the action that reaches it runs: branches and endings
 * read them, and some make a chapter of their own (flow/views/chapters.ts).
 */
export type Milestone =
  | 'api'
  | 'api-again'
  | 'api-expired'
  | 'callback'
  | 'click'
  | 'copy'
  | 'copy-rt'
  | 'craft'
  | 'expire'
  | 'forge'
  | 'inject'
  | 'intercept'
  | 'introspect'
  | 'lure'
  | 'pick'
  | 'plant'
  | 'redeem'
  | 'refresh'
  | 'refresh-again'
  | 'replay'
  | 'revoke'
  | 'revoke-rt'
  | 'rotate'
  | 'upload'
  | 'use'
  | 'userinfo'
  | 'wait'

/** What the user must do next, when the flow waits on a page. */
export type Awaiting = 'credentials' | 'consent' | null

/** One thing the learner sees happen. */
export type StepKind =
  | { type: 'start' }
  | { type: 'request'; exchangeId: number }
  | { type: 'response'; exchangeId: number }
  | { type: 'user'; action: UserAction }
  /** The simulated clock jumps ahead: nothing is sent. */
  | { type: 'time'; seconds: number }
  /** The attacker copies, crafts or plants something (its requests are request/response steps). */
  | { type: 'attacker'; move: AttackerMove }
  /** The run is over; `attack` when an attacker took part (then `success` means it was stopped). */
  | { type: 'end'; outcome: 'success' | 'failure'; attack?: boolean }

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
  /**
   * The response this step carries is a failure: a status of 400 or more, or a redirect that
   * carries `error=` to its target. Absent on steps that carry no response (the preview too).
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
   */
  failed?: boolean
  /** The status code of the response this step carries; absent on every other step. */
  status?: number
  title: string
  /** What the step is and why it matters: at most 60 words (end summaries may run longer). */
  narration: string
  /** The rest, for a learner who wants it: shown behind a "More" disclosure. */
  more?: string
  links: RfcLink[]
  /** Each lane's status after this step. */
  statuses: Record<Role, LaneStatus>
  /** The lanes active in this step. */
  active: Role[]
  snapshot: WorldState
  /** A clean point between actions: Back to here and acting differently starts a new branch. */
  boundary: boolean
  /** What the user must do next (the flow waits for it, or autoplay does it). */
  awaiting: Awaiting
  /** Milestones reached so far (e.g. `refresh`), so branches know where they are. */
  progress: Milestone[]
  /** A request the learner edited before it was sent (Edit and resend). */
  edited?: boolean
  /** A request the learner sent again from the log (Replay). */
  replayed?: boolean
}

/**
 * A step as the views show it, without the world's state (its snapshot and what follows from it):
 * every step is one, and so is the first step's preview while the world loads.
 */
export type ShownStep = Omit<Step, 'snapshot' | 'boundary' | 'awaiting' | 'progress' | 'edited' | 'replayed'>

/** An action that drives the world: the user's or the app's. */
export type Action =
  | { type: 'navigate'; url: string; user: UserAction | null }
  | { type: 'follow-redirect' }
  | { type: 'submit'; formId: string; values: Record<string, string>; button?: { name: string; value: string }; user: UserAction | null; milestone?: Milestone }
  | { type: 'spa'; op: 'open' | 'start-login' | 'handle-callback' | 'call-api' | 'refresh' | 'revoke'; milestone?: Milestone }
  | { type: 'client'; op: ClientOp; milestone?: Milestone }
  /** Time passes (a clock step): `reason` says why, in the narration. */
  | { type: 'clock'; seconds: number; reason: string; milestone?: Milestone }
  | { type: 'attacker'; move: AttackerMove; milestone?: Milestone }
  | { type: 'end'; outcome: 'success' | 'failure' }

/** What the learner typed or clicked in the mock browser, instead of the simulated user. */
export type UserInput =
  | { type: 'credentials'; username: string; password: string }
  | { type: 'consent'; decision: 'allow' | 'deny' }
