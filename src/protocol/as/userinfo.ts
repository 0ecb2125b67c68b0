/** The UserInfo endpoint. @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo */
import { jsonResponse } from '../http.ts'
import { extractBearer } from '../bearer.ts'
import { bearerError, NO_STORE } from '../oauthErrors.ts'
import type { HttpRequest, HttpResponse } from '../types.ts'
import { cors, splitScope } from './shared.ts'
import type { AsContext } from './context.ts'

/**
 * The UserInfo endpoint: a bearer token this server issued, still valid, carrying `openid`.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 */
export function userinfo(ctx: AsContext, request: HttpRequest): HttpResponse {
  const { userBySub, findAccessToken, world } = ctx
  const headers = cors(request)
  const realm = 'auth.example'
  if (request.method !== 'GET' && request.method !== 'POST') {
    return jsonResponse(
      405,
      { error: 'invalid_request', error_description: 'UserInfo accepts GET and POST.' },
      [['Allow', 'GET, POST'], ...headers],
    )
  }
  const extracted = extractBearer(request)
  if ('error' in extracted) {
    return bearerError(realm, extracted.error, extracted.description, undefined, headers)
  }
  const at = findAccessToken(extracted.token)
  const now = world.nowSeconds()
  if (!at)
    return bearerError(
      realm,
      'invalid_token',
      'The access token is unknown to this server.',
      undefined,
      headers,
    )
  if (at.revoked)
    return bearerError(
      realm,
      'invalid_token',
      'The access token has been revoked.',
      undefined,
      headers,
    )
  if (at.expiresAt <= now)
    return bearerError(realm, 'invalid_token', 'The access token has expired.', undefined, headers)
  const scopes = splitScope(at.scope)
  if (!scopes.includes('openid')) {
    return bearerError(
      realm,
      'insufficient_scope',
      'UserInfo needs a token with the openid scope.',
      'openid',
      headers,
    )
  }
  const user = userBySub(at.sub)
  if (!user)
    return bearerError(
      realm,
      'invalid_token',
      'The user of this token no longer exists.',
      undefined,
      headers,
    )
  const claims: Record<string, unknown> = { sub: user.sub }
  if (scopes.includes('profile')) {
    claims.name = user.name
    claims.given_name = user.given_name
    claims.family_name = user.family_name
    claims.preferred_username = user.username
  }
  return jsonResponse(200, claims, [...NO_STORE, ...headers])
}
