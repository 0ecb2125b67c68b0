import { base64url, decodeJwt, decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import type { Lab } from '../../src/index.ts'
import {
  asConfidentialClient,
  basic,
  fetchJson,
  getCode,
  newLab,
  postForm,
  redeemConfidential,
  redeemPublic,
  T0,
  VERIFIER,
} from './helpers.ts'

const ISSUER = 'https://auth.example'
const API = 'https://api.example'
const WEB_CALLBACK = 'https://client.example/callback'
const SPA_CALLBACK = 'https://spa.example/callback'
const SCOPE = 'openid profile photos.read'
const OTHER_VERIFIER = 'Z'.repeat(43)
/** The characters `error_description` may hold (RFC 6749 §5.2). */
const DESCRIPTION_CHARS = /^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/

type TokenResponse = Awaited<ReturnType<typeof postForm>>
type Fields = Record<string, string | undefined>

/** The fields of the confidential client's redemption of `code`: its redirect URI, the verifier. */
function webRedemption(code: string): Record<string, string> {
  return {
    grant_type: 'authorization_code',
    code,
    redirect_uri: WEB_CALLBACK,
    code_verifier: VERIFIER,
  }
}

/** POSTs to the token endpoint as the confidential client with HTTP Basic. */
function tokenAsWeb(lab: Lab, fields: Fields) {
  return postForm(lab, '/token', fields, asConfidentialClient(lab))
}

/** POSTs to the token endpoint as the public client (client_id only). */
function tokenAsSpa(lab: Lab, fields: Fields) {
  return postForm(lab, '/token', { client_id: 'demo-spa', ...fields })
}

/** POSTs a raw body to the token endpoint. */
function rawToken(lab: Lab, body: string, headers: Record<string, string>) {
  return fetchJson(lab, `${ISSUER}/token`, { method: 'POST', headers, body })
}

function expectError(res: TokenResponse, status: number, error: string) {
  expect(res.status).toBe(status)
  expect(res.body.error).toBe(error)
  expect(res.body.error_description).toMatch(DESCRIPTION_CHARS)
  expect(res.body).not.toHaveProperty('access_token')
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
}

/** Runs the whole flow for the confidential client and returns the token response. */
async function webTokens(lab: Lab, params: Parameters<typeof getCode>[1] = {}) {
  const { code } = await getCode(lab, params)
  const res = await redeemConfidential(lab, code)
  expect(res.status).toBe(200)
  return res.body
}

/** Runs the whole flow for the public client and returns the token response. */
async function spaTokens(lab: Lab, params: Parameters<typeof getCode>[1] = {}) {
  const { code } = await getCode(lab, { client: 'public', ...params })
  const res = await redeemPublic(lab, code)
  expect(res.status).toBe(200)
  return res.body
}

function refreshAsWeb(lab: Lab, refreshToken: string | undefined, extra: Fields = {}) {
  return tokenAsWeb(lab, { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra })
}

async function leftHalfSha256(text: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)),
  )
  return base64url.encode(digest.slice(0, 16))
}

function grantOf(lab: Lab, refreshToken: string) {
  const rt = lab.world.state.as.refreshTokens[refreshToken]
  if (!rt) throw new Error('unknown refresh token')
  return rt.grantId
}

