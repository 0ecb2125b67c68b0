/**
 * The authorization server at `https://auth.example`: metadata, JWKS, the authorization endpoint
 * with its login and consent pages, and the token, revocation, introspection and userinfo
 * endpoints. A Fetch-style handler over plain messages; it never throws to its caller.
 */
import { basicCredentials } from './basicAuth.ts'
import { decodeJwt } from 'jose'
import { consentPage, errorPage, loginPage, PAGE_HEADERS } from './asPages.ts'
import { atHash, isCodeVerifier, s256Challenge, signJwt } from './crypto.ts'
import {
  formParamsOf,
  getHeader,
  jsonResponse,
  mediaType,
  parseCookieHeader,
  pathOf,
  queryParamsOf,
  redirectResponse,
  repeatedParams,
  response,
  single,
  withQuery,
} from './http.ts'
import { extractBearer } from './bearer.ts'
import { bearerError, errorDescription, NO_STORE, tokenError, type AuthorizationErrorCode, type TokenErrorCode } from './oauthErrors.ts'
import {
  ACCESS_TOKEN_LIFETIME,
  CODE_LIFETIME,
  ID_TOKEN_LIFETIME,
  ORIGINS,
  PENDING_LIFETIME,
  REFRESH_TOKEN_LIFETIME,
  SCOPES,
  SESSION_LIFETIME,
  type AccessTokenRecord,
  type AuthorizationServerState,
  type ClientAuthMethod,
  type ClientRegistration,
  type GrantRecord,
  type PendingRequest,
  type RefreshTokenRecord,
  type SessionRecord,
} from './state.ts'
import type { HeaderList, HttpRequest, HttpResponse } from './types.ts'
import type { Handler, World } from './world.ts'

/** Name of the authorization server's session cookie. */
export const AS_SESSION_COOKIE = 'as_session'

/**
 * Starts a signed-in session for a user at the authorization server: the record it keeps, and the
 * `Set-Cookie` header that hands its id to the browser. The login form does this; a run that
 * starts with the user already signed in does the same before its first step.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#Authenticates
 */
export function startSession(
  as: AuthorizationServerState,
  sub: string,
  sid: string,
  nowSeconds: number,
): { session: SessionRecord; setCookie: string } {
  const session: SessionRecord = { sid, sub, authTime: nowSeconds, expiresAt: nowSeconds + SESSION_LIFETIME }
  as.sessions[sid] = session
  return {
    session,
    setCookie: `${AS_SESSION_COOKIE}=${sid}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=${SESSION_LIFETIME}`,
  }
}

const PROMPTS = new Set(['none', 'login', 'consent', 'select_account'])
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/

/**
 * The metadata document, truthful about what this server supports.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export function authorizationServerMetadata(issuer: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    userinfo_endpoint: `${issuer}/userinfo`,
    revocation_endpoint: `${issuer}/revoke`,
    introspection_endpoint: `${issuer}/introspect`,
    scopes_supported: Object.keys(SCOPES),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    authorization_response_iss_parameter_supported: true,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'at_hash', 'name', 'given_name', 'family_name', 'preferred_username'],
    service_documentation: 'https://www.rfc-editor.org/rfc/rfc6749',
  }
}

/** CORS headers for endpoints that page code may call (public clients, discovery). */
function cors(request: HttpRequest): HeaderList {
  const origin = getHeader(request.headers, 'origin')
  if (origin === null) return []
  return [
    ['Access-Control-Allow-Origin', origin],
    ['Vary', 'Origin'],
  ]
}

function preflight(request: HttpRequest): HttpResponse {
  return response(204, [
    ...cors(request),
    ['Access-Control-Allow-Methods', 'GET, POST'],
    ['Access-Control-Allow-Headers', 'Authorization, Content-Type, DPoP'],
    ['Access-Control-Max-Age', '600'],
  ])
}

function splitScope(scope: string): string[] {
  return scope.split(' ').filter(Boolean)
}

function formParams(request: HttpRequest): Map<string, string[]> | null {
  if (mediaType(request.headers) !== 'application/x-www-form-urlencoded') return null
  return formParamsOf(request.body)
}

type ClientAuth =
  | { ok: true; client: ClientRegistration; method: ClientAuthMethod }
  | { ok: false; response: HttpResponse }

