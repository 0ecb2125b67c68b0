/** The revocation endpoint. @see https://www.rfc-editor.org/rfc/rfc7009 */
import { response, single } from '../http.ts'
import { NO_STORE } from '../oauthErrors.ts'
import type { HttpRequest, HttpResponse } from '../types.ts'
import { clientRequest } from './shared.ts'
import type { AsContext } from './context.ts'
import { own } from '../records.ts'

/** @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1 */
export function revoke(ctx: AsContext, request: HttpRequest): HttpResponse {
  const { as, revokeGrant, findAccessToken } = ctx
  const opened = clientRequest(as(), request, 'revocation')
  if (!opened.ok) return opened.response
  const { headers, refuse, params, client } = opened
  const value = single(params, 'token')
  if (!value) return refuse('invalid_request', 'The token parameter is missing.')
  // RFC 7009 §2.2: token_type_hint only speeds up the lookup; an unknown value is ignored, and
  // both token types are searched whatever it says.
  const done = response(200, [...NO_STORE, ...headers])
  const rt = own(as().refreshTokens, value)
  if (rt) {
    if (rt.client_id !== client.client_id) {
      return refuse(
        'unauthorized_client',
        'This token was not issued to the client asking to revoke it.',
      )
    }
    // RFC 7009 §2.1: revoking a refresh token also invalidates the access tokens of its grant.
    revokeGrant(rt.grantId, 'refresh token revoked')
    return done
  }
  const at = findAccessToken(value)
  if (at) {
    if (at.client_id !== client.client_id) {
      return refuse(
        'unauthorized_client',
        'This token was not issued to the client asking to revoke it.',
      )
    }
    at.revoked = true
    return done
  }
  // RFC 7009 §2.2: an invalid or unknown token is not an error.
  return done
}
