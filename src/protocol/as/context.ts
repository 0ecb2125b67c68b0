import { decodeJwt } from 'jose'
import { errorPage } from '../asPages.ts'
import { atHash, signJwt } from '../crypto.ts'
import { getHeader, parseCookieHeader, redirectResponse, single, withQuery } from '../http.ts'
import { errorDescription, type AuthorizationErrorCode } from '../oauthErrors.ts'
import {
  ACCESS_TOKEN_LIFETIME,
  CODE_LIFETIME,
  ID_TOKEN_LIFETIME,
  ORIGINS,
  REFRESH_TOKEN_LIFETIME,
  type AccessTokenRecord,
  type ClientRegistration,
  type GrantRecord,
  type PendingRequest,
  type RefreshTokenRecord,
} from '../state.ts'
import type { HttpRequest, HttpResponse } from '../types.ts'
import type { World } from '../world.ts'
import { splitScope, AS_SESSION_COOKIE } from './shared.ts'
import { drop, own, put } from '../records.ts'

/**
 * The authorization server's state and the helpers its endpoints share, bound to one world:
 * what each endpoint module takes as `ctx`.
 */
export function createContext(world: World) {
  const as = () => world.state.as

  const issuer = () => world.state.as.issuer

  const userBySub = (sub: string) => Object.values(as().users).find((u) => u.sub === sub)

  function sessionOf(request: HttpRequest) {
    const sid = parseCookieHeader(getHeader(request.headers, 'cookie'))[AS_SESSION_COOKIE]
    if (!sid) return null
    const session = own(as().sessions, sid)
    if (!session || session.expiresAt <= world.nowSeconds()) return null
    return session
  }

  /** Whether this client must send a `code_challenge`. @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1 */
  function pkceRequired(client: ClientRegistration): boolean {
    // WARNING: with requirePkceForPublicClients off, a public client's require_pkce is not
    // enforced: its codes can be redeemed by whoever intercepts them (RFC 9700 §4.5). Only an
    // explicit false switches it off, so a state without the setting stays secure.
    if (client.client_type === 'public' && as().settings.requirePkceForPublicClients === false)
      return false
    return client.require_pkce
  }

  function authorizationRedirect(
    redirectUri: string,
    fields: Record<string, string | null | undefined>,
    status = 302,
  ) {
    const pairs: [string, string][] = []
    for (const [k, v] of Object.entries(fields))
      if (v !== null && v !== undefined) pairs.push([k, v])
    pairs.push(['iss', issuer()])
    return redirectResponse(withQuery(redirectUri, pairs, 'append', world.urls), status, [
      ['Cache-Control', 'no-store'],
    ])
  }

  function authorizationError(
    redirectUri: string,
    error: AuthorizationErrorCode,
    description: string,
    state: string | null | undefined,
    status = 302,
  ) {
    return authorizationRedirect(
      redirectUri,
      { error, error_description: errorDescription(description), state },
      status,
    )
  }

  function issueCode(pending: PendingRequest, sub: string, authTime: number): string {
    const code = world.randomToken(32)
    const grantId = `grant-${world.randomToken(9)}`
    const now = world.nowSeconds()
    put(as().grants, grantId, {
      id: grantId,
      client_id: pending.client_id,
      sub,
      scope: pending.scope,
      authTime,
      revoked: false,
      revokedReason: null,
      accessTokens: [],
      refreshTokens: [],
    })
    put(as().codes, code, {
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
    })
    put(as().consents, `${sub} ${pending.client_id}`, pending.scope)
    return code
  }

  function pendingFrom(params: Map<string, string[]>): PendingRequest | HttpResponse {
    const id = single(params, 'request_id')
    const pending = id === undefined ? undefined : own(as().pending, id)
    if (!pending)
      return errorPage(
        400,
        'Sign-in request not found',
        'This sign-in request is unknown or was already answered. Start again from the application.',
      )
    if (pending.expiresAt <= world.nowSeconds()) {
      drop(as().pending, pending.id)
      return errorPage(
        400,
        'Sign-in request expired',
        'This sign-in request has expired. Start again from the application.',
      )
    }
    return pending
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
      {
        iss: issuer(),
        sub: grant.sub,
        aud: ORIGINS.resourceServer,
        iat: now,
        exp: now + ACCESS_TOKEN_LIFETIME,
        jti,
      },
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
    put(as().accessTokens, jti, at)
    grant.accessTokens.push(jti)
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_LIFETIME,
      scope,
    }
    const client = own(as().clients, grant.client_id)
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
      put(as().refreshTokens, token, rt)
      grant.refreshTokens.push(token)
      body.refresh_token = token
    }
    if (splitScope(scope).includes('openid')) {
      const claims: Record<string, unknown> = {
        auth_time: grant.authTime,
        at_hash: await atHash(accessToken),
      }
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
        {
          iss: issuer(),
          sub: grant.sub,
          aud: grant.client_id,
          iat: now,
          exp: now + ID_TOKEN_LIFETIME,
        },
        { alg: 'RS256', typ: 'JWT', kid },
        key,
      )
    }
    return body
  }

  /** Revokes a grant and every token issued from it. @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2 */
  function revokeGrant(grantId: string, reason: string) {
    const grant = own(as().grants, grantId)
    if (grant) {
      grant.revoked = true
      grant.revokedReason = grant.revokedReason ?? reason
    }
    for (const jti of grant?.accessTokens ?? []) {
      const at = own(as().accessTokens, jti)
      if (at) at.revoked = true
    }
    for (const token of grant?.refreshTokens ?? []) {
      const rt = own(as().refreshTokens, token)
      if (rt) rt.revoked = true
    }
  }

  /** Finds an access token this server issued, by its exact string. */
  function findAccessToken(tokenValue: string): AccessTokenRecord | null {
    try {
      const { jti } = decodeJwt(tokenValue)
      if (typeof jti !== 'string') return null
      const at = own(as().accessTokens, jti)
      return at && at.token === tokenValue ? at : null
    } catch {
      return null
    }
  }

  return {
    world,
    as,
    issuer,
    userBySub,
    sessionOf,
    pkceRequired,
    authorizationRedirect,
    authorizationError,
    issueCode,
    pendingFrom,
    signingKey,
    issueTokens,
    revokeGrant,
    findAccessToken,
  }
}

/** What every endpoint of the authorization server is given. */
export type AsContext = ReturnType<typeof createContext>
