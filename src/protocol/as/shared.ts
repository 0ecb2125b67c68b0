/**
 * What the authorization server's endpoints share: its session cookie, its metadata, CORS, form
 * parsing and client authentication.
 */
import { basicCredentials } from '../basicAuth.ts'
import { formParamsOf, getHeader, mediaType, repeatedParams, response, single } from '../http.ts'
import { tokenError, type TokenErrorCode } from '../oauthErrors.ts'
import {
  SCOPES,
  SESSION_LIFETIME,
  type AuthorizationServerState,
  type ClientAuthMethod,
  type ClientRegistration,
  type SessionRecord,
} from '../state.ts'
import type { HeaderList, HttpRequest, HttpResponse } from '../types.ts'
import { own, put } from '../records.ts'

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
  const session: SessionRecord = {
    sid,
    sub,
    authTime: nowSeconds,
    expiresAt: nowSeconds + SESSION_LIFETIME,
  }
  put(as.sessions, sid, session)
  return {
    session,
    setCookie: `${AS_SESSION_COOKIE}=${sid}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=${SESSION_LIFETIME}`,
  }
}

export const PROMPTS = new Set(['none', 'login', 'consent', 'select_account'])
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/

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
    revocation_endpoint_auth_methods_supported: [
      'client_secret_basic',
      'client_secret_post',
      'none',
    ],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    authorization_response_iss_parameter_supported: true,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    claims_supported: [
      'iss',
      'sub',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'at_hash',
      'name',
      'given_name',
      'family_name',
      'preferred_username',
    ],
    service_documentation: 'https://www.rfc-editor.org/rfc/rfc6749',
  }
}

/** CORS headers for endpoints that page code may call (public clients, discovery). */
export function cors(request: HttpRequest): HeaderList {
  const origin = getHeader(request.headers, 'origin')
  if (origin === null) return []
  return [
    ['Access-Control-Allow-Origin', origin],
    ['Vary', 'Origin'],
  ]
}

export function preflight(request: HttpRequest): HttpResponse {
  return response(204, [
    ...cors(request),
    ['Access-Control-Allow-Methods', 'GET, POST'],
    ['Access-Control-Allow-Headers', 'Authorization, Content-Type, DPoP'],
    ['Access-Control-Max-Age', '600'],
  ])
}

export function splitScope(scope: string): string[] {
  return scope.split(' ').filter(Boolean)
}

export function formParams(request: HttpRequest): Map<string, string[]> | null {
  if (mediaType(request.headers) !== 'application/x-www-form-urlencoded') return null
  return formParamsOf(request.body)
}

/**
 * The checks the token, revocation and introspection endpoints start with: POST only (405 with
 * `Allow`), a form body, no parameter repeated. The parameters, or the error answer (with the
 * endpoint's extra headers).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 */
export function postedForm(
  request: HttpRequest,
  endpoint: string,
  extra: HeaderList = [],
): Map<string, string[]> | HttpResponse {
  if (request.method !== 'POST')
    return tokenError('invalid_request', `The ${endpoint} endpoint accepts POST only.`, {
      status: 405,
      extra: [['Allow', 'POST'], ...extra],
    })
  const params = formParams(request)
  if (!params)
    return tokenError('invalid_request', 'The body must be application/x-www-form-urlencoded.', {
      extra,
    })
  const repeated = repeatedParams(params)
  if (repeated.length > 0)
    return tokenError('invalid_request', `Parameter repeated: ${repeated.join(', ')}.`, { extra })
  return params
}

export type ClientAuth =
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
  const fail = (
    code: 'invalid_client' | 'invalid_request',
    description: string,
    basic: boolean,
  ): ClientAuth => ({
    ok: false,
    response: tokenError(code, description, { basicChallenge: basic, extra }),
  })
  const authz = getHeader(request.headers, 'authorization')
  const bodyId = single(params, 'client_id')
  const bodySecret = single(params, 'client_secret')
  const basic = basicCredentials(authz)
  if (basic) {
    if (bodySecret !== undefined) {
      return fail(
        'invalid_request',
        'The client used more than one authentication method (HTTP Basic and client_secret in the body).',
        false,
      )
    }
    if (!basic.ok)
      return fail(
        'invalid_client',
        'The Authorization header is not valid HTTP Basic credentials.',
        true,
      )
    const { id, secret } = basic
    const client = own(as.clients, id)
    if (!client || client.client_secret === undefined || client.client_secret !== secret) {
      return fail(
        'invalid_client',
        'Client authentication failed: unknown client or wrong secret.',
        true,
      )
    }
    if (bodyId !== undefined && bodyId !== id) {
      return fail(
        'invalid_client',
        'The client_id in the body does not match the authenticated client.',
        true,
      )
    }
    return { ok: true, client, method: 'client_secret_basic' }
  }
  if (authz !== null) {
    return fail(
      'invalid_client',
      'Unsupported Authorization scheme; use HTTP Basic or client_secret_post.',
      false,
    )
  }
  if (bodyId === undefined)
    return fail('invalid_client', 'Client authentication failed: no client_id.', false)
  const client = own(as.clients, bodyId)
  if (!client) return fail('invalid_client', 'Client authentication failed: unknown client.', false)
  if (bodySecret !== undefined) {
    if (client.client_secret === undefined || client.client_secret !== bodySecret) {
      return fail('invalid_client', 'Client authentication failed: wrong client_secret.', false)
    }
    return { ok: true, client, method: 'client_secret_post' }
  }
  if (client.client_type === 'confidential') {
    return fail(
      'invalid_client',
      'Client authentication failed: this confidential client must authenticate.',
      false,
    )
  }
  return { ok: true, client, method: 'none' }
}

/** Whether a redirect URI matches the registration, by the server's matching rule. */
export function redirectUriAllowed(
  client: ClientRegistration,
  uri: string,
  matching: 'exact' | 'lax',
): boolean {
  if (client.redirect_uris.includes(uri)) return true
  // WARNING: 'lax' is the classic prefix-matching bug (RFC 9700 §4.1.1): it opens the door to
  // redirecting codes to look-alike hosts such as https://client.example.attacker.example/.
  if (matching === 'lax') return client.redirect_uris.some((r) => uri.startsWith(new URL(r).origin))
  return false
}

/** What a browser-callable client endpoint has once its opening checks pass. */
export interface ClientRequest {
  ok: true
  /** The CORS headers every answer carries. */
  headers: HeaderList
  /** An RFC 6749 error answer that carries them. */
  refuse: (error: TokenErrorCode, description: string) => HttpResponse
  params: Map<string, string[]>
  client: ClientRegistration
}

/**
 * The opening of the token and revocation endpoints, which a page may call (CORS): the posted
 * form (`postedForm`), then the client's authentication; each failure answered with the CORS
 * headers.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function clientRequest(
  as: AuthorizationServerState,
  request: HttpRequest,
  endpoint: string,
): ClientRequest | { ok: false; response: HttpResponse } {
  const headers = cors(request)
  const params = postedForm(request, endpoint, headers)
  if (!(params instanceof Map)) return { ok: false, response: params }
  const auth = authenticateClient(as, request, params, headers)
  if (!auth.ok) return auth
  const refuse = (error: TokenErrorCode, description: string) =>
    tokenError(error, description, { extra: headers })
  return { ok: true, headers, refuse, params, client: auth.client }
}
