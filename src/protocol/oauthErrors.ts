/**
 * OAuth error responses as plain messages, with the status and headers each RFC asks for.
 */
import { jsonResponse } from './http.ts'
import type { HeaderList, HttpResponse } from './types.ts'

/** Error codes of the token endpoint. @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2 */
export type TokenErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_token_type'
  | 'server_error'

/** Error codes of the authorization endpoint. @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 */
export type AuthorizationErrorCode =
  | 'invalid_request'
  | 'unauthorized_client'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'server_error'
  | 'login_required'
  | 'consent_required'

/** Bearer token error codes. @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1 */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope'

/** Headers every response carrying tokens or credentials must have. @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1 */
export const NO_STORE: HeaderList = [
  ['Cache-Control', 'no-store'],
  ['Pragma', 'no-cache'],
]

/**
 * A token-endpoint style error: 400, or 401 for `invalid_client`. Every 401 carries a Basic
 * challenge, whatever the client tried: a 401 must say how to authenticate (RFC 9110 §15.5.2),
 * and RFC 6749 §5.2 names the 401 as the way to tell which schemes the server supports.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2
 */
export function tokenError(
  error: TokenErrorCode,
  description: string,
  opts: { status?: number; basicChallenge?: boolean; extra?: HeaderList } = {},
): HttpResponse {
  const status =
    opts.status ?? (error === 'invalid_client' ? 401 : error === 'server_error' ? 500 : 400)
  const headers: HeaderList = [...NO_STORE, ...(opts.extra ?? [])]
  if (opts.basicChallenge || status === 401)
    headers.push(['WWW-Authenticate', 'Basic realm="auth.example", charset="UTF-8"'])
  return jsonResponse(status, { error, error_description: errorDescription(description) }, headers)
}

/**
 * Text made fit for `error_description`, which may hold only %x20-21 / %x23-5B / %x5D-7E
 * (RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3): quotes become apostrophes, anything else outside
 * the set becomes `?`. (A header value outside Latin-1 is also refused by the Fetch API's `Headers`.)
 */
export function errorDescription(value: string): string {
  return value
    .replace(/["\\\u2018\u2019]/g, "'")
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '?')
}

/** A quoted auth-param value. */
function quote(value: string): string {
  return `"${errorDescription(value)}"`
}

/**
 * A bearer-token challenge: 401 with `WWW-Authenticate: Bearer` (no error code when no token was
 * sent), 400 `invalid_request`, 401 `invalid_token`, 403 `insufficient_scope` naming the scope.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function bearerError(
  realm: string,
  error: BearerErrorCode | null,
  description: string,
  scope?: string,
  extra: HeaderList = [],
): HttpResponse {
  const parts = [`realm=${quote(realm)}`]
  if (error) parts.push(`error=${quote(error)}`, `error_description=${quote(description)}`)
  if (scope) parts.push(`scope=${quote(scope)}`)
  const status =
    error === null ? 401 : error === 'invalid_request' ? 400 : error === 'invalid_token' ? 401 : 403
  const body = error === null ? { message: description } : { error, error_description: description }
  return jsonResponse(status, body, [['WWW-Authenticate', `Bearer ${parts.join(', ')}`], ...extra])
}
