/** The public documents: metadata (RFC 8414, OIDC Discovery), the JWKS, and nothing else. */
import { errorPage } from '../asPages.ts'
import { jsonResponse } from '../http.ts'
import type { HttpRequest, HttpResponse } from '../types.ts'
import { cors, authorizationServerMetadata } from './shared.ts'
import type { AsContext } from './context.ts'

export function jwks(ctx: AsContext, request: HttpRequest): HttpResponse {
  const { world } = ctx
  return jsonResponse(200, { keys: world.state.keys.map((k) => k.publicJwk) }, [
    ['Cache-Control', 'public, max-age=300'],
    ...cors(request),
  ])
}

export function metadata(ctx: AsContext, request: HttpRequest): HttpResponse {
  const { issuer } = ctx
  return jsonResponse(200, authorizationServerMetadata(issuer()), [
    ['Cache-Control', 'public, max-age=300'],
    ...cors(request),
  ])
}

export function home(): HttpResponse {
  return errorPage(404, 'Not found', 'auth.example has nothing at this address.', 'not_found')
}
