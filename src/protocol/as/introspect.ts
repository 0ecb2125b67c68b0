/** The introspection endpoint. @see https://www.rfc-editor.org/rfc/rfc7662 */
import { basicCredentials } from '../basicAuth.ts'
import { getHeader, jsonResponse, single } from '../http.ts'
import { NO_STORE, tokenError } from '../oauthErrors.ts'
import { ORIGINS } from '../state.ts'
import type { HttpRequest, HttpResponse } from '../types.ts'
import { authenticateClient, postedForm } from './shared.ts'
import type { AsContext } from './context.ts'
import { own } from '../records.ts'

/** @see https://www.rfc-editor.org/rfc/rfc7662#section-2 */
export function introspect(ctx: AsContext, request: HttpRequest): HttpResponse {
  const { as, issuer, userBySub, findAccessToken, world } = ctx
  const params = postedForm(request, 'introspection')
  if (!(params instanceof Map)) return params
  // The caller is either a registered resource server or a confidential client.
  let caller: { kind: 'resource' } | { kind: 'client'; client_id: string }
  const basic = basicCredentials(getHeader(request.headers, 'authorization'))
  const resource = basic?.ok ? own(as().resources, basic.id) : undefined
  const resourceAuth = basic?.ok && resource && resource.secret === basic.secret ? resource : null
  if (resourceAuth) caller = { kind: 'resource' }
  else {
    const auth = authenticateClient(as(), request, params)
    if (!auth.ok) return auth.response
    if (auth.method === 'none') {
      return tokenError(
        'invalid_client',
        'Public clients cannot authenticate, so they may not introspect tokens.',
      )
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
  const rt = own(as().refreshTokens, value)
  if (rt) {
    if (rt.revoked || rt.rotatedAt !== null || rt.expiresAt <= now || !maySee(rt.client_id))
      return inactive
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
