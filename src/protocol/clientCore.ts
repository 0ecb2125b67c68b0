/**
 * What both demo clients do, as request/process pairs (oauth4webapi's shape): build the
 * authorization request, check the authorization response, redeem the code, validate the ID
 * token, call the API, refresh and revoke. The web app sends from its server (back channel), the
 * single-page app from the browser (front channel, with CORS); the logic is the same.
 */
import { jwtVerify, type JSONWebKeySet } from 'jose'
import { atHash, localKeySet, s256Challenge } from './crypto.ts'
import { getHeader, withQuery } from './http.ts'
import { describeJoseError } from './resourceServer.ts'
import { ORIGINS, type ClientIssuerConfig, type ClientSession, type ClientState, type ClientTokens } from './state.ts'
import type { HttpRequest, HttpResponse } from './types.ts'
import type { World } from './world.ts'
import { formPost, jsonObject } from './wire.ts'
import { own } from './records.ts'

/** How a client sends a request: its server's own connection, or the page's `fetch`. */
export type Transport = (request: HttpRequest) => Promise<{ ok: true; response: HttpResponse } | { ok: false; error: string }>

/** A client-side failure, with the OAuth error code when the server gave one. */
export interface ClientError {
  error: string
  description: string
}

export type Outcome<T> = ({ ok: true } & T) | ({ ok: false } & ClientError)

const AS = ORIGINS.authorizationServer

/**
 * The client's primary authorization server, `https://auth.example`, with the client's own
 * `client_id` and `client_secret`.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export function primaryIssuer(client: ClientState): ClientIssuerConfig {
  return {
    issuer: AS,
    authorization_endpoint: `${AS}/authorize`,
    token_endpoint: `${AS}/token`,
    client_id: client.client_id,
    client_secret: client.client_secret,
  }
}

/**
 * The configuration of an issuer the client knows (the primary one, or one of `client.issuers`),
 * or null when it knows none by that name.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.4.2
 */
export function issuerConfig(client: ClientState, issuer: string): ClientIssuerConfig | null {
  if (issuer === AS) return primaryIssuer(client)
  return client.issuers ? (own(client.issuers, issuer) ?? null) : null
}

/** The issuer a session's sign-in was sent to (auth.example unless the session says otherwise). */
function sessionIssuer(client: ClientState, session: ClientSession): ClientIssuerConfig | null {
  return issuerConfig(client, session.issuer ?? AS)
}

const unknownIssuer = (session: ClientSession): ClientError => ({
  error: 'unknown_issuer',
  description: `This client is not registered at the issuer "${session.issuer ?? AS}".`,
})

/** A fresh, empty client session. */
export function newClientSession(sid: string): ClientSession {
  return {
    sid,
    state: null,
    code_verifier: null,
    code_challenge: null,
    nonce: null,
    code: null,
    tokens: null,
    user: null,
    resource: null,
    error: null,
  }
}

/**
 * Generates `state`, the PKCE pair and `nonce` as the settings say, and builds the
 * authorization request URL for `issuer` (default: auth.example), which the session remembers.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export async function buildAuthorizationUrl(
  world: World,
  client: ClientState,
  session: ClientSession,
  issuer: ClientIssuerConfig = primaryIssuer(client),
): Promise<string> {
  const s = client.settings
  session.state = s.useState ? world.randomToken(16) : null
  session.code_verifier = s.usePkce ? world.randomToken(32) : null
  session.code_challenge = session.code_verifier ? await s256Challenge(session.code_verifier) : null
  const openid = s.scope.split(' ').includes('openid')
  session.nonce = s.useNonce && openid ? world.randomToken(16) : null
  session.code = null
  session.error = null
  // RFC 9700 §4.4.2: remember where the user was sent, to check the response's iss against it.
  session.issuer = issuer.issuer
  const params: [string, string][] = [
    ['response_type', 'code'],
    ['client_id', issuer.client_id],
    ['redirect_uri', client.redirect_uri],
  ]
  if (s.scope.trim()) params.push(['scope', s.scope.trim()])
  if (session.state) params.push(['state', session.state])
  if (session.code_challenge) params.push(['code_challenge', session.code_challenge], ['code_challenge_method', 'S256'])
  if (session.nonce) params.push(['nonce', session.nonce])
  // What setting each on new URL(authorization_endpoint).searchParams gives.
  return withQuery(issuer.authorization_endpoint, params, 'set', world.urls)
}

/**
 * Checks the authorization response at the redirect URI: `iss` (RFC 9207), `state`
 * (RFC 6749 §10.12), then `error` or `code`.
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4
 */
