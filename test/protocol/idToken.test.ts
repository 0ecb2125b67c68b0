/**
 * The client's ID token validation (OpenID Connect Core §3.1.3.7): the signature, then the
 * claims, the nonce and at_hash — whatever order the checks' cryptography runs in, the verdict
 * for each kind of bad token is the same, and nothing is left unhandled.
 */
import { importJWK } from 'jose'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import type { Lab } from '../../src/index.ts'
import { newClientSession, validateIdToken, type Transport } from '../../src/protocol/clientCore.ts'
import { atHash, generateSigningKey, signJwt } from '../../src/protocol/crypto.ts'
import { newLab, sharedKeys } from './helpers.ts'

const ACCESS_TOKEN = 'an-access-token'

async function idToken(
  lab: Lab,
  claims: Record<string, unknown>,
  privateJwk?: object,
  overrides: { aud?: string } = {},
): Promise<string> {
  const [k] = await sharedKeys()
  const key = (await importJWK((privateJwk ?? k!.privateJwk) as never, 'RS256')) as CryptoKey
  const now = lab.world.nowSeconds()
  return signJwt(
    claims,
    {
      iss: lab.issuer,
      sub: 'alice-7c9e',
      aud: overrides.aud ?? lab.clients.confidential.client_id,
      iat: now,
      exp: now + 3600,
    },
    { alg: 'RS256', typ: 'JWT', kid: k!.kid },
    key,
  )
}

async function validate(lab: Lab, token: string, nonce: string | null = 'n-1') {
  const session = { ...newClientSession('s'), nonce }
  const send: Transport = async (request) => ({
    ok: true,
    response: await lab.world.send('client', 'back', request),
  })
  return validateIdToken(lab.world, lab.world.state.web, session, token, ACCESS_TOKEN, send, true)
}

describe('validateIdToken', () => {
  const unhandled: unknown[] = []
  const onUnhandled = (e: unknown) => unhandled.push(e)
  process.on('unhandledRejection', onUnhandled)
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled)
  })
  afterEach(async () => {
    // Let any rejection that nobody handled surface before checking.
    await new Promise((resolve) => setImmediate(resolve))
    expect(unhandled).toEqual([])
    vi.restoreAllMocks()
  })

  it('accepts a good token and returns its claims', async () => {
    const lab = await newLab()
    const r = await validate(
      lab,
      await idToken(lab, { nonce: 'n-1', at_hash: await atHash(ACCESS_TOKEN) }),
    )
    expect(r).toMatchObject({ ok: true, claims: { sub: 'alice-7c9e', nonce: 'n-1' } })
  })

  it('accepts a token without at_hash', async () => {
    const lab = await newLab()
    expect((await validate(lab, await idToken(lab, { nonce: 'n-1' }))).ok).toBe(true)
  })

  it.each([
    ['an at_hash of another access token', 'n-1', 'at_hash_mismatch'],
    ['a wrong nonce before looking at at_hash', 'other', 'nonce_mismatch'],
  ])('refuses %s', async (_name, nonce, error) => {
    const lab = await newLab()
    const r = await validate(
      lab,
      await idToken(lab, { nonce, at_hash: await atHash('another-token') }),
    )
    expect(r).toMatchObject({ ok: false, error })
  })

  it('refuses a bad signature first, whatever at_hash says', async () => {
    const lab = await newLab()
    const forger = await generateSigningKey('forger')
    for (const atHashClaim of [await atHash(ACCESS_TOKEN), await atHash('another-token')]) {
      const r = await validate(
        lab,
        await idToken(lab, { nonce: 'n-1', at_hash: atHashClaim }, forger.privateJwk),
      )
      expect(r).toMatchObject({ ok: false, error: 'invalid_id_token' })
      expect(r.ok ? '' : r.description).toMatch(/signature/)
    }
  })

  it('refuses a token for another audience', async () => {
    const lab = await newLab()
    const r = await validate(
      lab,
      await idToken(lab, { nonce: 'n-1', at_hash: await atHash(ACCESS_TOKEN) }, undefined, {
        aud: 'demo-spa',
      }),
    )
    expect(r).toMatchObject({ ok: false, error: 'invalid_id_token' })
  })

  it('turns a failing hash into invalid_id_token, and leaves no rejection unhandled when the token is refused first', async () => {
    const lab = await newLab()
    const good = await idToken(lab, { nonce: 'n-1', at_hash: await atHash(ACCESS_TOKEN) })
    const forger = await generateSigningKey('forger')
    const forged = await idToken(
      lab,
      { nonce: 'n-1', at_hash: await atHash(ACCESS_TOKEN) },
      forger.privateJwk,
    )
    // Fetch the JWKS first, so the failing digest below is the at_hash one.
    await validate(lab, good)
    const digest = vi.spyOn(crypto.subtle, 'digest').mockRejectedValue(new Error('digest failed'))
    expect(await validate(lab, good)).toMatchObject({ ok: false, error: 'invalid_id_token' })
    expect(await validate(lab, forged)).toMatchObject({ ok: false, error: 'invalid_id_token' })
    expect(digest).toHaveBeenCalled()
  })
})