describe('when a client redeems a code', () => {
  it.each<[string, (lab: Lab, code: string) => Promise<TokenResponse>, string]>([
    [
      'the confidential client with client_secret_basic',
      (lab, code) => redeemConfidential(lab, code),
      'demo-web-app',
    ],
    [
      'the confidential client with client_secret_post',
      (lab, code) =>
        postForm(lab, '/token', {
          ...webRedemption(code),
          client_id: lab.clients.confidential.client_id,
          client_secret: lab.clients.confidential.client_secret,
        }),
      'demo-web-app',
    ],
    ['the public client with client_id only', (lab, code) => redeemPublic(lab, code), 'demo-spa'],
  ])('answers %s with tokens', async (_, redeem, clientId) => {
    const lab = await newLab()
    const { code } = await getCode(lab, {
      client: clientId === 'demo-spa' ? 'public' : 'confidential',
    })
    const res = await redeem(lab, code)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('pragma')).toBe('no-cache')
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: SCOPE })
    expect(typeof res.body.refresh_token).toBe('string')

    const accessToken = String(res.body.access_token)
    expect(decodeProtectedHeader(accessToken)).toEqual({
      alg: 'RS256',
      typ: 'at+jwt',
      kid: 'test-key',
    })
    const at = decodeJwt(accessToken)
    const iat = T0 / 1000
    expect(at).toMatchObject({
      iss: ISSUER,
      sub: 'alice-7c9e',
      aud: API,
      iat,
      exp: iat + 3600,
      client_id: clientId,
      scope: SCOPE,
    })
    expect(typeof at.jti).toBe('string')
    expect(lab.world.state.as.accessTokens[at.jti ?? '']?.token).toBe(accessToken)

    const idToken = String(res.body.id_token)
    expect(decodeProtectedHeader(idToken)).toMatchObject({ alg: 'RS256', kid: 'test-key' })
    const id = decodeJwt(idToken)
    expect(id).toMatchObject({
      iss: ISSUER,
      sub: 'alice-7c9e',
      aud: clientId,
      iat,
      exp: iat + 3600,
      auth_time: iat,
      nonce: 'nonce-123',
      at_hash: await leftHalfSha256(accessToken),
    })
  })

  it.each<['confidential' | 'public']>([['confidential'], ['public']])(
    'answers the %s client without an id_token when openid was not asked for',
    async (client) => {
      const lab = await newLab()
      const body =
        client === 'public'
          ? await spaTokens(lab, { scope: 'profile photos.read' })
          : await webTokens(lab, { scope: 'profile photos.read' })
      expect(body).not.toHaveProperty('id_token')
      expect(body.scope).toBe('profile photos.read')
      expect(decodeJwt(String(body.access_token)).scope).toBe('profile photos.read')
    },
  )

  it('answers an id_token without nonce when the request had none', async () => {
    const lab = await newLab()
    const body = await webTokens(lab, { nonce: undefined })
    expect(decodeJwt(String(body.id_token))).not.toHaveProperty('nonce')
  })

  it('answers with a unique jti per access token', async () => {
    const lab = await newLab()
    const a = decodeJwt(String((await webTokens(lab)).access_token)).jti
    const b = decodeJwt(String((await webTokens(lab)).access_token)).jti
    expect(a).not.toBe(b)
  })

  it('answers a code requested without redirect_uri when the token request omits it too', async () => {
    const lab = await newLab()
    const { code } = await getCode(lab, { redirect_uri: undefined })
    const res = await redeemConfidential(lab, code, { redirect_uri: undefined })
    expect(res.status).toBe(200)
  })

  it('answers a code requested without PKCE when the token request has no code_verifier', async () => {
    const lab = await newLab()
    const { code } = await getCode(lab, {
      code_challenge: undefined,
      code_challenge_method: undefined,
    })
    const res = await redeemConfidential(lab, code, { code_verifier: undefined })
    expect(res.status).toBe(200)
  })

  it('answers a code at 599 s with tokens', async () => {
    const lab = await newLab()
    const { code } = await getCode(lab)
    lab.clock.advance(599)
    expect((await redeemConfidential(lab, code)).status).toBe(200)
  })
})