export function processAuthorizationResponse(client: ClientState, session: ClientSession, url: URL): Outcome<{ code: string }> {
  const params = url.searchParams
  for (const name of ['code', 'state', 'iss', 'error']) {
    if (params.getAll(name).length > 1) return { ok: false, error: 'invalid_response', description: `The parameter ${name} is repeated in the callback.` }
  }
  if (client.settings.checkIss) {
    const iss = params.get('iss')
    // RFC 9207 §2.4: the response must come from the issuer this sign-in was sent to.
    const expected = session.issuer ?? AS
    // The server advertises authorization_response_iss_parameter_supported, so iss must be there.
    if (iss === null) return { ok: false, error: 'iss_missing', description: `The response has no iss parameter, though ${new URL(expected).host} always sends one: possible mix-up attack.` }
    if (iss !== expected) return { ok: false, error: 'iss_mismatch', description: `The response comes from issuer "${iss}", not from ${expected} where this sign-in was sent: mix-up attack.` }
  }
  if (client.settings.useState) {
    const state = params.get('state')
    if (session.state === null) return { ok: false, error: 'state_unexpected', description: 'No sign-in was started in this browser, so this response is not expected: possible CSRF.' }
    if (state !== session.state) return { ok: false, error: 'state_mismatch', description: 'The state in the response does not match the one this browser sent: possible CSRF.' }
  }
  const error = params.get('error')
  if (error !== null) return { ok: false, error, description: params.get('error_description') ?? 'The authorization server refused.' }
  const code = params.get('code')
  if (!code) return { ok: false, error: 'invalid_response', description: 'The callback has neither code nor error.' }
  session.code = code
  return { ok: true, code }
}

const parseJson = (res: HttpResponse) => jsonObject(res.body)

