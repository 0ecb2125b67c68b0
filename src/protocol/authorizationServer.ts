/**
 * The authorization server at `https://auth.example`: metadata, JWKS, the authorization endpoint
 * with its login and consent pages, and the token, revocation, introspection and userinfo
 * endpoints. A Fetch-style handler over plain messages; it never throws to its caller.
 */
import { authorize } from './as/authorize.ts'
import { createContext } from './as/context.ts'
import { home, jwks, metadata } from './as/discovery.ts'
import { introspect } from './as/introspect.ts'
import { revoke } from './as/revoke.ts'
import { errorPage } from './asPages.ts'
import { preflight } from './as/shared.ts'
import { consent, login } from './as/signIn.ts'
import { token } from './as/token.ts'
import { userinfo } from './as/userinfo.ts'
import { jsonResponse, pathOf } from './http.ts'
import type { HttpRequest, HttpResponse } from './types.ts'
import type { Handler, World } from './world.ts'

export {
  AS_SESSION_COOKIE,
  authenticateClient,
  authorizationServerMetadata,
  startSession,
} from './as/shared.ts'

/** Creates the authorization server's handler on the world's network. */
export function createAuthorizationServer(world: World): Handler {
  const ctx = createContext(world)

  return async (request) => {
    const path = pathOf(request.url)
    if (path === null) return errorPage(400, 'Bad request', 'The request URL is not valid.')
    if (request.method === 'OPTIONS') return preflight(request)
    const getOnly = (fn: (r: HttpRequest) => HttpResponse) =>
      request.method === 'GET' || request.method === 'HEAD'
        ? fn(request)
        : jsonResponse(
            405,
            { error: 'invalid_request', error_description: `${path} accepts GET only.` },
            [['Allow', 'GET']],
          )
    switch (path) {
      case '/.well-known/oauth-authorization-server':
      case '/.well-known/openid-configuration':
        return getOnly((r) => metadata(ctx, r))
      case '/jwks':
        return getOnly((r) => jwks(ctx, r))
      case '/authorize':
        return authorize(ctx, request)
      case '/login':
        return login(ctx, request)
      case '/consent':
        return consent(ctx, request)
      case '/token':
        return token(ctx, request)
      case '/revoke':
        return revoke(ctx, request)
      case '/introspect':
        return introspect(ctx, request)
      case '/userinfo':
        return userinfo(ctx, request)
      default:
        return home()
    }
  }
}
