// verifyJwt is jose's compactVerify plus our own claim checks: for the options the resource server
// and the clients use, it must accept and refuse exactly what jose's jwtVerify does, with the same
// error class, claim, reason and message.
import { CompactSign, createLocalJWKSet, FlattenedSign, importJWK, jwtVerify, type JWTVerifyOptions } from 'jose'
import { describe, expect, it } from 'vitest'
import { verifyJwt, type JwtExpectations } from '../../src/protocol/crypto.ts'
import { sharedKeys } from './helpers.ts'

const NOW = Date.UTC(2026, 0, 1)
const T = NOW / 1000
const AS = 'https://auth.example'
const API = 'https://api.example'

async function sign(claims: unknown, header: Record<string, unknown> = {}, raw?: string): Promise<string> {
  const [k] = await sharedKeys()
  const key = (await importJWK(k!.privateJwk, 'RS256')) as CryptoKey
  const bytes = new TextEncoder().encode(raw ?? JSON.stringify(claims))
  return new CompactSign(bytes).setProtectedHeader({ alg: 'RS256', kid: k!.kid, ...header }).sign(key)
}

type Outcome = { ok: true; payload: unknown } | { ok: false; name: string; claim?: unknown; reason?: unknown; message: string }

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, payload: await run() }
  } catch (e) {
    const err = e as Error & { claim?: unknown; reason?: unknown; code?: string }
    return { ok: false, name: err.constructor.name, claim: err.claim, reason: err.reason, message: err.message }
  }
}

async function compare(token: string, want: JwtExpectations) {
  const [k] = await sharedKeys()
  const jwks = { keys: [k!.publicJwk] }
  const options: JWTVerifyOptions = {
    issuer: want.issuer,
    audience: want.audience,
    algorithms: ['RS256'],
    requiredClaims: want.requiredClaims,
    currentDate: new Date(want.now),
    ...(want.typ === undefined ? {} : { typ: want.typ }),
  }
  const theirs = await outcome(async () => (await jwtVerify(token, createLocalJWKSet(jwks), options)).payload)
  const ours = await outcome(() => verifyJwt(token, jwks, want))
  expect(ours).toEqual(theirs)
  return ours
}

const accessToken = { iss: AS, sub: 'alice', aud: API, iat: T - 10, exp: T + 3600, jti: 'j1', client_id: 'demo-web-app', scope: 'openid' }
const AT: JwtExpectations = { issuer: AS, audience: API, typ: 'at+jwt', requiredClaims: ['exp', 'iat', 'sub', 'jti', 'client_id'], now: NOW }
const ID: JwtExpectations = { issuer: AS, audience: 'demo-spa', requiredClaims: ['iat', 'exp', 'sub'], now: NOW }
const idToken = { iss: AS, sub: 'alice', aud: 'demo-spa', iat: T - 10, exp: T + 600, nonce: 'n' }

