/**
 * The world's real cryptography: SHA-256 for PKCE and token hashes, RS256 signing keys for JWTs
 * (RSASSA-PKCS1-v1_5 is deterministic, so the same key and claims give the same token).
 */
import { CompactSign, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, type JWTHeaderParameters } from 'jose'
import { base64url } from './random.ts'
import type { CodeChallenge, CodeVerifier } from './types.ts'

/** A signing key as plain data (JWK), so it travels in snapshots. */
export interface SigningKey {
  kid: string
  alg: 'RS256'
  privateJwk: JWK
  publicJwk: JWK
}

const encoder = new TextEncoder()

/** SHA-256 of a string's UTF-8 bytes. */
export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)))
}

/**
 * `BASE64URL(SHA256(ASCII(code_verifier)))`.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 */
export async function s256Challenge(verifier: string): Promise<CodeChallenge> {
  return base64url(await sha256(verifier)) as CodeChallenge
}

const VERIFIER_RE = /^[A-Za-z0-9\-._~]{43,128}$/

/**
 * Whether a string is a syntactically valid `code_verifier` (or S256 `code_challenge`).
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export function isCodeVerifier(value: string): value is CodeVerifier {
  return VERIFIER_RE.test(value)
}

/**
 * `at_hash`: the left half of the SHA-256 of the access token, base64url.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeIDToken
 */
export async function atHash(accessToken: string): Promise<string> {
  return base64url((await sha256(accessToken)).slice(0, 16))
}

/** Generates a fresh RS256 key pair as JWKs with the given key id. */
export async function generateSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' }
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }
  return { kid, alg: 'RS256', privateJwk, publicJwk }
}

/** Imports JWKs once per key id; the imported keys are kept outside the (cloneable) world state. */
export function createKeyCache(): (jwk: JWK) => Promise<CryptoKey> {
  const cache = new Map<string, Promise<CryptoKey>>()
  return (jwk) => {
    const id = `${jwk.kid ?? ''}:${jwk.d === undefined ? 'pub' : 'priv'}:${jwk.n?.slice(0, 16) ?? ''}`
    let key = cache.get(id)
    if (!key) {
      key = importJWK(jwk, 'RS256') as Promise<CryptoKey>
      cache.set(id, key)
    }
    return key
  }
}

type KeySet = ReturnType<typeof createLocalJWKSet>
const keySets = new Map<string, KeySet>()
/** The fields of a JWKS that the verifier depends on, key after key. */
const keyFields = (jwks: JSONWebKeySet): unknown[] => jwks.keys.flatMap((k) => [k.kid, k.kty, k.alg, k.n, k.e, k.x, k.y, k.crv])
/** The last verifier given for a JWKS object, with the fields it was made from. */
const byObject = new WeakMap<JSONWebKeySet, { keys: unknown; fields: unknown[]; set: KeySet }>()

/** Whether a JWKS object still holds what `fields` recorded (it is plain data: it may be edited). */
function unchanged(jwks: JSONWebKeySet, keys: unknown, fields: unknown[]): boolean {
  if (jwks.keys !== keys) return false
  const now = keyFields(jwks)
  return now.length === fields.length && now.every((f, i) => f === fields[i])
}

/**
 * A verifier over a JWKS, kept per distinct key set so imported keys are reused across
 * validations (the JWKS itself stays plain data in the world). The same JWKS object, unchanged,
 * gets its verifier without serialising its keys again.
 */
export function localKeySet(jwks: JSONWebKeySet): KeySet {
  const last = byObject.get(jwks)
  if (last && unchanged(jwks, last.keys, last.fields)) return last.set
  const fields = keyFields(jwks)
  const id = JSON.stringify(fields)
  let set = keySets.get(id)
  if (!set) {
    set = createLocalJWKSet(jwks)
    if (keySets.size > 32) keySets.clear()
    keySets.set(id, set)
  }
  byObject.set(jwks, { keys: jwks.keys, fields, set })
  return set
}

/** The registered claims the authorization server sets on every JWT it signs, in this order. */
export interface RegisteredClaims {
  iss: string
  sub: string
  aud: string | string[]
  iat: number
  exp: number
  jti?: string
}

function assertString(claim: string, value: unknown): void {
  if (typeof value !== 'string') throw new TypeError(`"${claim}" claim must be a string`)
}

function assertNumericDate(setter: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`Invalid ${setter} input`)
}

/**
 * Signs a JWT with jose: byte for byte the token of `new SignJWT(claims).setProtectedHeader(header)
 * .setIssuer(iss).setSubject(sub).setAudience(aud).setIssuedAt(iat).setExpirationTime(exp)
 * [.setJti(jti)].sign(key)`, with the same checks of the registered claims, but without the
 * builder's copy of the claims (`CompactSign` over the same JSON: jose signs it alike).
 */
export async function signJwt(
  claims: Record<string, unknown>,
  registered: RegisteredClaims,
  header: JWTHeaderParameters,
  key: CryptoKey,
): Promise<string> {
  assertString('iss', registered.iss)
  assertString('sub', registered.sub)
  const aud: unknown = registered.aud
  if (typeof aud !== 'string' && (!Array.isArray(aud) || aud.some((member) => typeof member !== 'string'))) {
    throw new TypeError('"aud" claim must be a string or an array of strings')
  }
  assertNumericDate('setIssuedAt', registered.iat)
  assertNumericDate('setExpirationTime', registered.exp)
  if (registered.jti !== undefined) assertString('jti', registered.jti)
  // The claims' own keys in their order (what a spread copies, without its cost in
  // unoptimised code), then the builder's setters in theirs: a claim already present keeps its
  // place. A '__proto__' key would be a prototype change when assigned: the spread defines it.
  let payload: Record<string, unknown>
  if (Object.hasOwn(claims, '__proto__')) payload = { ...claims }
  else {
    payload = {}
    for (const k of Object.keys(claims)) payload[k] = claims[k]
  }
  payload.iss = registered.iss
  payload.sub = registered.sub
  payload.aud = registered.aud
  payload.iat = registered.iat
  payload.exp = registered.exp
  if (registered.jti !== undefined) payload.jti = registered.jti
  // jose asks for `instanceof Uint8Array`: where TextEncoder answers from another realm (a test's
  // DOM environment), its bytes are copied into this realm's Uint8Array.
  let bytes = encoder.encode(JSON.stringify(payload))
  if (!(bytes instanceof Uint8Array)) bytes = new Uint8Array(bytes)
  return new CompactSign(bytes).setProtectedHeader(header).sign(key)
}
