/**
 * What a lane is doing after a step, as a structured value the views render: built from the
 * exchanges and the world by `laneStatuses` (flow/engine/statuses.ts), said in words here. Light: the
 * lane heads show statuses before the simulated world has loaded.
 */
import type { Role } from '../../protocol/types.ts'
import { ROLE_NAMES } from '../roles.ts'
import type { AttackerMove, UserAction } from '../types.ts'

/** The work a server (or the app) does on a request it received. */
export type LaneTask =
  | 'check-client'
  | 'check-password'
  | 'record-consent'
  | 'validate-code'
  | 'refresh'
  | 'serve-keys'
  | 'revoke'
  | 'introspect'
  | 'preflight'
  | 'check-token'
  | 'start-sign-in'
  | 'call-api'
  | 'serve-lure'
  | 'catch-code'
  | 'forward'
  | 'keep-code'
  | 'handle'

/** What a lane got back from a request it sent. */
export type LaneRead =
  | 'redirect'
  | 'page'
  | 'reading-tokens'
  | 'stored-tokens'
  | 'cached-keys'
  | 'cleared'
  | 'photos'
  | 'response'

/**
 * A lane's status: a kind and its parameters. `checks` (of `check-callback`, `start-sign-in`)
 * lists the protocol values the lane really checks or makes at that moment.
 */
export type LaneStatus =
  | { kind: 'idle' }
  | { kind: 'waiting'; params: { for: Role } }
  | { kind: 'user'; params: { awaiting: 'credentials' | 'consent' } }
  | { kind: 'acting'; params: { action: UserAction } }
  | { kind: 'work'; params: { task: LaneTask; checks?: readonly string[] } }
  | { kind: 'check-callback'; params: { checks: readonly string[] } }
  | { kind: 'answered'; params: { status: number } }
  | { kind: 'got'; params: { what: LaneRead } }
  | { kind: 'refused'; params: { status: number } }
  | {
      kind: 'holds'
      params: {
        what: 'tokens' | 'code' | 'refresh-token' | 'revoked-refresh-token' | 'victim-session'
      }
    }
  | { kind: 'lure'; params: { clicked: boolean } }
  | { kind: 'move'; params: { move: AttackerMove } }

/** Every lane idle: before anything happens. */
export const IDLE_STATUS: LaneStatus = { kind: 'idle' }

/** Every lane idle, as a step's statuses. */
export const IDLE: Readonly<Record<Role, LaneStatus>> = {
  browser: IDLE_STATUS,
  client: IDLE_STATUS,
  'authorization-server': IDLE_STATUS,
  'resource-server': IDLE_STATUS,
  attacker: IDLE_STATUS,
}

const TASKS: Record<LaneTask, string> = {
  'check-client': 'Checking client_id and redirect_uri',
  'check-password': 'Checking the password',
  'record-consent': 'Recording consent',
  'validate-code': 'Validating the code',
  refresh: 'Checking the refresh token',
  'serve-keys': 'Serving its public keys',
  revoke: 'Revoking the token',
  introspect: 'Looking the token up',
  preflight: 'Answering the preflight',
  'check-token': 'Checking the token',
  'start-sign-in': 'Starting a sign-in',
  'call-api': 'Calling the API',
  'serve-lure': 'Serving the lure page',
  'catch-code': 'Catching the code',
  forward: 'Sending Alice on to auth.example',
  'keep-code': 'Keeping the code',
  handle: 'Handling the request',
}

const READS: Record<LaneRead, string> = {
  redirect: 'Following a redirect',
  page: 'Showing the page',
  'reading-tokens': 'Reading the token response',
  'stored-tokens': 'Holding the tokens',
  'cached-keys': 'Caching the keys',
  cleared: 'Cleared to call the API',
  photos: 'Got the photos',
  response: 'Reading the response',
}

const HOLDS = {
  tokens: 'Holding stolen tokens',
  code: 'Holding a stolen code',
  'refresh-token': 'Holding a copied refresh token',
  'revoked-refresh-token': 'Its copied refresh token is revoked',
  'victim-session': 'Signed in to the app with a stolen code',
} as const

const ACTS: Record<UserAction, string> = {
  open: 'Opening the app',
  'click-sign-in': 'The user clicks Sign in',
  'sign-in': 'The user types her password',
  allow: 'The user clicks Allow',
  deny: 'The user clicks Deny',
  'visit-lure': 'Opening a link from an email',
  'follow-link': 'The user clicks a link',
  upload: 'The user adds a photo',
}

const MOVES: Record<AttackerMove, string> = {
  'obtain-own-code': 'Getting a code of its own',
  'plant-forged-callback': 'Waiting for a click',
  'craft-authorization-request': 'Waiting for a click',
  'intercept-code': 'Holding a stolen code',
  'copy-code': 'Holding a stolen code',
  'copy-refresh-token': 'Holding a copied refresh token',
  'redeem-code': 'Redeeming the code',
  'call-api': 'Calling the API',
  'replay-refresh-token': 'Replaying the refresh token',
  'inject-stolen-code': 'Injecting the stolen code',
}

/** A list in words: `state`, `state and iss`, `state, PKCE and nonce`. */
function listed(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? ''
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

/**
 * A lane status in words, as the lane heads and the exports show it. `attackerName`: the name the
 * scenario gives the attacker's lane (the mix-up's `evil-as.example`), if any.
 */
export function laneStatusText(status: LaneStatus, attackerName?: string): string {
  switch (status.kind) {
    case 'idle':
      return 'Idle'
    case 'waiting':
      return status.params.for === 'attacker' && attackerName
        ? `Waiting for ${attackerName}`
        : `Waiting for the ${ROLE_NAMES[status.params.for]}`
    case 'user':
      return status.params.awaiting === 'credentials'
        ? 'Waiting for the user to sign in'
        : 'Waiting for the user to answer'
    case 'acting':
      return ACTS[status.params.action]
    case 'work':
      return status.params.task === 'start-sign-in' && status.params.checks?.length
        ? `Making ${listed(status.params.checks)}`
        : TASKS[status.params.task]
    case 'check-callback':
      return status.params.checks.length
        ? `Checking ${listed(status.params.checks)}`
        : 'Taking the code unchecked'
    case 'answered':
      return status.params.status >= 300 && status.params.status < 400
        ? `Redirected (${status.params.status})`
        : `Answered ${status.params.status}`
    case 'got':
      return READS[status.params.what]
    case 'refused':
      return `Got ${status.params.status}`
    case 'holds':
      return HOLDS[status.params.what]
    case 'lure':
      return status.params.clicked ? 'Its link was clicked' : 'Waiting for a click'
    case 'move':
      return MOVES[status.params.move]
    default: {
      const never: never = status
      return String(never)
    }
  }
}