describe('when the client fails to authenticate', () => {
  it.each<[string, (lab: Lab) => Record<string, string>, Fields]>([
    ['a wrong secret', () => ({ Authorization: basic('demo-web-app', 'wrong') }), {}],
    ['an unknown client', () => ({ Authorization: basic('nobody', 'secret') }), {}],
    [
      'the public client (which has no secret)',
      () => ({ Authorization: basic('demo-spa', '') }),
      {},
    ],
    [
      'Basic credentials that are not Base64',
      () => ({ Authorization: 'Basic !!!not-base64!!!' }),
      {},
    ],
    [
      'Basic credentials without a colon',
      () => ({ Authorization: `Basic ${btoa('demo-web-app')}` }),
      {},
    ],
    [
      'Basic credentials with a bad percent-encoding',
      () => ({ Authorization: `Basic ${btoa('demo-web-app:%E0%A4%A')}` }),
      {},
    ],
    [
      'a body client_id differing from Basic',
      (lab) => asConfidentialClient(lab),
      { client_id: 'demo-spa' },
    ],
  ])(
    'answers HTTP Basic with %s with 401 invalid_client and WWW-Authenticate: Basic',
    async (_, auth, extra) => {
      const lab = await newLab()
      const { code } = await getCode(lab)
      const res = await postForm(
        lab,
        '/token',
        {
          ...webRedemption(code),
          ...extra,
        },
        auth(lab),
      )
      expectError(res, 401, 'invalid_client')
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic\b/)
      expect(lab.world.state.as.codes[code]?.used).toBe(false)
    },
  )

  it.each<[string, (lab: Lab) => Fields]>([
    [
      'client_secret_post with a wrong secret',
      () => ({ client_id: 'demo-web-app', client_secret: 'wrong' }),
    ],
    ['the confidential client sending no secret', () => ({ client_id: 'demo-web-app' })],
    ['an unknown client_id', () => ({ client_id: 'nobody' })],
    [
      'an unknown client_id with a secret',
      () => ({ client_id: 'nobody', client_secret: 'secret' }),
    ],
    ['no client_id at all', () => ({})],
    [
      'the public client sending a secret',
      () => ({ client_id: 'demo-spa', client_secret: 'guess' }),
    ],
  ])(
    'answers %s with 401 invalid_client and a Basic challenge (RFC 9110 §15.5.2)',
    async (_, auth) => {
      const lab = await newLab()
      const { code } = await getCode(lab)
      const res = await postForm(lab, '/token', {
        ...webRedemption(code),
        ...auth(lab),
      })
      expectError(res, 401, 'invalid_client')
      expect(res.headers.get('www-authenticate')).toBe(
        'Basic realm="auth.example", charset="UTF-8"',
      )
      expect(res.headers.get('cache-control')).toBe('no-store')
    },
  )

  it('answers an unsupported Authorization scheme with 401 invalid_client', async () => {
    const lab = await newLab()
    const { code } = await getCode(lab)
    const res = await postForm(lab, '/token', webRedemption(code), {
      Authorization: 'Bearer something',
    })
    expectError(res, 401, 'invalid_client')
  })
})

