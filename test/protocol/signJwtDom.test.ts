// @vitest-environment jsdom
// Under a DOM environment TextEncoder may answer with another realm's Uint8Array, which jose's
// CompactSign refuses: signJwt must still sign, and sign what SignJWT signs.
import { importJWK, SignJWT } from 'jose'
import { expect, it } from 'vitest'
import { signJwt } from '../../src/protocol/crypto.ts'
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
