/**
 * JWT inspection for the HTTP log: finds the JWTs in an exchange, decodes them, explains each
 * claim in plain words and checks the signature against the authorization server's JWKS.
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-4.1
 */
import { compactVerify, decodeJwt, decodeProtectedHeader, errors, type JWK } from 'jose'
import { localKeySet } from '../../protocol/crypto.ts'
import { jsonObject } from '../../protocol/wire.ts'
import type { HttpRequest, HttpResponse } from '../../protocol/index.ts'
import { fieldMeaning } from '../glossary/fields.ts'
import { formatInstant, formatRelative } from './time.ts'

const COMPACT = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*$/

/** Whether a string is a compact JWT (three base64url parts, JSON header with `alg`, JSON payload). */
export function isJwt(value: string): boolean {
  return decodeJwtParts(value).ok
}

/** A JWT as decoded (not verified), or why it could not be. */
export type DecodedJwt =
  | {
      ok: true
      header: Record<string, unknown>
      payload: Record<string, unknown>
      signature: string
    }
  | { ok: false; reason: string }

/**
 * Decodes a compact JWT's header and payload without checking anything.
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-7.2
 */
export function decodeJwtParts(token: string): DecodedJwt {
  if (!COMPACT.test(token))
    return { ok: false, reason: 'Not a JWT: expected three base64url parts separated by dots.' }
  try {
    const header = decodeProtectedHeader(token) as Record<string, unknown>
    if (typeof header.alg !== 'string')
      return { ok: false, reason: 'Not a JWT: the header has no "alg".' }
    const payload = decodeJwt(token) as Record<string, unknown>
    return { ok: true, header, payload, signature: token.slice(token.lastIndexOf('.') + 1) }
  } catch (e) {
    return { ok: false, reason: `Not a JWT: ${e instanceof Error ? e.message : String(e)}` }
  }
}

/** A JWT seen in a request or response, and where. */
export interface JwtOccurrence {
  token: string
  side: 'request' | 'response'
  /** Where it was: `Authorization header (Bearer)`, `form field id_token_hint`, `JSON field access_token`, … */
  where: string
}

function header(headers: readonly [string, string][], name: string): string | null {
  const lower = name.toLowerCase()
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1] ?? null
}

function urlParams(url: string): [string, string][] {
  try {
    const u = new URL(url)
    const out = [...u.searchParams.entries()]
    if (u.hash.length > 1) out.push(...new URLSearchParams(u.hash.slice(1)).entries())
    return out
  } catch {
    return []
  }
}

function jsonFields(body: string): [string, string][] {
  const text = body.trim()
  if (!text.startsWith('{')) return []
  return Object.entries(jsonObject(text) ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string')
}

function formFields(body: string, contentType: string | null): [string, string][] {
  if (!body || !/application\/x-www-form-urlencoded/i.test(contentType ?? '')) return []
  return [...new URLSearchParams(body).entries()]
}

/**
 * Every JWT in an exchange: the request's bearer token, URL parameters, form and JSON fields, and
 * the response's JSON fields and redirect parameters.
 */
export function findJwts(request: HttpRequest, response: HttpResponse | null): JwtOccurrence[] {
  const found: JwtOccurrence[] = []
  const add = (token: string, side: JwtOccurrence['side'], where: string) => {
    if (
      isJwt(token) &&
      !found.some((f) => f.token === token && f.side === side && f.where === where)
    ) {
      found.push({ token, side, where })
    }
  }
  const auth = header(request.headers, 'authorization')
  const bearer = auth && /^Bearer\s+(\S+)\s*$/i.exec(auth)
  if (bearer?.[1]) add(bearer[1], 'request', 'Authorization header (Bearer)')
  for (const [k, v] of urlParams(request.url)) add(v, 'request', `URL parameter ${k}`)
  for (const [k, v] of formFields(request.body, header(request.headers, 'content-type')))
    add(v, 'request', `form field ${k}`)
  for (const [k, v] of jsonFields(request.body)) add(v, 'request', `JSON field ${k}`)
  if (response) {
    const location = header(response.headers, 'location')
    if (location)
      for (const [k, v] of urlParams(location)) add(v, 'response', `Location parameter ${k}`)
    for (const [k, v] of jsonFields(response.body)) add(v, 'response', `JSON field ${k}`)
  }
  return found
}

/**
 * What kind of JWT it is, in words: an access token (`typ` `at+jwt`, RFC 9068), an ID token
 * (OpenID Connect: it carries `nonce`, `at_hash` or `c_hash`), or just a JWT.
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-2.1
 */
export function jwtKind(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const typ = typeof header.typ === 'string' ? header.typ.toLowerCase() : ''
  if (typ === 'at+jwt' || typ === 'application/at+jwt') return 'Access token'
  if ('nonce' in payload || 'at_hash' in payload || 'c_hash' in payload) return 'ID token'
  return 'JWT'
}

/** One header parameter or claim, with what it means in plain words (from the glossary). */
export interface ClaimLine {
  name: string
  /** The value as text (JSON for arrays and objects). */
  value: string
  meaning: string
  /** For NumericDate claims: the instant, and how far it is from the simulated clock. */
  time: { absolute: string; relative: string } | null
}

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time', 'updated_at'])

function valueText(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v))
}

