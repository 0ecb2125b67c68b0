/**
 * What the parties share to write and read messages on the wire: a client-authenticated form
 * POST, and a JSON object body.
 */
import { encodeForm } from './http.ts'
import type { HttpRequest } from './types.ts'

/**
 * A form POST to `url` with a client's credentials: none but `client_id` in the body when it has
 * no secret, the secret in the body too with `post`, else HTTP Basic (each part form-urlencoded).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function formPost(
  url: string,
  fields: Record<string, string | null | undefined>,
  id: string,
  secret: string | null | undefined,
  post = false,
): HttpRequest {
  const headers: [string, string][] = [
    ['Content-Type', 'application/x-www-form-urlencoded'],
    ['Accept', 'application/json'],
  ]
  const body = { ...fields }
  if (secret == null) body.client_id = id
  else if (post) {
    body.client_id = id
    body.client_secret = secret
  } else {
    const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, '+')
    headers.push(['Authorization', `Basic ${btoa(`${enc(id)}:${enc(secret)}`)}`])
  }
  return { method: 'POST', url, headers, body: encodeForm(body) }
}

/** A JSON object body (not an array), or null when the text is not one. */
export function jsonObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text)
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null
  } catch {
    return null
  }
}
