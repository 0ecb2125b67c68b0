/**
 * What each lane is doing after a step, built from the exchanges and the world at that moment:
 * a sender waits for its answer, a receiver works on the request, whoever answered says so, and
 * a client that got tokens holds them only once its state does. Pure functions of the world.
 */
import { ORIGINS, type ClientState, type Exchange, type Role, type WorldState } from '../../protocol/index.ts'
import { jsonObject } from '../../protocol/wire.ts'
import { attackerWebSessionOf, tokenOwnerOf } from '../scenarios/helpers.ts'
import { IDLE, type LaneRead, type LaneStatus, type LaneTask } from '../views/laneStatus.ts'
import type { AttackerMove } from '../types.ts'
import { own } from '../../protocol/records.ts'

function pathOf(url: string): string {
  try {
    return new URL(url).pathname
  } catch {
    return url
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return ''
  }
}

/** The demo client an exchange went to or came from, by origin. */
function clientAt(world: WorldState, origin: string | null): ClientState | null {
  if (origin === world.web.origin) return world.web
  if (origin === world.spa.origin) return world.spa
  return null
}

/** What the app makes for a sign-in, as its settings say: `state`, `PKCE`, `nonce`. */
function makes(client: ClientState): string[] {
  return [
    ...(client.settings.useState ? ['state'] : []),
    ...(client.settings.usePkce ? ['PKCE'] : []),
    ...(client.settings.useNonce ? ['nonce'] : []),
  ]
}

/** What the app checks on its callback, as its settings say: `state`, `iss`. */
function callbackChecks(client: ClientState): string[] {
  return [...(client.settings.useState ? ['state'] : []), ...(client.settings.checkIss ? ['iss'] : [])]
}

function workOf(world: WorldState, x: Exchange): LaneStatus {
  const path = pathOf(x.request.url)
  const grant = new URLSearchParams(x.request.body).get('grant_type')
  const task = (t: LaneTask): LaneStatus => ({ kind: 'work', params: { task: t } })
  const preflight = x.request.method === 'OPTIONS'
  switch (`${x.to} ${path}`) {
    case 'authorization-server /authorize':
      return task('check-client')
    case 'authorization-server /login':
      return task('check-password')
    case 'authorization-server /consent':
      return task('record-consent')
    case 'authorization-server /token':
      return task(grant === 'refresh_token' ? 'refresh' : 'validate-code')
    case 'authorization-server /jwks':
      return task('serve-keys')
    case 'authorization-server /revoke':
      return task('revoke')
    case 'authorization-server /introspect':
      return task('introspect')
    case 'resource-server /photos':
    case 'authorization-server /userinfo':
      return task(preflight ? 'preflight' : 'check-token')
    case 'client /callback': {
      // The web app checks on its server; the SPA's host only serves the page its code runs in.
      const client = clientAt(world, originOf(x.request.url))
      return client === world.web ? { kind: 'check-callback', params: { checks: callbackChecks(client) } } : task('handle')
    }
    case 'client /login': {
      const client = clientAt(world, originOf(x.request.url))
      return { kind: 'work', params: { task: 'start-sign-in', checks: client ? makes(client) : [] } }
    }
    case 'client /photos':
      return task('call-api')
    case 'attacker /':
      return task('serve-lure')
    case 'attacker /callback':
      return task('catch-code')
    case 'attacker /authorize':
      return task('forward')
    case 'attacker /token':
      return task('keep-code')
    default:
      return task('handle')
  }
}

/** Whether a client of the world holds this access token now. */
function holds(world: WorldState, accessToken: unknown): boolean {
  if (typeof accessToken !== 'string') return false
  return [world.web, world.spa].some((c) => Object.values(c.sessions).some((s) => s.tokens?.access_token === accessToken))
}

function readOf(world: WorldState, x: Exchange): LaneStatus {
  const status = x.response?.status ?? 0
  const got = (what: LaneRead): LaneStatus => ({ kind: 'got', params: { what } })
  // A browser, the user's or the attacker's own, shows pages and follows redirects.
  if (x.from === 'browser' || (x.from === 'attacker' && x.channel === 'front')) return got(status >= 300 && status < 400 ? 'redirect' : 'page')
  if (status >= 400) return { kind: 'refused', params: { status } }
  const path = pathOf(x.request.url)
  if (path === '/token') {
    const body = jsonObject(x.response?.body ?? '')
    return got(holds(world, body?.access_token) ? 'stored-tokens' : 'reading-tokens')
  }
  if (path === '/jwks') return got('cached-keys')
  if (path === '/photos') return got(x.request.method === 'OPTIONS' ? 'cleared' : 'photos')
  return got('response')
}

/** What the attacker holds when it is doing nothing else: an idle attacker is not harmless. */
function attackerHolding(world: WorldState): LaneStatus | null {
  const a = world.attacker as WorldState['attacker'] | undefined
  if (!a) return null
  if (a.stolenTokens.length > 0) return { kind: 'holds', params: { what: 'tokens' } }
  // Signed in to the app, in its own browser, with someone else's code (code injection).
  const owner = tokenOwnerOf(world, attackerWebSessionOf(world))
  if (owner !== null && owner !== world.as.users.mallory?.sub) return { kind: 'holds', params: { what: 'victim-session' } }
  if (a.stolenCodes.length > 0) return { kind: 'holds', params: { what: 'code' } }
  const rt = own(a.browser.storage, ORIGINS.attacker)?.refresh_token
  if (rt) {
    const record = own(world.as.refreshTokens, rt)
    return { kind: 'holds', params: { what: record?.revoked ? 'revoked-refresh-token' : 'refresh-token' } }
  }
  if (a.plantedUrl !== null) return { kind: 'lure', params: { clicked: world.browser.history.includes(a.plantedUrl) } }
  return null
}

/**
 * What each lane is doing after a step: in-flight requests make their senders wait, the receiver
 * of this step's request works on it, whoever answered this step's response says so, and its
 * reader reads it.
 */
export function laneStatuses(
  world: WorldState,
  current: Exchange | null,
  dir: 'request' | 'response' | null,
  awaiting: 'credentials' | 'consent' | null,
  revealed?: number,
  responded?: ReadonlySet<number>,
): Record<Role, LaneStatus> {
  const out: Record<Role, LaneStatus> = { ...IDLE }
  // In flight: sent by this step or before, and no response yet — or the request of this very
  // step, whose response comes in a later step.
  for (const x of world.exchanges.slice(0, revealed ?? world.exchanges.length)) {
    const inFlight = x.response === null || (dir === 'request' && x.id === current?.id) || (responded !== undefined && !responded.has(x.id))
    if (inFlight && x.to) out[x.from] = { kind: 'waiting', params: { for: x.to } }
  }
  // The world of a step is as it stands when the next message leaves: read the exchange there.
  const now = current ? (world.exchanges.find((x) => x.id === current.id) ?? current) : null
  if (now && dir === 'request' && now.to) out[now.to] = workOf(world, now)
  if (now && dir === 'response') {
    if (now.to) out[now.to] = { kind: 'answered', params: { status: now.response?.status ?? 0 } }
    out[now.from] = readOf(world, now)
  }
  if (awaiting) out.browser = { kind: 'user', params: { awaiting } }
  if (out.attacker.kind === 'idle') out.attacker = attackerHolding(world) ?? out.attacker
  return out
}

/** The attacker lane's status while a move of its own is on screen. */
export function attackerMoveStatus(move: AttackerMove): LaneStatus {
  return { kind: 'move', params: { move } }
}
