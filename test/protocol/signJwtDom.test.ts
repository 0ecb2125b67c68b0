// @vitest-environment jsdom
// Under a DOM environment TextEncoder may answer with another realm's Uint8Array, which jose's
// CompactSign refuses: signJwt must still sign, and sign what SignJWT signs.
import { importJWK, SignJWT } from 'jose'
import { expect, it } from 'vitest'
import { createKeyCache, generateSigningKey, signJwt } from '../../src/protocol/crypto.ts'
import { sharedKeys } from './helpers.ts'

it('signs under a DOM environment as SignJWT does', async () => {
  const [k] = await sharedKeys()
  const key = (await importJWK(k!.privateJwk, 'RS256')) as CryptoKey
  const token = await signJwt({ scope: 'openid' }, { iss: 'https://auth.example', sub: 'alice', aud: 'demo-web-app', iat: 1, exp: 2 }, { alg: 'RS256', kid: k!.kid }, key)
  const expected = await new SignJWT({ scope: 'openid' })
    .setProtectedHeader({ alg: 'RS256', kid: k!.kid })
    .setIssuer('https://auth.example')
    .setSubject('alice')
    .setAudience('demo-web-app')
    .setIssuedAt(1)
    .setExpirationTime(2)
    .sign(key)
  expect(token).toBe(expected)
})

// Keys are made and imported with Web Crypto directly: they must be what jose's generateKeyPair
// and importJWK give (RS256, 2048 bits, e = 65537), under a DOM environment too.
it('generates RS256 keys as jose does, and imports them to sign as importJWK does', async () => {
  const k = await generateSigningKey('k-1')
  expect(k).toMatchObject({ kid: 'k-1', alg: 'RS256', publicJwk: { kty: 'RSA', e: 'AQAB', kid: 'k-1', alg: 'RS256', use: 'sig' } })
  expect(Buffer.from(k.publicJwk.n!, 'base64url').length * 8).toBe(2048)
  expect(k.publicJwk.d).toBeUndefined()
  const ours = await createKeyCache()(k.privateJwk)
  const theirs = (await importJWK(k.privateJwk, 'RS256')) as CryptoKey
  const claims = { iss: 'https://auth.example', sub: 'alice', aud: 'demo-web-app', iat: 1, exp: 2 }
  const header = { alg: 'RS256', kid: 'k-1' }
  expect(await signJwt({}, claims, header, ours)).toBe(await signJwt({}, claims, header, theirs))
})