/**
 * A token-endpoint style request to `issuer` (default: auth.example) with the credentials that
 * issuer gave the client. @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function buildTokenEndpointRequest(
  client: ClientState,
  path: string,
  fields: Record<string, string | null | undefined>,
  issuer: ClientIssuerConfig = primaryIssuer(client),
): HttpRequest {
  const url = path === '/token' ? issuer.token_endpoint : `${issuer.issuer}${path}`
  return formPost(url, fields, issuer.client_id, issuer.client_secret, client.settings.authMethod === 'client_secret_post')
}

async function getJwks(client: ClientState, send: Transport): Promise<JSONWebKeySet | null> {
  if (client.jwks) return client.jwks as unknown as JSONWebKeySet
  const r = await send({ method: 'GET', url: `${AS}/jwks`, headers: [['Accept', 'application/json']], body: '' })
  if (!r.ok || r.response.status !== 200) return null
  const body = parseJson(r.response)
  if (!body || !Array.isArray(body.keys)) return null
  client.jwks = body as { keys: Record<string, unknown>[] }
  return body as unknown as JSONWebKeySet
}

/**
 * Validates an ID token: signature, `iss`, `aud`, `exp`, `nonce`, `at_hash`.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export async function validateIdToken(
  world: World,
  client: ClientState,
  session: ClientSession,
  idToken: string,
  accessToken: string,
  send: Transport,
  expectNonce: boolean,
): Promise<Outcome<{ claims: Record<string, unknown> }>> {
  const jwks = await getJwks(client, send)
  if (!jwks) return { ok: false, error: 'jwks_unavailable', description: 'The authorization server’s keys could not be fetched.' }
  // The signature check and the access token's hash do not depend on each other: the hash is
  // taken while the signature is checked, and compared only once the signature holds.
  const accessTokenHash = atHash(accessToken)
  // Not awaited when the token is refused first; its outcome is then of no interest.
  accessTokenHash.catch(() => undefined)
  try {
    const { payload } = await jwtVerify(idToken, localKeySet(jwks), {
      issuer: session.issuer ?? AS,
      audience: client.client_id,
      algorithms: ['RS256'],
      requiredClaims: ['iat', 'exp', 'sub'],
      currentDate: new Date(world.now()),
    })
    if (expectNonce && client.settings.useNonce && session.nonce !== null && payload.nonce !== session.nonce) {
      return { ok: false, error: 'nonce_mismatch', description: 'The ID token’s nonce is not the one this sign-in sent: a replayed or injected ID token.' }
    }
    if (typeof payload.at_hash === 'string' && payload.at_hash !== (await accessTokenHash)) {
      return { ok: false, error: 'at_hash_mismatch', description: 'The ID token’s at_hash does not match the access token.' }
    }
    return { ok: true, claims: payload as Record<string, unknown> }
  } catch (e) {
    return { ok: false, error: 'invalid_id_token', description: `The ID token is not valid: ${describeJoseError(e)}` }
  }
}

function tokenFailure(r: Awaited<ReturnType<Transport>>): ClientError | null {
  if (!r.ok) return { error: 'network_error', description: r.error }
  if (r.response.status === 200) return null
  const body = parseJson(r.response)
  return {
    error: typeof body?.error === 'string' ? body.error : `http_${r.response.status}`,
    description: typeof body?.error_description === 'string' ? body.error_description : `The server answered ${r.response.status}.`,
  }
}

async function storeTokenResponse(
  world: World,
  client: ClientState,
  session: ClientSession,
  res: HttpResponse,
  send: Transport,
  initial: boolean,
): Promise<Outcome<{ tokens: ClientTokens }>> {
  const body = parseJson(res)
  if (!body || typeof body.access_token !== 'string' || typeof body.token_type !== 'string') {
    return { ok: false, error: 'invalid_response', description: 'The token response is not the JSON the RFC describes.' }
  }
  if (body.token_type.toLowerCase() !== 'bearer') {
    return { ok: false, error: 'invalid_response', description: `Unsupported token_type "${body.token_type}".` }
  }
  const tokens: ClientTokens = {
    access_token: body.access_token,
    token_type: body.token_type,
    expires_at: world.now() + (typeof body.expires_in === 'number' ? body.expires_in : 3600) * 1000,
    scope: typeof body.scope === 'string' ? body.scope : (session.tokens?.scope ?? client.settings.scope),
    refresh_token: typeof body.refresh_token === 'string' ? body.refresh_token : (session.tokens?.refresh_token ?? null),
    id_token: typeof body.id_token === 'string' ? body.id_token : null,
  }
  if (tokens.id_token) {
    const v = await validateIdToken(world, client, session, tokens.id_token, tokens.access_token, send, initial)
    if (!v.ok) return v
    if (initial || session.user === null) session.user = v.claims
    else if (v.claims.sub !== session.user.sub) {
      return { ok: false, error: 'invalid_id_token', description: 'The refreshed ID token is for another user.' }
    }
  } else if (initial && client.settings.scope.split(' ').includes('openid')) {
    return { ok: false, error: 'invalid_response', description: 'openid was requested but no ID token came back.' }
  }
  session.tokens = tokens
  return { ok: true, tokens }
}

/**
 * Redeems the code at the token endpoint and validates what comes back.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 */
