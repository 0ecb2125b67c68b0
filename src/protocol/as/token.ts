/** The token endpoint. @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2 */
import { isCodeVerifier, s256Challenge } from '../crypto.ts'
import { jsonResponse, single } from '../http.ts'
import { NO_STORE } from '../oauthErrors.ts'
import type { HttpRequest, HttpResponse } from '../types.ts'
import { clientRequest, splitScope } from './shared.ts'
import type { AsContext } from './context.ts'
import { own } from '../records.ts'

/** @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2 */
export async function token(ctx: AsContext, request: HttpRequest): Promise<HttpResponse> {
  const { as, issueTokens, revokeGrant, world } = ctx
  const opened = clientRequest(as(), request, 'token')
  if (!opened.ok) return opened.response
  const { headers, refuse, params, client } = opened
  const grantType = single(params, 'grant_type')
  if (!grantType) return refuse('invalid_request', 'The grant_type parameter is missing.')
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    return refuse('unsupported_grant_type', `The grant type "${grantType}" is not supported.`)
  }
  if (!client.grant_types.includes(grantType)) {
    return refuse(
      'unauthorized_client',
      `The client ${client.client_id} may not use the ${grantType} grant.`,
    )
  }
  const ok = (body: Record<string, unknown>) => jsonResponse(200, body, [...NO_STORE, ...headers])
  const now = world.nowSeconds()

  if (grantType === 'authorization_code') {
    const code = single(params, 'code')
    if (!code) return refuse('invalid_request', 'The code parameter is missing.')
    const record = own(as().codes, code)
    if (!record) return refuse('invalid_grant', 'The authorization code is unknown.')
    // WARNING: with singleUseCodes off, a used code is redeemed again as long as it has not
    // expired, and nothing is revoked: a leaked code works twice (RFC 9700 §4.2.4, §4.3.1).
    if (record.used && as().settings.singleUseCodes !== false) {
      // RFC 6749 §4.1.2: a code used twice means it leaked; revoke what it gave.
      revokeGrant(record.grantId, 'authorization code replayed')
      return refuse(
        'invalid_grant',
        'The authorization code was already used; the tokens issued from it are now revoked.',
      )
    }
    if (record.client_id !== client.client_id) {
      return refuse('invalid_grant', 'The authorization code was issued to another client.')
    }
    if (record.expiresAt <= now)
      return refuse('invalid_grant', 'The authorization code has expired.')
    const redirectUri = single(params, 'redirect_uri')
    if (record.redirect_uri_given) {
      if (redirectUri === undefined) {
        return refuse(
          'invalid_request',
          'The redirect_uri parameter is required: it was in the authorization request.',
        )
      }
      if (redirectUri !== record.redirect_uri) {
        return refuse(
          'invalid_grant',
          'The redirect_uri does not match the one in the authorization request.',
        )
      }
    } else if (redirectUri !== undefined && redirectUri !== record.redirect_uri) {
      return refuse('invalid_grant', 'The redirect_uri does not match the registered one.')
    }
    const verifier = single(params, 'code_verifier')
    if (record.code_challenge !== null) {
      if (verifier === undefined)
        return refuse(
          'invalid_grant',
          'The code_verifier is missing: the authorization request had a code_challenge.',
        )
      if (!isCodeVerifier(verifier))
        return refuse(
          'invalid_request',
          'The code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~].',
        )
      if ((await s256Challenge(verifier)) !== record.code_challenge) {
        return refuse(
          'invalid_grant',
          'PKCE verification failed: SHA-256 of the code_verifier does not match the code_challenge.',
        )
      }
    } else if (verifier !== undefined) {
      // RFC 9700 §4.8.2: a verifier without a challenge is a PKCE downgrade attempt.
      return refuse(
        'invalid_grant',
        'A code_verifier was sent but the authorization request had no code_challenge.',
      )
    }
    record.used = true
    record.usedAt = record.usedAt ?? now
    const grant = own(as().grants, record.grantId)
    if (!grant || grant.revoked)
      return refuse('invalid_grant', 'The grant behind this code was revoked.')
    return ok(await issueTokens(grant, record.scope, { nonce: record.nonce, refresh: true }))
  }

  // refresh_token grant, RFC 6749 §6
  const presented = single(params, 'refresh_token')
  if (!presented) return refuse('invalid_request', 'The refresh_token parameter is missing.')
  const rt = own(as().refreshTokens, presented)
  if (!rt) return refuse('invalid_grant', 'The refresh token is unknown.')
  if (rt.client_id !== client.client_id)
    return refuse('invalid_grant', 'The refresh token was issued to another client.')
  // WARNING: with rotateRefreshTokens off, the presented token is never marked rotated, so this
  // reuse check never fires: a stolen refresh token keeps working (RFC 9700 §4.14.2).
  if (rt.rotatedAt !== null && !rt.revoked) {
    // RFC 9700 §4.14.2: an already-rotated token came back — someone has a copy. Revoke the family.
    revokeGrant(rt.grantId, 'refresh token reused')
    return refuse(
      'invalid_grant',
      'The refresh token was already used; the whole token family is now revoked.',
    )
  }
  if (rt.revoked) return refuse('invalid_grant', 'The refresh token has been revoked.')
  if (rt.expiresAt <= now) return refuse('invalid_grant', 'The refresh token has expired.')
  const grant = own(as().grants, rt.grantId)
  if (!grant || grant.revoked)
    return refuse('invalid_grant', 'The grant behind this refresh token was revoked.')
  const scopeParam = single(params, 'scope')
  let scope = rt.scope
  if (scopeParam !== undefined) {
    const asked = splitScope(scopeParam)
    const wider = asked.find((s) => !splitScope(rt.scope).includes(s))
    if (wider !== undefined)
      return refuse(
        'invalid_scope',
        `The scope "${wider}" was not granted; a refresh may narrow the scope, never widen it.`,
      )
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
