/**
 * HTTP Basic client credentials, decoded in one place for every server of the world: the
 * authorization server's client authentication, its introspection caller (a resource server),
 * and the malicious server that reads which client a confused app is.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @see https://www.rfc-editor.org/rfc/rfc7617#section-2
 */

/** Basic credentials read from an `Authorization` header. */
export type BasicCredentials =
  | { ok: true; id: string; secret: string }
  /** The header uses Basic but is not valid Basic credentials. */
  | { ok: false }

/** RFC 6749 §2.3.1: client_id and secret are form-urlencoded before Base64. */
function formDecode(part: string): string {
  return decodeURIComponent(part.replace(/\+/g, ' '))
}

/** Whether an `Authorization` header value uses the Basic scheme. */
export function isBasic(authorization: string | null): authorization is string {
  return authorization !== null && /^basic\s/i.test(authorization)
}

/**
 * The credentials of a Basic `Authorization` header value, or null when the header is absent or
 * of another scheme. Never throws: bad Base64, no colon or bad percent-encoding give `{ ok: false }`.
 */
export function basicCredentials(authorization: string | null): BasicCredentials | null {
  if (!isBasic(authorization)) return null
  try {
    const decoded = atob(authorization.replace(/^basic\s+/i, '').trim())
    const colon = decoded.indexOf(':')
    if (colon < 0) return { ok: false }
    return {
      ok: true,
      id: formDecode(decoded.slice(0, colon)),
      secret: formDecode(decoded.slice(colon + 1)),
    }
  } catch {
    return { ok: false }
  }
}