export async function redeemCode(world: World, client: ClientState, session: ClientSession, code: string, send: Transport): Promise<Outcome<{ tokens: ClientTokens }>> {
  // The code goes to the token endpoint of the issuer the client THINKS it used. Only the iss
  // check (RFC 9207) tells it the code came from another one: without it, a mix-up attacker's
  // token endpoint receives the honest server's code (RFC 9700 §4.4).
  const issuer = sessionIssuer(client, session)
  if (!issuer) return { ok: false, ...unknownIssuer(session) }
  const request = buildTokenEndpointRequest(
    client,
    '/token',
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: client.redirect_uri,
      code_verifier: session.code_verifier,
    },
    issuer,
  )
  const r = await send(request)
  // The one-time values are spent, whatever the answer.
  session.state = null
  session.code_verifier = null
  const failed = tokenFailure(r)
  if (failed || !r.ok) return { ok: false, ...(failed ?? { error: 'network_error', description: 'No response.' }) }
  const stored = await storeTokenResponse(world, client, session, r.response, send, true)
  session.nonce = null
  return stored
}

/**
 * Exchanges the refresh token for new tokens (the server rotates it).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export async function refreshTokens(world: World, client: ClientState, session: ClientSession, send: Transport, scope?: string): Promise<Outcome<{ tokens: ClientTokens }>> {
  const rt = session.tokens?.refresh_token
  if (!rt) return { ok: false, error: 'no_refresh_token', description: 'There is no refresh token to use.' }
  const issuer = sessionIssuer(client, session)
  if (!issuer) return { ok: false, ...unknownIssuer(session) }
  const r = await send(buildTokenEndpointRequest(client, '/token', { grant_type: 'refresh_token', refresh_token: rt, scope }, issuer))
  const failed = tokenFailure(r)
  if (failed || !r.ok) return { ok: false, ...(failed ?? { error: 'network_error', description: 'No response.' }) }
  return storeTokenResponse(world, client, session, r.response, send, false)
}

/**
 * Revokes the refresh token (or, without one, the access token) and forgets the tokens.
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export async function revokeTokens(client: ClientState, session: ClientSession, send: Transport): Promise<Outcome<object>> {
  const tokens = session.tokens
  if (!tokens) return { ok: false, error: 'no_tokens', description: 'There are no tokens to revoke.' }
  const token = tokens.refresh_token ?? tokens.access_token
  const hint = tokens.refresh_token ? 'refresh_token' : 'access_token'
  const issuer = sessionIssuer(client, session)
  if (!issuer) return { ok: false, ...unknownIssuer(session) }
  const r = await send(buildTokenEndpointRequest(client, '/revoke', { token, token_type_hint: hint }, issuer))
  const failed = tokenFailure(r)
  if (failed) return { ok: false, ...failed }
  session.tokens = null
  return { ok: true }
}

/**
 * Calls the API with the access token in the `Authorization` header.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export async function callApi(
  session: ClientSession,
  send: Transport,
  method: 'GET' | 'POST' = 'GET',
  body?: unknown,
): Promise<Outcome<{ status: number; data: unknown }>> {
  const token = session.tokens?.access_token
  if (!token) return { ok: false, error: 'no_access_token', description: 'There is no access token to call the API with.' }
  const headers: [string, string][] = [
    ['Authorization', `Bearer ${token}`],
    ['Accept', 'application/json'],
  ]
  if (method === 'POST') headers.push(['Content-Type', 'application/json'])
  const r = await send({ method, url: `${ORIGINS.resourceServer}/photos`, headers, body: method === 'POST' ? JSON.stringify(body ?? {}) : '' })
  if (!r.ok) return { ok: false, error: 'network_error', description: r.error }
  const data = parseJson(r.response)
  session.resource = data
  if (r.response.status >= 400) {
    const challenge = getHeader(r.response.headers, 'www-authenticate') ?? ''
    const error = /error="([^"]*)"/.exec(challenge)?.[1] ?? (typeof data?.error === 'string' ? data.error : `http_${r.response.status}`)
    const description = /error_description="([^"]*)"/.exec(challenge)?.[1] ?? `The API answered ${r.response.status}.`
    return { ok: false, error, description }
  }
  return { ok: true, status: r.response.status, data }
}
