/** Bearer token usage on the wire. */
import { formParamsOf, getHeader, mediaType, single } from './http.ts'
import type { HttpRequest } from './types.ts'

/**
 * Takes the bearer token from the `Authorization` header or a form body — exactly one method.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2
 */
export function extractBearer(
  request: HttpRequest,
): { token: string; method: 'header' | 'body' } | { error: 'invalid_request' | null; description: string } {
  const authz = getHeader(request.headers, 'authorization')
  let bodyToken: string | undefined
  if (request.method !== 'GET' && mediaType(request.headers) === 'application/x-www-form-urlencoded') {
    const params = formParamsOf(request.body)
    if ((params.get('access_token')?.length ?? 0) > 1) {
      return { error: 'invalid_request', description: 'The access_token parameter is repeated.' }
    }
    bodyToken = single(params, 'access_token')
  }
  let queryToken: string | null = null
  // Without a '?' there is no query to parse (most requests: the token is in the header).
  if (typeof request.url !== 'string' || request.url.includes('?')) {
    try {
      queryToken = new URL(request.url).searchParams.get('access_token')
    } catch {
      queryToken = null
    }
  }
  if (queryToken !== null) {
    // RFC 6750 §2.3 and RFC 9700 §2.4: tokens in URLs leak into logs and history.
    return { error: 'invalid_request', description: 'Access tokens in the URL query are not accepted; use the Authorization header.' }
  }
  if (authz !== null) {
    if (bodyToken !== undefined) {
      return { error: 'invalid_request', description: 'The request uses more than one method to send the access token.' }
    }
    const m = /^Bearer(?:\s+(.*))?$/i.exec(authz.trim())
    if (!m) return { error: null, description: 'The request has no bearer token (the Authorization scheme is not Bearer).' }
    const value = (m[1] ?? '').trim()
    if (!value || !/^[A-Za-z0-9\-._~+/]+=*$/.test(value)) {
      return { error: 'invalid_request', description: 'The Authorization header is malformed: Bearer must be followed by one token.' }
    }
    return { token: value, method: 'header' }
  }
  if (bodyToken !== undefined) {
    if (!bodyToken) return { error: 'invalid_request', description: 'The access_token parameter is empty.' }
    return { token: bodyToken, method: 'body' }
  }
  return { error: null, description: 'The request has no access token.' }
}