const TYPE = 'type of token'

function typMeaning(v: unknown): string {
  if (typeof v !== 'string') return TYPE
  const t = v.toLowerCase()
  if (t === 'at+jwt' || t === 'application/at+jwt')
    return 'type: an OAuth 2.0 access token in JWT form (RFC 9068)'
  if (t === 'jwt') return 'type: a JSON Web Token (here: an OpenID Connect ID token)'
  return TYPE
}

/** The JOSE header's parameters, explained. @see https://www.rfc-editor.org/rfc/rfc7515#section-4.1 */
export function explainHeader(header: Record<string, unknown>): ClaimLine[] {
  return Object.entries(header).map(([name, v]) => ({
    name,
    value: valueText(v),
    meaning: name === 'typ' ? typMeaning(v) : (fieldMeaning('jose', name) ?? 'header parameter'),
    time: null,
  }))
}

/**
 * The payload's claims, explained; NumericDate claims also as an instant and relative to `now` (ms).
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-4.1
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 */
export function explainClaims(payload: Record<string, unknown>, now: number): ClaimLine[] {
  return Object.entries(payload).map(([name, v]) => ({
    name,
    value: valueText(v),
    meaning: name === 'typ' ? typMeaning(v) : (fieldMeaning('claim', name) ?? 'claim'),
    time:
      TIME_CLAIMS.has(name) && typeof v === 'number' && Number.isFinite(v)
        ? { absolute: formatInstant(v * 1000), relative: formatRelative(v * 1000, now) }
        : null,
  }))
}

/** The result of checking a JWT's signature against a JWKS. */
export type SignatureCheck =
  | { status: 'valid'; kid: string | null }
  | { status: 'invalid'; kid: string | null; reason: string }
  | { status: 'no-key'; kid: string | null }
  | { status: 'malformed'; reason: string }

/**
 * Checks only the signature (not `exp` or any other claim, so the clock does not matter) against
 * the public keys, chosen by the header's `kid` and `alg`.
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-5.2
 */
export async function checkJwtSignature(
  token: string,
  keys: readonly JWK[],
): Promise<SignatureCheck> {
  const decoded = decodeJwtParts(token)
  if (!decoded.ok) return { status: 'malformed', reason: decoded.reason }
  const kid = typeof decoded.header.kid === 'string' ? decoded.header.kid : null
  if (decoded.header.alg === 'none')
    return { status: 'invalid', kid, reason: 'alg "none": the token is not signed at all.' }
  try {
    await compactVerify(token, localKeySet({ keys: keys.map((k) => ({ ...k })) }))
    return { status: 'valid', kid }
  } catch (e) {
    if (e instanceof errors.JWKSNoMatchingKey) return { status: 'no-key', kid }
    if (e instanceof errors.JWSSignatureVerificationFailed) {
      return {
        status: 'invalid',
        kid,
        reason: 'The signature does not match the header and payload.',
      }
    }
    return { status: 'invalid', kid, reason: e instanceof Error ? e.message : String(e) }
  }
}
