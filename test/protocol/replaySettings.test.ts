/**
 * The two token-endpoint defences a scenario can switch off: single-use authorization codes
 * (RFC 6749 §4.1.2; RFC 9700 §4.2.4, §4.3.1) and refresh-token rotation with reuse detection
 * (RFC 9700 §4.14.2). On by default; off, the replay works.
 */
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import type { AuthorizationServerSettings, Lab } from '../../src/index.ts'
import {
  asConfidentialClient,
  getCode,
  newLab,
  postForm,
  redeemConfidential,
  redeemPublic,
  refreshAs,
  T0,
} from './helpers.ts'

function labWith(settings: Partial<AuthorizationServerSettings>): Promise<Lab> {
  return newLab({ settings: { authorizationServer: settings } })
}

async function webTokens(lab: Lab) {
  const { code } = await getCode(lab)
  const res = await redeemConfidential(lab, code)
  expect(res.status).toBe(200)
  return { code, body: res.body }
}

function jtiOf(body: Record<string, unknown>): string {
  return String(decodeJwt(String(body.access_token)).jti)
}

describe('authorization server settings: defaults', () => {
  it('makes codes single use and rotates refresh tokens unless told otherwise', async () => {
    const lab = await newLab()
    expect(lab.world.state.as.settings).toMatchObject({
      rotateRefreshTokens: true,
      singleUseCodes: true,
    })
  })
})

describe('singleUseCodes', () => {
  it('on: the second use answers 400 invalid_grant and revokes the tokens of the first', async () => {
    const lab = await labWith({ singleUseCodes: true })
    const { code, body } = await webTokens(lab)
    const again = await redeemConfidential(lab, code)
    expect(again.status).toBe(400)
    expect(again.body.error).toBe('invalid_grant')
    expect(again.body).not.toHaveProperty('access_token')
    const as = lab.world.state.as
    expect(as.accessTokens[jtiOf(body)]?.revoked).toBe(true)
    expect(as.refreshTokens[String(body.refresh_token)]?.revoked).toBe(true)
    expect(Object.values(as.grants)).toMatchObject([
      { revoked: true, revokedReason: 'authorization code replayed' },
    ])
  })

  it('off: the second use answers 200 with new tokens and revokes nothing', async () => {
    const lab = await labWith({ singleUseCodes: false })
    const { code, body } = await webTokens(lab)
    lab.clock.advance(60)
    const again = await redeemConfidential(lab, code)
    expect(again.status).toBe(200)
    expect(again.body).not.toHaveProperty('error')
    expect(again.body.access_token).not.toBe(body.access_token)
    expect(again.body.refresh_token).not.toBe(body.refresh_token)
    const as = lab.world.state.as
    expect(as.accessTokens[jtiOf(body)]?.revoked).toBe(false)
    expect(as.refreshTokens[String(body.refresh_token)]?.revoked).toBe(false)
    expect(Object.values(as.grants)).toMatchObject([{ revoked: false, revokedReason: null }])
    expect(as.codes[code]).toMatchObject({ used: true, usedAt: T0 / 1000 })
    // Both sets of tokens work.
    expect((await refreshAs(lab, 'confidential', String(body.refresh_token))).status).toBe(200)
    expect((await refreshAs(lab, 'confidential', String(again.body.refresh_token))).status).toBe(
      200,
    )
  })

  it('off: a public client’s code is redeemed twice too, with its verifier', async () => {
    const lab = await labWith({ singleUseCodes: false })
    const { code } = await getCode(lab, { client: 'public' })
    expect((await redeemPublic(lab, code)).status).toBe(200)
    expect((await redeemPublic(lab, code)).status).toBe(200)
  })

  it('off: the other checks still hold — expiry, the client, the PKCE verifier', async () => {
    const lab = await labWith({ singleUseCodes: false })
    const { code } = await getCode(lab, { client: 'public' })
    expect((await redeemPublic(lab, code)).status).toBe(200)
    const noVerifier = await redeemPublic(lab, code, { code_verifier: undefined })
    expect([noVerifier.status, noVerifier.body.error]).toEqual([400, 'invalid_grant'])
    const wrongClient = await redeemConfidential(lab, code)
    expect([wrongClient.status, wrongClient.body.error]).toEqual([400, 'invalid_grant'])
    lab.clock.advance(601)
    const late = await redeemPublic(lab, code)
    expect([late.status, late.body.error]).toEqual([400, 'invalid_grant'])
    expect(Object.values(lab.world.state.as.grants).every((g) => !g.revoked)).toBe(true)
  })
})