/**
 * Authenticates the client at the token, revocation and introspection endpoints.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function authenticateClient(
  as: AuthorizationServerState,
  request: HttpRequest,
  params: Map<string, string[]>,
  extra: HeaderList = [],
): ClientAuth {
  const fail = (code: 'invalid_client' | 'invalid_request', description: string, basic: boolean): ClientAuth => ({
    ok: false,
    response: tokenError(code, description, { basicChallenge: basic, extra }),
  })
  const authz = getHeader(request.headers, 'authorization')
  const bodyId = single(params, 'client_id')
  const bodySecret = single(params, 'client_secret')
  const basic = basicCredentials(authz)
  if (basic) {
    if (bodySecret !== undefined) {
      return fail('invalid_request', 'The client used more than one authentication method (HTTP Basic and client_secret in the body).', false)
    }
    if (!basic.ok) return fail('invalid_client', 'The Authorization header is not valid HTTP Basic credentials.', true)
    const { id, secret } = basic
    const client = as.clients[id]
    if (!client || client.client_secret === undefined || client.client_secret !== secret) {
      return fail('invalid_client', 'Client authentication failed: unknown client or wrong secret.', true)
    }
    if (bodyId !== undefined && bodyId !== id) {
      return fail('invalid_client', 'The client_id in the body does not match the authenticated client.', true)
    }
    return { ok: true, client, method: 'client_secret_basic' }
  }
  if (authz !== null) {
    return fail('invalid_client', 'Unsupported Authorization scheme; use HTTP Basic or client_secret_post.', false)
  }
  if (bodyId === undefined) return fail('invalid_client', 'Client authentication failed: no client_id.', false)
  const client = as.clients[bodyId]
  if (!client) return fail('invalid_client', 'Client authentication failed: unknown client.', false)
  if (bodySecret !== undefined) {
    if (client.client_secret === undefined || client.client_secret !== bodySecret) {
      return fail('invalid_client', 'Client authentication failed: wrong client_secret.', false)
    }
    return { ok: true, client, method: 'client_secret_post' }
  }
  if (client.client_type === 'confidential') {
    return fail('invalid_client', 'Client authentication failed: this confidential client must authenticate.', false)
  }
  return { ok: true, client, method: 'none' }
}

/** Whether a redirect URI matches the registration, by the server's matching rule. */
function redirectUriAllowed(client: ClientRegistration, uri: string, matching: 'exact' | 'lax'): boolean {
  if (client.redirect_uris.includes(uri)) return true
  // WARNING: 'lax' is the classic prefix-matching bug (RFC 9700 §4.1.1): it opens the door to
  // redirecting codes to look-alike hosts such as https://client.example.attacker.example/.
  if (matching === 'lax') return client.redirect_uris.some((r) => uri.startsWith(new URL(r).origin))
  return false
}