describe('verifyJwt, as jose’s jwtVerify', () => {
  const atCases: [string, unknown, Record<string, unknown>?][] = [
    ['a valid access token', accessToken, { typ: 'at+jwt' }],
    ['typ application/at+jwt', accessToken, { typ: 'application/AT+JWT' }],
    ['no typ', accessToken],
    ['typ JWT', accessToken, { typ: 'JWT' }],
    ['typ not a string', accessToken, { typ: 1 }],
    ['no jti', { ...accessToken, jti: undefined }, { typ: 'at+jwt' }],
    ['no client_id and no exp', { ...accessToken, client_id: undefined, exp: undefined }, { typ: 'at+jwt' }],
    ['no iss', { ...accessToken, iss: undefined }, { typ: 'at+jwt' }],
    ['no aud', { ...accessToken, aud: undefined }, { typ: 'at+jwt' }],
    ['another issuer', { ...accessToken, iss: 'https://evil-as.example' }, { typ: 'at+jwt' }],
    ['another audience', { ...accessToken, aud: 'https://other.example' }, { typ: 'at+jwt' }],
    ['an audience list with the API', { ...accessToken, aud: ['x', API] }, { typ: 'at+jwt' }],
    ['an audience list without it', { ...accessToken, aud: ['x'] }, { typ: 'at+jwt' }],
    ['an audience of the wrong type', { ...accessToken, aud: 5 }, { typ: 'at+jwt' }],
    ['expired', { ...accessToken, exp: T }, { typ: 'at+jwt' }],
    ['expiring in a second', { ...accessToken, exp: T + 1 }, { typ: 'at+jwt' }],
    ['exp a string', { ...accessToken, exp: String(T + 5) }, { typ: 'at+jwt' }],
    ['iat a string', { ...accessToken, iat: 'now' }, { typ: 'at+jwt' }],
    ['iat in the future', { ...accessToken, iat: T + 100 }, { typ: 'at+jwt' }],
    ['nbf in the future', { ...accessToken, nbf: T + 1 }, { typ: 'at+jwt' }],
    ['nbf now', { ...accessToken, nbf: T }, { typ: 'at+jwt' }],
    ['nbf a string and exp a string', { ...accessToken, nbf: 'x', exp: 'y' }, { typ: 'at+jwt' }],
    ['nbf in the future and exp a string', { ...accessToken, nbf: T + 5, exp: 'y' }, { typ: 'at+jwt' }],
    ['nbf in the future and expired', { ...accessToken, nbf: T + 5, exp: T - 5 }, { typ: 'at+jwt' }],
  ]
  for (const [name, claims, header] of atCases) {
    it(`treats an access token alike: ${name}`, async () => {
      await compare(await sign(claims, header), AT)
    })
  }

  const idCases: [string, unknown][] = [
    ['a valid ID token', idToken],
    ['no sub', { ...idToken, sub: undefined }],
    ['no iat', { ...idToken, iat: undefined }],
    ['the wrong audience', { ...idToken, aud: 'demo-web-app' }],
    ['expired long ago', { ...idToken, exp: T - 3600 }],
  ]
  for (const [name, claims] of idCases) {
    it(`treats an ID token alike: ${name}`, async () => {
      await compare(await sign(claims), ID)
    })
  }

  it('refuses a payload that is not a JSON object alike', async () => {
    for (const raw of ['[1,2]', 'null', '"x"', '{not json', '\u00ff']) {
      const r = await compare(await sign(null, {}, raw), ID)
      expect(r.ok).toBe(false)
    }
  })

  it('refuses an unencoded payload alike', async () => {
    const [k] = await sharedKeys()
    const key = (await importJWK(k!.privateJwk, 'RS256')) as CryptoKey
    // No dot in the payload: unencoded, it sits in the compact form as it is.
    const jws = await new FlattenedSign(new TextEncoder().encode(JSON.stringify({ sub: 'alice' })))
      .setProtectedHeader({ alg: 'RS256', kid: k!.kid, b64: false, crit: ['b64'] })
      .sign(key)
    const token = `${jws.protected}.${jws.payload}.${jws.signature}`
    const r = await compare(token, ID)
    expect(r.ok).toBe(false)
  })

  it('reads b64: false without crit as an ordinary header, alike', async () => {
    await compare(await sign(idToken, { b64: false }), ID)
  })

  it('refuses a forged signature, an unknown key and a malformed token alike', async () => {
    const good = await sign(idToken)
    const [h, p] = good.split('.')
    const r1 = await compare(`${h}.${p}.${'A'.repeat(342)}`, ID)
    const r2 = await compare(await sign(idToken, { kid: 'other' }), ID)
    const r3 = await compare('not.a.jwt', ID)
    const r4 = await compare(`${h}.${p}`, ID)
    for (const r of [r1, r2, r3, r4]) expect(r.ok).toBe(false)
  })

  it('refuses another algorithm alike', async () => {
    const header = btoa(JSON.stringify({ alg: 'HS256', kid: 'test-key' })).replace(/=+$/, '')
    const body = btoa(JSON.stringify(idToken)).replace(/=+$/, '')
    const r = await compare(`${header}.${body}.sig`, ID)
    expect(r.ok).toBe(false)
  })
})
