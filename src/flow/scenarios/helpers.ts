/**
 * What scenarios read from the world: the sessions of the demo clients, the exchanges that matter
 * to an ending, the link on the attacker's lure page, the attacker's notes. Pure functions.
 */
import {
  CLIENT_SESSION_COOKIE,
  ORIGINS,
  SPA_SESSION,
  type ClientSession,
  type Exchange,
  type Role,
  type WorldState,
} from '../../protocol/index.ts'
import { unescapeHtml } from '../../protocol/html.ts'
import { jsonObject } from '../../protocol/wire.ts'
import type { FlowConfig } from '../types.ts'
import { own, ownOr } from '../../protocol/records.ts'

export { bcp, storyConfig } from './common.ts'

/** The web app's session in the user's browser (by its cookie), or null. */
export function webSessionOf(world: WorldState): ClientSession | null {
  const sid = own(world.browser.cookies, ORIGINS.webClient)?.[CLIENT_SESSION_COOKIE]?.value
  return sid ? (own(world.web.sessions, sid) ?? null) : null
}

/** The SPA's in-page session, or null before the SPA ran. */
export function spaSessionOf(world: WorldState): ClientSession | null {
  return own(world.spa.sessions, SPA_SESSION) ?? null
}

/** The session of the flow's client in the user's browser. */
export function clientSessionOf(world: WorldState, config: FlowConfig): ClientSession | null {
  return config.clientType === 'public' ? spaSessionOf(world) : webSessionOf(world)
}

/**
 * The attacker's notes — what it copied or made and must remember (a refresh token, its own
 * code_verifier) — kept in its own site's storage, so they are part of every snapshot.
 */
export function attackerNotes(world: WorldState): Record<string, string> {
  return ownOr(world.attacker.browser.storage, ORIGINS.attacker, () => ({}))
}

/** Parses a JSON object body, or `{}`. */
export function bodyOf(x: Exchange): Record<string, unknown> {
  return jsonObject(x.response?.body ?? '') ?? {}
}

/**
 * The `error` of a response: from its JSON body or its `WWW-Authenticate` challenge.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function errorOf(x: Exchange): string | null {
  const body = bodyOf(x)
  if (typeof body.error === 'string') return body.error
  const challenge =
    x.response?.headers.find(([n]) => n.toLowerCase() === 'www-authenticate')?.[1] ?? ''
  return /error="([^"]*)"/.exec(challenge)?.[1] ?? null
}

/** What to look for in the exchange log. */
export interface ExchangeQuery {
  from?: Role
  to?: Role
  method?: string
  /** The request URL's origin and path, e.g. `https://auth.example/token`. */
  endpoint?: string
  /** For token requests: the `grant_type` in the form body. */
  grant?: 'authorization_code' | 'refresh_token'
}

function endpointOf(url: string): string {
  try {
    const u = new URL(url)
    return `${u.origin}${u.pathname}`
  } catch {
    return url
  }
}

/** The exchanges that match, in the order sent. */
export function exchangesWhere(world: WorldState, q: ExchangeQuery): Exchange[] {
  return world.exchanges.filter(
    (x) =>
      (q.from === undefined || x.from === q.from) &&
      (q.to === undefined || x.to === q.to) &&
      (q.method === undefined || x.request.method === q.method) &&
      (q.endpoint === undefined || endpointOf(x.request.url) === q.endpoint) &&
      (q.grant === undefined || new URLSearchParams(x.request.body).get('grant_type') === q.grant),
  )
}

/** The last exchange that matches, or null. */
export function lastExchange(world: WorldState, q: ExchangeQuery): Exchange | null {
  return exchangesWhere(world, q).at(-1) ?? null
}

/**
 * The last token request `from` sent with this grant type, or null: what most endings turn on.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 */
export function lastTokenRequest(
  world: WorldState,
  from: Role,
  grant: 'authorization_code' | 'refresh_token',
): Exchange | null {
  return lastExchange(world, { from, endpoint: ENDPOINTS.token, grant })
}

/** `400 invalid_grant`: a status and an error, as tests and narration quote them. */
export function answered(x: Exchange | null, status: number, error?: string): boolean {
  return x?.response?.status === status && (error === undefined || errorOf(x) === error)
}

/**
 * The `href` of the lure page's prize link (entities decoded), when the browser shows it.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7
 */
export function prizeLink(world: WorldState): string | null {
  const m = /<a id="prize-link" href="([^"]*)">/.exec(world.browser.page?.body ?? '')
  return m?.[1] === undefined ? null : unescapeHtml(m[1])
}

/**
 * The `href` of the link with this id on the page on screen, resolved against the page's URL
 * (entities decoded), or null when the page has no such link.
 */
export function linkHref(world: WorldState, id: string): string | null {
  const body = world.browser.page?.body ?? ''
  for (const m of body.matchAll(/<a id="([^"]*)" href="([^"]*)"/g)) {
    if (m[1] === undefined || m[2] === undefined || unescapeHtml(m[1]) !== id) continue
    try {
      return new URL(unescapeHtml(m[2]), world.browser.url).toString()
    } catch {
      return null
    }
  }
  return null
}

/** The web app's session in the attacker's own browser (by its cookie), or null. */
export function attackerWebSessionOf(world: WorldState): ClientSession | null {
  const sid = own(world.attacker.browser.cookies, ORIGINS.webClient)?.[CLIENT_SESSION_COOKIE]?.value
  return sid ? (own(world.web.sessions, sid) ?? null) : null
}

/**
 * The user whose tokens a client session holds (the `sub` the authorization server issued its
 * access token for), or null.
 */
export function tokenOwnerOf(world: WorldState, session: ClientSession | null): string | null {
  const token = session?.tokens?.access_token
  if (!token) return null
  return Object.values(world.as.accessTokens).find((t) => t.token === token)?.sub ?? null
}

/**
 * Whether a URL carries an authorization code in its query.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export function hasCode(url: string | null | undefined): url is string {
  if (!url) return false
  try {
    return new URL(url).searchParams.has('code')
  } catch {
    return false
  }
}

/** The endpoints of the demo world, as `exchangesWhere` takes them. */
export const ENDPOINTS = {
  token: `${ORIGINS.authorizationServer}/token`,
  authorize: `${ORIGINS.authorizationServer}/authorize`,
  userinfo: `${ORIGINS.authorizationServer}/userinfo`,
  introspect: `${ORIGINS.authorizationServer}/introspect`,
  revoke: `${ORIGINS.authorizationServer}/revoke`,
  photos: `${ORIGINS.resourceServer}/photos`,
  evilToken: `${ORIGINS.maliciousAuthorizationServer}/token`,
} as const