/** Creates the authorization server's handler on the world's network. */
export function createAuthorizationServer(world: World): Handler {
  const as = () => world.state.as
  const issuer = () => world.state.as.issuer
  const userBySub = (sub: string) => Object.values(as().users).find((u) => u.sub === sub)

  function sessionOf(request: HttpRequest) {
    const sid = parseCookieHeader(getHeader(request.headers, 'cookie'))[AS_SESSION_COOKIE]
    if (!sid) return null
    const session = as().sessions[sid]
    if (!session || session.expiresAt <= world.nowSeconds()) return null
    return session
  }

  /** Whether this client must send a `code_challenge`. @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1 */
  function pkceRequired(client: ClientRegistration): boolean {
    // WARNING: with requirePkceForPublicClients off, a public client's require_pkce is not
    // enforced: its codes can be redeemed by whoever intercepts them (RFC 9700 §4.5). Only an
    // explicit false switches it off, so a state without the setting stays secure.
    if (client.client_type === 'public' && as().settings.requirePkceForPublicClients === false) return false
    return client.require_pkce
  }

  function authorizationRedirect(redirectUri: string, fields: Record<string, string | null | undefined>, status = 302) {
    const pairs: [string, string][] = []
    for (const [k, v] of Object.entries(fields)) if (v !== null && v !== undefined) pairs.push([k, v])
    pairs.push(['iss', issuer()])
    return redirectResponse(withQuery(redirectUri, pairs), status, [['Cache-Control', 'no-store']])
  }

  function authorizationError(
    redirectUri: string,
    error: AuthorizationErrorCode,
    description: string,
    state: string | null | undefined,
    status = 302,
  ) {
    return authorizationRedirect(redirectUri, { error, error_description: errorDescription(description), state }, status)
  }

  function issueCode(pending: PendingRequest, sub: string, authTime: number): string {
    const code = world.randomToken(32)
    const grantId = `grant-${world.randomToken(9)}`
    const now = world.nowSeconds()
    as().grants[grantId] = {
      id: grantId,
      client_id: pending.client_id,
      sub,
      scope: pending.scope,
      authTime,
      revoked: false,
      revokedReason: null,
      accessTokens: [],
      refreshTokens: [],
    }
    as().codes[code] = {
      code,
      client_id: pending.client_id,
      redirect_uri: pending.redirect_uri,
      redirect_uri_given: pending.redirect_uri_given,
      scope: pending.scope,
      code_challenge: pending.code_challenge,
      code_challenge_method: pending.code_challenge_method,
      nonce: pending.nonce,
      sub,
      authTime,
      issuedAt: now,
      expiresAt: now + CODE_LIFETIME,
      used: false,
      usedAt: null,
      grantId,
    }
    as().consents[`${sub} ${pending.client_id}`] = pending.scope
    return code
  }

  /** @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1 */
  function authorize(request: HttpRequest): HttpResponse {
    let params: Map<string, string[]>
    if (request.method === 'GET') params = queryParamsOf(request.url)
    else if (request.method === 'POST') {
      const form = formParams(request)
      if (!form) return errorPage(400, 'Bad request', 'A POST to the authorization endpoint must be form-encoded.')
      params = form
    } else return { ...errorPage(405, 'Method not allowed', `The authorization endpoint accepts GET and POST, not ${request.method}.`), headers: [...PAGE_HEADERS, ['Allow', 'GET, POST'], ['Content-Type', 'text/html; charset=utf-8']] }

    // Until client_id and redirect_uri are trusted, errors go on a page, never to a redirect.
    const repeated = repeatedParams(params)
    if (repeated.includes('client_id')) return errorPage(400, 'Invalid request', 'The client_id parameter is repeated.')
    if (repeated.includes('redirect_uri')) return errorPage(400, 'Invalid request', 'The redirect_uri parameter is repeated.')
    const clientId = single(params, 'client_id')
    if (!clientId) return errorPage(400, 'Invalid request', 'The request has no client_id.')
    const client = as().clients[clientId]
    if (!client) return errorPage(400, 'Unknown client', `No client is registered with client_id "${clientId}".`, 'invalid_client')
    const givenRedirect = single(params, 'redirect_uri')
    let redirectUri: string
    if (givenRedirect !== undefined) {
      let parsed: URL | null
      try {
        parsed = new URL(givenRedirect)
      } catch {
        parsed = null
      }
      if (!parsed || givenRedirect.includes('#')) {
        return errorPage(400, 'Invalid redirect_uri', `The redirect_uri "${givenRedirect}" is not an absolute URI without a fragment.`)
      }
      if (!redirectUriAllowed(client, givenRedirect, as().settings.redirectUriMatching)) {
        return errorPage(
          400,
          'Invalid redirect_uri',
          `The redirect_uri "${givenRedirect}" is not registered for ${clientId}. The server will not redirect there.`,
        )
      }
      redirectUri = givenRedirect
    } else if (client.redirect_uris.length === 1 && client.redirect_uris[0]) {
      redirectUri = client.redirect_uris[0]
    } else {
      return errorPage(400, 'Invalid request', 'The request has no redirect_uri and the client registered several.')
    }

    const state = single(params, 'state') ?? null
    const fail = (error: AuthorizationErrorCode, description: string) =>
      authorizationError(redirectUri, error, description, state)

    const otherRepeated = repeated.filter((p) => p !== 'client_id' && p !== 'redirect_uri')
    if (otherRepeated.length > 0) return fail('invalid_request', `Parameter repeated: ${otherRepeated.join(', ')}.`)
    const responseType = single(params, 'response_type')
    if (!responseType) return fail('invalid_request', 'The response_type parameter is missing.')
    if (responseType !== 'code') {
      return fail('unsupported_response_type', `This server supports response_type=code only, not "${responseType}".`)
    }
    if (!client.response_types.includes('code') || !client.grant_types.includes('authorization_code')) {
      return fail('unauthorized_client', `The client ${clientId} is not allowed to use the authorization code grant.`)
    }

    const scopeParam = single(params, 'scope')
    const scopes = splitScope(scopeParam ?? '')
    const requested = scopes.length === 0 ? ['profile'] : scopes
    const bad = requested.find((s) => !SCOPE_TOKEN.test(s) || !(s in SCOPES))
    if (bad !== undefined) return fail('invalid_scope', `Unknown scope "${bad}".`)
    const allowed = splitScope(client.scope)
    const notAllowed = requested.find((s) => !allowed.includes(s))
    if (notAllowed !== undefined) return fail('invalid_scope', `The client may not request the scope "${notAllowed}".`)
    const scope = [...new Set(requested)].join(' ')

    const challenge = single(params, 'code_challenge')
    const method = single(params, 'code_challenge_method')
    if (method !== undefined && challenge === undefined) {
      return fail('invalid_request', 'code_challenge_method was sent without a code_challenge.')
    }
    if (challenge !== undefined) {
      // RFC 7636 §4.3: without a method, the method is "plain", which this server refuses.
      if ((method ?? 'plain') !== 'S256') {
        return fail('invalid_request', `Transform algorithm not supported: code_challenge_method "${method ?? 'plain'}" (use S256).`)
      }
      if (!isCodeVerifier(challenge) || challenge.length !== 43) {
        return fail('invalid_request', 'The code_challenge is not a base64url SHA-256 value of 43 characters.')
      }
    } else if (pkceRequired(client)) {
      return fail('invalid_request', `PKCE is required for ${clientId}: the code_challenge parameter is missing.`)
    }

    const prompt = splitScope(single(params, 'prompt') ?? '')
    const badPrompt = prompt.find((p) => !PROMPTS.has(p))
    if (badPrompt !== undefined) return fail('invalid_request', `Unknown prompt value "${badPrompt}".`)
    if (prompt.includes('none') && prompt.length > 1) {
      return fail('invalid_request', 'prompt=none cannot be combined with other prompt values.')
    }

    const now = world.nowSeconds()
    const pending: PendingRequest = {
      id: world.randomToken(16),
      client_id: clientId,
      redirect_uri: redirectUri,
      redirect_uri_given: givenRedirect !== undefined,
      scope,
      state,
      code_challenge: challenge ?? null,
      code_challenge_method: challenge === undefined ? null : 'S256',
      nonce: single(params, 'nonce') ?? null,
      createdAt: now,
      expiresAt: now + PENDING_LIFETIME,
      sub: null,
      failedLogins: 0,
    }

    const session = sessionOf(request)
    if (prompt.includes('none')) {
      if (!session) return fail('login_required', 'The user is not signed in and prompt=none was requested.')
      const consented = splitScope(as().consents[`${session.sub} ${clientId}`] ?? '')
      if (!splitScope(scope).every((s) => consented.includes(s))) {
        return fail('consent_required', 'The user has not consented to these scopes and prompt=none was requested.')
      }
      const code = issueCode(pending, session.sub, session.authTime)
      return authorizationRedirect(redirectUri, { code, state })
    }
    as().pending[pending.id] = pending
    if (session && !prompt.includes('login')) {
      pending.sub = session.sub
      const user = userBySub(session.sub)
      return consentPage(pending.id, client.client_name, user?.name ?? session.sub, scope)
    }
    return loginPage(pending.id, client.client_name, null)
  }

  function pendingFrom(params: Map<string, string[]>): PendingRequest | HttpResponse {
    const id = single(params, 'request_id')
    const pending = id === undefined ? undefined : as().pending[id]
    if (!pending) return errorPage(400, 'Sign-in request not found', 'This sign-in request is unknown or was already answered. Start again from the application.')
    if (pending.expiresAt <= world.nowSeconds()) {
      delete as().pending[pending.id]
      return errorPage(400, 'Sign-in request expired', 'This sign-in request has expired. Start again from the application.')
    }
    return pending
  }

  /** The login form's POST: checks the password, starts a session, shows the consent page. */
  function login(request: HttpRequest): HttpResponse {
    if (request.method !== 'POST') return errorPage(405, 'Method not allowed', 'The login form is sent with POST.')
    const params = formParams(request)
    if (!params) return errorPage(400, 'Bad request', 'The login form must be form-encoded.')
    const pending = pendingFrom(params)
    if ('status' in pending) return pending
    const client = as().clients[pending.client_id]
    if (!client) return errorPage(400, 'Unknown client', 'The client of this sign-in request no longer exists.', 'invalid_client')
    const username = single(params, 'username') ?? ''
    const password = single(params, 'password') ?? ''
    const user = as().users[username]
    if (!user || user.password !== password) {
      pending.failedLogins++
      return loginPage(pending.id, client.client_name, 'Wrong username or password.', username)
    }
    const { setCookie } = startSession(as(), user.sub, world.randomToken(24), world.nowSeconds())
    pending.sub = user.sub
    return consentPage(pending.id, client.client_name, user.name, pending.scope, [['Set-Cookie', setCookie]])
  }

  /** The consent form's POST: Allow issues a code, Deny answers `access_denied`. */
  function consent(request: HttpRequest): HttpResponse {
    if (request.method !== 'POST') return errorPage(405, 'Method not allowed', 'The consent form is sent with POST.')
    const params = formParams(request)
    if (!params) return errorPage(400, 'Bad request', 'The consent form must be form-encoded.')
    const pending = pendingFrom(params)
    if ('status' in pending) return pending
    const session = sessionOf(request)
    if (!session || pending.sub === null || session.sub !== pending.sub) {
      return errorPage(400, 'Not signed in', 'Sign in before answering the consent page.', 'access_denied')
    }
    const decision = single(params, 'decision')
    if (decision !== 'allow' && decision !== 'deny') {
      return errorPage(400, 'Bad request', 'The consent answer must be allow or deny.')
    }
    delete as().pending[pending.id]
    if (decision === 'deny') {
      return authorizationError(pending.redirect_uri, 'access_denied', 'The user denied the request.', pending.state, 303)
    }
    const code = issueCode(pending, session.sub, session.authTime)
    return authorizationRedirect(pending.redirect_uri, { code, state: pending.state }, 303)
  }

  async function signingKey() {
    const key = world.state.keys[0]
    if (!key) throw new Error('the authorization server has no signing key')
    return { kid: key.kid, key: await world.importKey(key.privateJwk) }
  }

  /**
   * Issues an access token (RFC 9068 JWT), a rotated refresh token and, with `openid`, an ID token.
   * @see https://www.rfc-editor.org/rfc/rfc9068#section-2
   */
  async function issueTokens(
    grant: GrantRecord,
    scope: string,
    opts: { nonce: string | null; refresh: boolean },
  ): Promise<Record<string, unknown>> {
    const now = world.nowSeconds()
    const { kid, key } = await signingKey()
    const jti = world.randomToken(16)
    const accessToken = await signJwt(
      { client_id: grant.client_id, scope, auth_time: grant.authTime },
      { iss: issuer(), sub: grant.sub, aud: ORIGINS.resourceServer, iat: now, exp: now + ACCESS_TOKEN_LIFETIME, jti },
      { alg: 'RS256', typ: 'at+jwt', kid },
      key,
    )
    const at: AccessTokenRecord = {
      jti,
      token: accessToken,
      client_id: grant.client_id,
      sub: grant.sub,
      scope,
      grantId: grant.id,
      issuedAt: now,
      expiresAt: now + ACCESS_TOKEN_LIFETIME,
      revoked: false,
    }
    as().accessTokens[jti] = at
    grant.accessTokens.push(jti)
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_LIFETIME,
      scope,
    }
    const client = as().clients[grant.client_id]
    if (opts.refresh && client?.grant_types.includes('refresh_token')) {
      const token = world.randomToken(32)
      const rt: RefreshTokenRecord = {
        token,
        client_id: grant.client_id,
        sub: grant.sub,
        // RFC 6749 §6: a rotated refresh token keeps the scope of the grant, even if this
        // access token was narrowed.
        scope: grant.scope,
        grantId: grant.id,
        issuedAt: now,
        expiresAt: now + REFRESH_TOKEN_LIFETIME,
        rotatedAt: null,
        revoked: false,
      }
      as().refreshTokens[token] = rt
      grant.refreshTokens.push(token)
      body.refresh_token = token
    }
    if (splitScope(scope).includes('openid')) {
      const claims: Record<string, unknown> = { auth_time: grant.authTime, at_hash: await atHash(accessToken) }
      if (opts.nonce !== null) claims.nonce = opts.nonce
      // Profile claims also in the ID token (as most providers do), so a client can greet the
      // user without a UserInfo call; UserInfo returns them too (OpenID Connect Core §5.4).
      const user = userBySub(grant.sub)
      if (user && splitScope(scope).includes('profile')) {
        claims.name = user.name
        claims.preferred_username = user.username
      }
      body.id_token = await signJwt(
        claims,
        { iss: issuer(), sub: grant.sub, aud: grant.client_id, iat: now, exp: now + ID_TOKEN_LIFETIME },
        { alg: 'RS256', typ: 'JWT', kid },
        key,
      )
    }
    return body
  }

  /** Revokes a grant and every token issued from it. @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2 */
  function revokeGrant(grantId: string, reason: string) {
    const grant = as().grants[grantId]
    if (grant) {
      grant.revoked = true
      grant.revokedReason = grant.revokedReason ?? reason
    }
    for (const jti of grant?.accessTokens ?? []) {
      const at = as().accessTokens[jti]
      if (at) at.revoked = true
    }
    for (const token of grant?.refreshTokens ?? []) {
      const rt = as().refreshTokens[token]
      if (rt) rt.revoked = true
    }
  }

  /** @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2 */
  async function token(request: HttpRequest): Promise<HttpResponse> {
    const headers = cors(request)
    const refuse = (error: TokenErrorCode, description: string) => tokenError(error, description, { extra: headers })
    if (request.method !== 'POST') {
      return tokenError('invalid_request', 'The token endpoint accepts POST only.', { status: 405, extra: [['Allow', 'POST'], ...headers] })
    }
    const params = formParams(request)
    if (!params) return refuse('invalid_request', 'The body must be application/x-www-form-urlencoded.')
    const repeated = repeatedParams(params)
    if (repeated.length > 0) return refuse('invalid_request', `Parameter repeated: ${repeated.join(', ')}.`)
    const auth = authenticateClient(as(), request, params, headers)
    if (!auth.ok) return auth.response
    const client = auth.client
    const grantType = single(params, 'grant_type')
    if (!grantType) return refuse('invalid_request', 'The grant_type parameter is missing.')
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return refuse('unsupported_grant_type', `The grant type "${grantType}" is not supported.`)
    }
    if (!client.grant_types.includes(grantType)) {
      return refuse('unauthorized_client', `The client ${client.client_id} may not use the ${grantType} grant.`)
    }
    const ok = (body: Record<string, unknown>) => jsonResponse(200, body, [...NO_STORE, ...headers])
    const now = world.nowSeconds()

    if (grantType === 'authorization_code') {
      const code = single(params, 'code')
      if (!code) return refuse('invalid_request', 'The code parameter is missing.')
      const record = as().codes[code]
      if (!record) return refuse('invalid_grant', 'The authorization code is unknown.')
      // WARNING: with singleUseCodes off, a used code is redeemed again as long as it has not
      // expired, and nothing is revoked: a leaked code works twice (RFC 9700 §4.2.4, §4.3.1).
      if (record.used && as().settings.singleUseCodes !== false) {
        // RFC 6749 §4.1.2: a code used twice means it leaked; revoke what it gave.
        revokeGrant(record.grantId, 'authorization code replayed')
        return refuse('invalid_grant', 'The authorization code was already used; the tokens issued from it are now revoked.')
      }
      if (record.client_id !== client.client_id) {
        return refuse('invalid_grant', 'The authorization code was issued to another client.')
      }
      if (record.expiresAt <= now) return refuse('invalid_grant', 'The authorization code has expired.')
      const redirectUri = single(params, 'redirect_uri')
      if (record.redirect_uri_given) {
        if (redirectUri === undefined) {
          return refuse('invalid_request', 'The redirect_uri parameter is required: it was in the authorization request.')
        }
        if (redirectUri !== record.redirect_uri) {
          return refuse('invalid_grant', 'The redirect_uri does not match the one in the authorization request.')
        }
      } else if (redirectUri !== undefined && redirectUri !== record.redirect_uri) {
        return refuse('invalid_grant', 'The redirect_uri does not match the registered one.')
      }
      const verifier = single(params, 'code_verifier')
      if (record.code_challenge !== null) {
        if (verifier === undefined) return refuse('invalid_grant', 'The code_verifier is missing: the authorization request had a code_challenge.')
        if (!isCodeVerifier(verifier)) return refuse('invalid_request', 'The code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~].')
        if ((await s256Challenge(verifier)) !== record.code_challenge) {
          return refuse('invalid_grant', 'PKCE verification failed: SHA-256 of the code_verifier does not match the code_challenge.')
        }
      } else if (verifier !== undefined) {
        // RFC 9700 §4.8.2: a verifier without a challenge is a PKCE downgrade attempt.
        return refuse('invalid_grant', 'A code_verifier was sent but the authorization request had no code_challenge.')
      }
      record.used = true
      record.usedAt = record.usedAt ?? now
      const grant = as().grants[record.grantId]
      if (!grant || grant.revoked) return refuse('invalid_grant', 'The grant behind this code was revoked.')
      return ok(await issueTokens(grant, record.scope, { nonce: record.nonce, refresh: true }))
    }

    // refresh_token grant, RFC 6749 §6
    const presented = single(params, 'refresh_token')
    if (!presented) return refuse('invalid_request', 'The refresh_token parameter is missing.')
    const rt = as().refreshTokens[presented]
    if (!rt) return refuse('invalid_grant', 'The refresh token is unknown.')
    if (rt.client_id !== client.client_id) return refuse('invalid_grant', 'The refresh token was issued to another client.')
    // WARNING: with rotateRefreshTokens off, the presented token is never marked rotated, so this
    // reuse check never fires: a stolen refresh token keeps working (RFC 9700 §4.14.2).
    if (rt.rotatedAt !== null && !rt.revoked) {
      // RFC 9700 §4.14.2: an already-rotated token came back — someone has a copy. Revoke the family.
      revokeGrant(rt.grantId, 'refresh token reused')
      return refuse('invalid_grant', 'The refresh token was already used; the whole token family is now revoked.')
    }
    if (rt.revoked) return refuse('invalid_grant', 'The refresh token has been revoked.')
    if (rt.expiresAt <= now) return refuse('invalid_grant', 'The refresh token has expired.')
    const grant = as().grants[rt.grantId]
    if (!grant || grant.revoked) return refuse('invalid_grant', 'The grant behind this refresh token was revoked.')
    const scopeParam = single(params, 'scope')
    let scope = rt.scope
    if (scopeParam !== undefined) {
      const asked = splitScope(scopeParam)
      const wider = asked.find((s) => !splitScope(rt.scope).includes(s))
      if (wider !== undefined) return refuse('invalid_scope', `The scope "${wider}" was not granted; a refresh may narrow the scope, never widen it.`)
      if (asked.length > 0) scope = [...new Set(asked)].join(' ')
    }
    if (as().settings.rotateRefreshTokens === false) {
      // RFC 6749 §6: no new refresh token in the response; the client keeps the one it has, which
      // stays valid.
      return ok(await issueTokens(grant, scope, { nonce: null, refresh: false }))
    }
    rt.rotatedAt = now
    return ok(await issueTokens(grant, scope, { nonce: null, refresh: true }))
  }

  /** Finds an access token this server issued, by its exact string. */
  function findAccessToken(tokenValue: string): AccessTokenRecord | null {
    try {
      const { jti } = decodeJwt(tokenValue)
      if (typeof jti !== 'string') return null
      const at = as().accessTokens[jti]
      return at && at.token === tokenValue ? at : null
    } catch {
      return null
    }
  }

  /** @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1 */
  function revoke(request: HttpRequest): HttpResponse {
    const headers = cors(request)
    const refuse = (error: TokenErrorCode, description: string) => tokenError(error, description, { extra: headers })
    if (request.method !== 'POST') return tokenError('invalid_request', 'The revocation endpoint accepts POST only.', { status: 405, extra: [['Allow', 'POST'], ...headers] })
    const params = formParams(request)
    if (!params) return refuse('invalid_request', 'The body must be application/x-www-form-urlencoded.')
    const repeated = repeatedParams(params)
    if (repeated.length > 0) return refuse('invalid_request', `Parameter repeated: ${repeated.join(', ')}.`)
    const auth = authenticateClient(as(), request, params, headers)
    if (!auth.ok) return auth.response
    const value = single(params, 'token')
    if (!value) return refuse('invalid_request', 'The token parameter is missing.')
    // RFC 7009 §2.2: token_type_hint only speeds up the lookup; an unknown value is ignored, and
    // both token types are searched whatever it says.
    const done = response(200, [...NO_STORE, ...headers])
    const rt = as().refreshTokens[value]
    if (rt) {
      if (rt.client_id !== auth.client.client_id) {
        return refuse('unauthorized_client', 'This token was not issued to the client asking to revoke it.')
      }
      // RFC 7009 §2.1: revoking a refresh token also invalidates the access tokens of its grant.
      revokeGrant(rt.grantId, 'refresh token revoked')
      return done
    }
    const at = findAccessToken(value)
    if (at) {
      if (at.client_id !== auth.client.client_id) {
        return refuse('unauthorized_client', 'This token was not issued to the client asking to revoke it.')
      }
      at.revoked = true
      return done
    }
    // RFC 7009 §2.2: an invalid or unknown token is not an error.
    return done
  }

  /** @see https://www.rfc-editor.org/rfc/rfc7662#section-2 */
  function introspect(request: HttpRequest): HttpResponse {
    if (request.method !== 'POST') return tokenError('invalid_request', 'The introspection endpoint accepts POST only.', { status: 405, extra: [['Allow', 'POST']] })
    const params = formParams(request)
    if (!params) return tokenError('invalid_request', 'The body must be application/x-www-form-urlencoded.')
    const repeated = repeatedParams(params)
    if (repeated.length > 0) return tokenError('invalid_request', `Parameter repeated: ${repeated.join(', ')}.`)
    // The caller is either a registered resource server or a confidential client.
    let caller: { kind: 'resource' } | { kind: 'client'; client_id: string }
    const basic = basicCredentials(getHeader(request.headers, 'authorization'))
    const resource = basic?.ok ? as().resources[basic.id] : undefined
    const resourceAuth = basic?.ok && resource && resource.secret === basic.secret ? resource : null
    if (resourceAuth) caller = { kind: 'resource' }
    else {
      const auth = authenticateClient(as(), request, params)
      if (!auth.ok) return auth.response
      if (auth.method === 'none') {
        return tokenError('invalid_client', 'Public clients cannot authenticate, so they may not introspect tokens.')
      }
      caller = { kind: 'client', client_id: auth.client.client_id }
    }
    const value = single(params, 'token')
    if (!value) return tokenError('invalid_request', 'The token parameter is missing.')
    const now = world.nowSeconds()
    const inactive = jsonResponse(200, { active: false }, NO_STORE)
    const maySee = (clientId: string) => caller.kind === 'resource' || caller.client_id === clientId
    const userOf = (sub: string) => userBySub(sub)?.username
    const at = findAccessToken(value)
    if (at) {
      if (at.revoked || at.expiresAt <= now || !maySee(at.client_id)) return inactive
      return jsonResponse(
        200,
        {
          active: true,
          scope: at.scope,
          client_id: at.client_id,
          username: userOf(at.sub),
          token_type: 'Bearer',
          exp: at.expiresAt,
          iat: at.issuedAt,
          sub: at.sub,
          aud: ORIGINS.resourceServer,
          iss: issuer(),
          jti: at.jti,
        },
        NO_STORE,
      )
    }
    const rt = as().refreshTokens[value]
    if (rt) {
      if (rt.revoked || rt.rotatedAt !== null || rt.expiresAt <= now || !maySee(rt.client_id)) return inactive
      return jsonResponse(
        200,
        {
          active: true,
          scope: rt.scope,
          client_id: rt.client_id,
          username: userOf(rt.sub),
          exp: rt.expiresAt,
          iat: rt.issuedAt,
          sub: rt.sub,
          iss: issuer(),
        },
        NO_STORE,
      )
    }
    return inactive
  }

  /**
   * The UserInfo endpoint: a bearer token this server issued, still valid, carrying `openid`.
   * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
   */
  function userinfo(request: HttpRequest): HttpResponse {
    const headers = cors(request)
    const realm = 'auth.example'
    if (request.method !== 'GET' && request.method !== 'POST') {
      return jsonResponse(405, { error: 'invalid_request', error_description: 'UserInfo accepts GET and POST.' }, [['Allow', 'GET, POST'], ...headers])
    }
    const extracted = extractBearer(request)
    if ('error' in extracted) {
      return bearerError(realm, extracted.error, extracted.description, undefined, headers)
    }
    const at = findAccessToken(extracted.token)
    const now = world.nowSeconds()
    if (!at) return bearerError(realm, 'invalid_token', 'The access token is unknown to this server.', undefined, headers)
    if (at.revoked) return bearerError(realm, 'invalid_token', 'The access token has been revoked.', undefined, headers)
    if (at.expiresAt <= now) return bearerError(realm, 'invalid_token', 'The access token has expired.', undefined, headers)
    const scopes = splitScope(at.scope)
    if (!scopes.includes('openid')) {
      return bearerError(realm, 'insufficient_scope', 'UserInfo needs a token with the openid scope.', 'openid', headers)
    }
    const user = userBySub(at.sub)
    if (!user) return bearerError(realm, 'invalid_token', 'The user of this token no longer exists.', undefined, headers)
    const claims: Record<string, unknown> = { sub: user.sub }
    if (scopes.includes('profile')) {
      claims.name = user.name
      claims.given_name = user.given_name
      claims.family_name = user.family_name
      claims.preferred_username = user.username
    }
    return jsonResponse(200, claims, [...NO_STORE, ...headers])
  }

  function jwks(request: HttpRequest): HttpResponse {
    return jsonResponse(200, { keys: world.state.keys.map((k) => k.publicJwk) }, [
      ['Cache-Control', 'public, max-age=300'],
      ...cors(request),
    ])
  }

  function metadata(request: HttpRequest): HttpResponse {
    return jsonResponse(200, authorizationServerMetadata(issuer()), [
      ['Cache-Control', 'public, max-age=300'],
      ...cors(request),
    ])
  }

  function home(): HttpResponse {
    return errorPage(404, 'Not found', 'auth.example has nothing at this address.', 'not_found')
  }

  return async (request) => {
    const path = pathOf(request.url)
    if (path === null) return errorPage(400, 'Bad request', 'The request URL is not valid.')
    if (request.method === 'OPTIONS') return preflight(request)
    const getOnly = (fn: (r: HttpRequest) => HttpResponse) =>
      request.method === 'GET' || request.method === 'HEAD'
        ? fn(request)
        : jsonResponse(405, { error: 'invalid_request', error_description: `${path} accepts GET only.` }, [['Allow', 'GET']])
    switch (path) {
      case '/.well-known/oauth-authorization-server':
      case '/.well-known/openid-configuration':
        return getOnly(metadata)
      case '/jwks':
        return getOnly(jwks)
      case '/authorize':
        return authorize(request)
      case '/login':
        return login(request)
      case '/consent':
        return consent(request)
      case '/token':
        return token(request)
      case '/revoke':
        return revoke(request)
      case '/introspect':
        return introspect(request)
      case '/userinfo':
        return userinfo(request)
      default:
        return home()
    }
  }
}