describe('when the token request is malformed', () => {
  it('answers HTTP Basic plus client_secret in the body with invalid_request', async () => {
    const lab = await newLab()
    const { code } = await getCode(lab)
    const res = await redeemConfidential(lab, code, {
      client_id: 'demo-web-app',
      client_secret: lab.clients.confidential.client_secret,
    })
    expectError(res, 400, 'invalid_request')
  })

  it.each<[string, Fields]>([
    ['grant_type is missing', { grant_type: undefined }],
    ['code is missing', { code: undefined }],
    ['code is empty', { code: '' }],
    [
      'redirect_uri is missing though it was in the authorization request',
      { redirect_uri: undefined },
    ],
    ['code_verifier is too short', { code_verifier: 'short' }],
    ['code_verifier has a forbidden character', { code_verifier: `${VERIFIER.slice(0, 42)}+` }],
    ['code_verifier is too long', { code_verifier: 'a'.repeat(129) }],
  ])('answers 400 invalid_request when %s', async (_, extra) => {
    const lab = await newLab()
    const { code } = await getCode(lab)
    const res = await redeemConfidential(lab, code, extra)
    expectError(res, 400, 'invalid_request')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(lab.world.state.as.codes[code]?.used).toBe(false)
  })

  it.each(['code', 'grant_type', 'redirect_uri', 'code_verifier'])(
    'answers 400 invalid_request when %s is repeated',
    async (name) => {
      const lab = await newLab()
      const { code } = await getCode(lab)
      const fields = new URLSearchParams(webRedemption(code))
      fields.append(name, fields.get(name) ?? '')
      const res = await rawToken(lab, fields.toString(), {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...asConfidentialClient(lab),
      })
      expectError(res, 400, 'invalid_request')
      expect(lab.world.state.as.codes[code]?.used).toBe(false)
    },
  )

  it.each([
    [
      'application/json',
      (code: string) => JSON.stringify({ grant_type: 'authorization_code', code }),
    ],
    ['text/plain', (code: string) => `grant_type=authorization_code&code=${code}`],
    [
      'multipart/form-data; boundary=x',
      (code: string) =>
        `--x\r\nContent-Disposition: form-data; name="code"\r\n\r\n${code}\r\n--x--`,
    ],
  ])('answers a %s body with 400 invalid_request', async (contentType, body) => {
    const lab = await newLab()
    const { code } = await getCode(lab)
    const res = await rawToken(lab, body(code), {
      'Content-Type': contentType,
      ...asConfidentialClient(lab),
    })
    expectError(res, 400, 'invalid_request')
  })

  it.each(['GET', 'PUT', 'DELETE'])('answers %s with 405 and Allow: POST', async (method) => {
    const lab = await newLab()
    const res = await lab.fetch(`${ISSUER}/token`, { method })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
    expect(((await res.json()) as Record<string, unknown>).error).toBe('invalid_request')
  })

  it.each([
    'password',
    'client_credentials',
    'implicit',
    'urn:ietf:params:oauth:grant-type:device_code',
    'garbage',
    'pässwörd"\\',
  ])('answers grant_type=%s with 400 unsupported_grant_type', async (grantType) => {
    const lab = await newLab()
    const res = await tokenAsWeb(lab, {
      grant_type: grantType,
      username: 'alice',
      password: 'wonderland',
    })
    expectError(res, 400, 'unsupported_grant_type')
  })

  it('answers a grant the client may not use with 400 unauthorized_client', async () => {
    const lab = await newLab()
    const body = await webTokens(lab)
    const client = lab.world.state.as.clients['demo-web-app']
    if (!client) throw new Error('no client')
    client.grant_types = client.grant_types.filter((g) => g !== 'refresh_token')
    const res = await refreshAsWeb(lab, String(body.refresh_token))
    expectError(res, 400, 'unauthorized_client')
  })
})

