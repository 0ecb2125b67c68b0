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
  const token = await signJwt(
    { scope: 'openid' },
    { iss: 'https://auth.example', sub: 'alice', aud: 'demo-web-app', iat: 1, exp: 2 },
    { alg: 'RS256', kid: k!.kid },
    key,
  )
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

// A generated key is what the world's JWKS publishes and its tokens name: RS256, 2048 bits,
// e = 65537, the key id and use on both halves, and no private part in the public one.
it('generates RS256 signing keys with their key id, and signs with them as SignJWT does', async () => {
  const k = await generateSigningKey('k-1')
  expect(k).toMatchObject({
    kid: 'k-1',
    alg: 'RS256',
    publicJwk: { kty: 'RSA', e: 'AQAB', kid: 'k-1', alg: 'RS256', use: 'sig' },
    privateJwk: { kty: 'RSA', kid: 'k-1', alg: 'RS256', use: 'sig' },
  })
  expect(Buffer.from(k.publicJwk.n!, 'base64url').length * 8).toBe(2048)
  expect(k.publicJwk.d).toBeUndefined()
  expect(typeof k.privateJwk.d).toBe('string')
  const claims = { iss: 'https://auth.example', sub: 'alice', aud: 'demo-web-app', iat: 1, exp: 2 }
  const header = { alg: 'RS256', kid: 'k-1' }
  const key = await createKeyCache()(k.privateJwk)
  const expected = await new SignJWT(claims).setProtectedHeader(header).sign(key)
  expect(await signJwt({}, claims, header, key)).toBe(expected)
})