describe('rotateRefreshTokens', () => {
  it('on: a refresh answers a new refresh token, and the old one presented again answers 400 invalid_grant and revokes the family', async () => {
    const lab = await labWith({ rotateRefreshTokens: true })
    const { body } = await webTokens(lab)
    const old = String(body.refresh_token)
    const first = await refreshAs(lab, 'confidential', old)
    expect(first.status).toBe(200)
    const newest = String(first.body.refresh_token)
    expect(newest).not.toBe(old)
    const reuse = await refreshAs(lab, 'confidential', old)
    expect(reuse.status).toBe(400)
    expect(reuse.body.error).toBe('invalid_grant')
    expect(lab.world.state.as.refreshTokens[newest]?.revoked).toBe(true)
    expect(Object.values(lab.world.state.as.grants)).toMatchObject([
      { revoked: true, revokedReason: 'refresh token reused' },
    ])
    const after = await refreshAs(lab, 'confidential', newest)
    expect([after.status, after.body.error]).toEqual([400, 'invalid_grant'])
  })

  it('off: a refresh answers no refresh_token, and the same token keeps working with no reuse detected', async () => {
    const lab = await labWith({ rotateRefreshTokens: false })
    const { body } = await webTokens(lab)
    const rt = String(body.refresh_token)
    lab.clock.advance(60)
    const first = await refreshAs(lab, 'confidential', rt)
    expect(first.status).toBe(200)
    expect(first.body).not.toHaveProperty('refresh_token')
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 })
    expect(first.body.access_token).not.toBe(body.access_token)
    const second = await refreshAs(lab, 'confidential', rt)
    expect(second.status).toBe(200)
    expect(second.body).not.toHaveProperty('error')
    expect(second.body).not.toHaveProperty('refresh_token')
    const as = lab.world.state.as
    expect(as.refreshTokens[rt]).toMatchObject({ rotatedAt: null, revoked: false })
    expect(Object.keys(as.refreshTokens)).toEqual([rt])
    expect(Object.values(as.grants)).toMatchObject([{ revoked: false, revokedReason: null }])
    for (const at of Object.values(as.accessTokens)) expect(at.revoked).toBe(false)
  })

  it('off: a public client’s copied refresh token works for the thief and the client alike', async () => {
    const lab = await labWith({ rotateRefreshTokens: false })
    const { code } = await getCode(lab, { client: 'public' })
    const tokens = await redeemPublic(lab, code)
    const rt = String(tokens.body.refresh_token)
    const client = await refreshAs(lab, 'public', rt)
    const thief = await refreshAs(lab, 'public', rt)
    const clientAgain = await refreshAs(lab, 'public', rt)
    expect([client.status, thief.status, clientAgain.status]).toEqual([200, 200, 200])
    expect(thief.body).not.toHaveProperty('refresh_token')
  })

  it('off: the refresh token still expires, and revocation still ends it', async () => {
    const lab = await labWith({ rotateRefreshTokens: false })
    const { body } = await webTokens(lab)
    const rt = String(body.refresh_token)
    const revoked = await postForm(
      lab,
      '/revoke',
      { token: rt, token_type_hint: 'refresh_token' },
      asConfidentialClient(lab),
    )
    expect(revoked.status).toBe(200)
    const after = await refreshAs(lab, 'confidential', rt)
    expect([after.status, after.body.error]).toEqual([400, 'invalid_grant'])

    const other = await labWith({ rotateRefreshTokens: false })
    const late = String((await webTokens(other)).body.refresh_token)
    other.clock.advance(31 * 24 * 3600)
    const expired = await refreshAs(other, 'confidential', late)
    expect([expired.status, expired.body.error]).toEqual([400, 'invalid_grant'])
  })
})