describe('when the code is not good', () => {
  it('answers an unknown code with invalid_grant', async () => {
    const lab = await newLab()
    expectError(await redeemConfidential(lab, 'no-such-code'), 400, 'invalid_grant')
  })

  it('answers a code at 601 s with invalid_grant', async () => {
    const lab = await newLab()
    const { code } = await getCode(lab)
    lab.clock.advance(601)
    expectError(await redeemConfidential(lab, code), 400, 'invalid_grant')
  })

  it('answers a replayed code with invalid_grant and revokes what the first use gave', async () => {
    const lab = await newLab()
    const { code } = await getCode(lab)
    const first = await redeemConfidential(lab, code)
    expect(first.status).toBe(200)
    const refreshToken = String(first.body.refresh_token)
    const jti = String(decodeJwt(String(first.body.access_token)).jti)
    expect(lab.world.state.as.accessTokens[jti]?.revoked).toBe(false)

    expectError(await redeemConfidential(lab, code), 400, 'invalid_grant')

    const as = lab.world.state.as
    expect(as.accessTokens[jti]?.revoked).toBe(true)
    expect(as.refreshTokens[refreshToken]?.revoked).toBe(true)
    expect(as.grants[grantOf(lab, refreshToken)]?.revoked).toBe(true)
    expectError(await refreshAsWeb(lab, refreshToken), 400, 'invalid_grant')
  })

  it('answers a replayed code without touching other grants', async () => {
    const lab = await newLab()
    const other = await webTokens(lab)
    const { code } = await getCode(lab)
    await redeemConfidential(lab, code)
    await redeemConfidential(lab, code)
    const otherJti = String(decodeJwt(String(other.access_token)).jti)
    expect(lab.world.state.as.accessTokens[otherJti]?.revoked).toBe(false)
    expect((await refreshAsWeb(lab, String(other.refresh_token))).status).toBe(200)
  })

  it("answers the confidential client's code redeemed by the public client with invalid_grant", async () => {
    const lab = await newLab()
    const { code } = await getCode(lab)
    const res = await redeemPublic(lab, code, { redirect_uri: WEB_CALLBACK })
    expectError(res, 400, 'invalid_grant')
  })

  it("answers the public client's code redeemed by the confidential client with invalid_grant", async () => {
    const lab = await newLab()
    const { code } = await getCode(lab, { client: 'public' })
    const res = await redeemConfidential(lab, code, { redirect_uri: SPA_CALLBACK })
    expectError(res, 400, 'invalid_grant')
    expect((await redeemPublic(lab, code)).status).toBe(200)
  })

  it.each<[string, Fields]>([
    ['another redirect_uri', { redirect_uri: 'https://client.example/other' }],
    ['a redirect_uri with a trailing slash', { redirect_uri: `${WEB_CALLBACK}/` }],
    ['no code_verifier', { code_verifier: undefined }],
    ['a wrong code_verifier', { code_verifier: OTHER_VERIFIER }],
    [
      'the code_challenge as code_verifier',
      { code_verifier: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' },
    ],
  ])('answers a code with %s with invalid_grant', async (_, extra) => {
    const lab = await newLab()
    const { code } = await getCode(lab)
    expectError(await redeemConfidential(lab, code, extra), 400, 'invalid_grant')
    expect(lab.world.state.as.codes[code]?.used).toBe(false)
  })

  it('answers a redirect_uri sent only at the token endpoint that differs from the registered one with invalid_grant', async () => {
    const lab = await newLab()
    const { code } = await getCode(lab, { redirect_uri: undefined })
    const res = await redeemConfidential(lab, code, {
      redirect_uri: 'https://client.example/other',
    })
    expectError(res, 400, 'invalid_grant')
  })

  it('answers a code_verifier for a code issued without code_challenge (PKCE downgrade) with invalid_grant', async () => {
    const lab = await newLab()
    const { code } = await getCode(lab, {
      code_challenge: undefined,
      code_challenge_method: undefined,
    })
    expectError(await redeemConfidential(lab, code), 400, 'invalid_grant')
  })

  it('answers the public client without code_verifier with invalid_grant', async () => {
    const lab = await newLab()
    const { code } = await getCode(lab, { client: 'public' })
    expectError(await redeemPublic(lab, code, { code_verifier: undefined }), 400, 'invalid_grant')
  })
})

describe('when a client uses a refresh token', () => {
  it('answers with new tokens and a rotated refresh token', async () => {
    const lab = await newLab()
    const first = await webTokens(lab)
    const old = String(first.refresh_token)
    lab.clock.advance(60)
    const res = await refreshAsWeb(lab, old)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('pragma')).toBe('no-cache')
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: SCOPE })
    const fresh = String(res.body.refresh_token)
    expect(fresh).not.toBe(old)
    expect(res.body.access_token).not.toBe(first.access_token)
    const at = decodeJwt(String(res.body.access_token))
    expect(at).toMatchObject({ client_id: 'demo-web-app', scope: SCOPE, aud: API })
    expect(at.exp).toBe((at.iat ?? 0) + 3600)
    const as = lab.world.state.as
    expect(as.refreshTokens[old]?.rotatedAt).toBe(T0 / 1000 + 60)
    expect(as.refreshTokens[fresh]).toMatchObject({ rotatedAt: null, revoked: false, scope: SCOPE })
    expect(grantOf(lab, fresh)).toBe(grantOf(lab, old))
  })

  it('answers the public client with a rotated refresh token too', async () => {
    const lab = await newLab()
    const first = await spaTokens(lab)
    const res = await tokenAsSpa(lab, {
      grant_type: 'refresh_token',
      refresh_token: String(first.refresh_token),
    })
    expect(res.status).toBe(200)
    expect(res.body.refresh_token).not.toBe(first.refresh_token)
    expect(decodeJwt(String(res.body.access_token)).client_id).toBe('demo-spa')
  })

  it('answers reuse of a rotated refresh token with invalid_grant and revokes the whole family', async () => {
    const lab = await newLab()
    const first = await webTokens(lab)
    const old = String(first.refresh_token)
    const second = await refreshAsWeb(lab, old)
    expect(second.status).toBe(200)
    const newest = String(second.body.refresh_token)

    expectError(await refreshAsWeb(lab, old), 400, 'invalid_grant')

    const as = lab.world.state.as
    const grantId = grantOf(lab, old)
    expect(as.grants[grantId]?.revoked).toBe(true)
    expect(as.refreshTokens[newest]?.revoked).toBe(true)
    for (const at of Object.values(as.accessTokens).filter((t) => t.grantId === grantId)) {
      expect(at.revoked).toBe(true)
    }
    expectError(await refreshAsWeb(lab, newest), 400, 'invalid_grant')
  })

  it('answers a narrower scope with a narrower access token while the refresh token keeps the grant', async () => {
    const lab = await newLab()
    const first = await webTokens(lab)
    const res = await refreshAsWeb(lab, String(first.refresh_token), { scope: 'photos.read' })
    expect(res.status).toBe(200)
    expect(res.body.scope).toBe('photos.read')
    expect(decodeJwt(String(res.body.access_token)).scope).toBe('photos.read')
    expect(res.body).not.toHaveProperty('id_token')
    const fresh = String(res.body.refresh_token)
    expect(lab.world.state.as.refreshTokens[fresh]?.scope).toBe(SCOPE)

    const again = await refreshAsWeb(lab, fresh)
    expect(again.status).toBe(200)
    expect(again.body.scope).toBe(SCOPE)
  })

  it.each<[string, string]>([
    ['a scope outside the grant', 'openid photos.write'],
    ['an unknown scope', 'photos.delete'],
  ])('answers %s with invalid_scope', async (_, scope) => {
    const lab = await newLab()
    const first = await webTokens(lab)
    const rt = String(first.refresh_token)
    expectError(await refreshAsWeb(lab, rt, { scope }), 400, 'invalid_scope')
    expect(lab.world.state.as.refreshTokens[rt]?.rotatedAt).toBeNull()
    expect((await refreshAsWeb(lab, rt)).status).toBe(200)
  })

  it("answers the other client's refresh token with invalid_grant", async () => {
    const lab = await newLab()
    const spa = await spaTokens(lab)
    const rt = String(spa.refresh_token)
    expectError(await refreshAsWeb(lab, rt), 400, 'invalid_grant')
    expect(lab.world.state.as.refreshTokens[rt]).toMatchObject({ rotatedAt: null, revoked: false })
  })

  it('answers a missing refresh_token with invalid_request', async () => {
    const lab = await newLab()
    expectError(await refreshAsWeb(lab, undefined), 400, 'invalid_request')
  })

  it('answers an unknown refresh token with invalid_grant', async () => {
    const lab = await newLab()
    expectError(await refreshAsWeb(lab, 'no-such-token'), 400, 'invalid_grant')
  })

  it('answers a refresh token after 31 days with invalid_grant', async () => {
    const lab = await newLab()
    const first = await webTokens(lab)
    lab.clock.advance(31 * 24 * 3600)
    expectError(await refreshAsWeb(lab, String(first.refresh_token)), 400, 'invalid_grant')
  })

  it('answers a refresh token after 29 days with tokens', async () => {
    const lab = await newLab()
    const first = await webTokens(lab)
    lab.clock.advance(29 * 24 * 3600)
    expect((await refreshAsWeb(lab, String(first.refresh_token))).status).toBe(200)
  })

  it('answers an access token presented as refresh token with invalid_grant', async () => {
    const lab = await newLab()
    const first = await webTokens(lab)
    expectError(await refreshAsWeb(lab, String(first.access_token)), 400, 'invalid_grant')
  })
})
