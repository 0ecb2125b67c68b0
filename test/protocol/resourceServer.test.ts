import { decodeJwt, decodeProtectedHeader, generateKeyPair, importJWK, SignJWT } from 'jose'
import type { JWTPayload } from 'jose'
import { describe, expect, it } from 'vitest'
import type { Lab } from '../../src/index.ts'
import {
  basic,
  bearer,
  bearerChallenge,
  fetchJson,
  getCode,
  newLab,
  postForm,
  redeemConfidential,
  type JsonResponse,
} from './helpers.ts'

const PHOTOS = 'https://api.example/photos'
const ALICE = 'alice-7c9e'

/** Signs in alice for the confidential client with the given scope and returns the token response. */
async function tokens(lab: Lab, scope: string): Promise<Record<string, unknown>> {
  const { code } = await getCode(lab, { scope })
  const res = await redeemConfidential(lab, code)
  expect(res.status).toBe(200)
  return res.body
}

async function accessToken(lab: Lab, scope = 'photos.read'): Promise<string> {
  return String((await tokens(lab, scope)).access_token)
}

/** Calls the API (GET /photos unless `url` says otherwise) through lab.fetch and parses the answer. */
function call(lab: Lab, init: RequestInit & { url?: string } = {}): Promise<JsonResponse> {
  const { url = PHOTOS, ...rest } = init
  return fetchJson(lab, url, rest)
}

/** Signs claims with the authorization server's real key. */
async function signWithRealKey(
  lab: Lab,
  claims: JWTPayload,
  header: { typ: string } = { typ: 'at+jwt' },
): Promise<string> {
  const key = lab.world.state.keys[0]
  if (!key) throw new Error('no signing key')
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, ...header })
    .sign(await importJWK(key.privateJwk, 'RS256'))
}

/** The same header and claims as `token`, signed with a freshly generated key. */
async function signWithOtherKey(token: string, kid?: string): Promise<string> {
  const header = decodeProtectedHeader(token)
  const { privateKey } = await generateKeyPair('RS256')
  return new SignJWT(decodeJwt(token))
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: kid ?? header.kid })
    .sign(privateKey)
}

/** Replaces the payload of a JWT and keeps its signature. */
function alterPayload(token: string, change: (claims: JWTPayload) => JWTPayload): string {
  const [header, , signature] = token.split('.')
  const payload = Buffer.from(JSON.stringify(change(decodeJwt(token)))).toString('base64url')
  return `${header}.${payload}.${signature}`
}

/** The resource server's back-channel calls to `url`. */
function backCallsTo(lab: Lab, url: string) {
  return lab.exchanges.filter(
    (e) => e.from === 'resource-server' && e.channel === 'back' && e.request.url === url,
  )
}

const jwksFetches = (lab: Lab) => backCallsTo(lab, 'https://auth.example/jwks')
const introspectionCalls = (lab: Lab) => backCallsTo(lab, 'https://auth.example/introspect')

describe('when a client calls GET /photos with a photos.read token', () => {
  it("answers 200 with alice's photos", async () => {
    const lab = await newLab()
    const res = await call(lab, { headers: bearer(await accessToken(lab)) })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.body).toEqual({
      owner: ALICE,
      photos: [
        { id: 'p1', title: 'White Rabbit at dusk' },
        { id: 'p2', title: 'Tea party, long table' },
        { id: 'p3', title: 'Cheshire grin' },
      ],
    })
  })

  it('answers 200 when the scheme name is in another case (RFC 7235 §2.1)', async () => {
    const lab = await newLab()
    const token = await accessToken(lab)
    const res = await call(lab, { headers: { Authorization: `bearer ${token}` } })
    expect(res.status).toBe(200)
  })

  it('answers with the token accepted in lastValidation', async () => {
    const lab = await newLab()
    await call(lab, { headers: bearer(await accessToken(lab, 'openid photos.read')) })
    expect(lab.world.state.rs.lastValidation).toEqual({
      at: lab.clock.now(),
      method: 'GET',
      path: '/photos',
      outcome: 'accepted',
      status: 200,
      reason: expect.any(String),
      sub: ALICE,
      scope: 'openid photos.read',
    })
  })
})

describe('when a client calls POST /photos with a photos.write token', () => {
  it('answers 201 and the photo then appears in GET /photos', async () => {
    const lab = await newLab()
    const token = await accessToken(lab, 'photos.read photos.write')
    const created = await call(lab, {
      method: 'POST',
      headers: { ...bearer(token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: '  Mad Hatter  ' }),
    })
    expect(created.status).toBe(201)
    expect(created.body).toEqual({ id: expect.stringMatching(/^p-/), title: 'Mad Hatter' })
    expect(created.headers.get('location')).toBe(`${PHOTOS}/${String(created.body.id)}`)
    expect(lab.world.state.rs.lastValidation).toMatchObject({
      method: 'POST',
      outcome: 'accepted',
      sub: ALICE,
    })

    const list = await call(lab, { headers: bearer(token) })
    expect(list.status).toBe(200)
    expect(list.body.photos).toContainEqual({ id: created.body.id, title: 'Mad Hatter' })
    expect(list.body.photos).toHaveLength(4)
  })

  it('answers 201 for a form body with a title', async () => {
    const lab = await newLab()
    const token = await accessToken(lab, 'photos.write')
    const res = await call(lab, {
      method: 'POST',
      headers: { ...bearer(token), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ title: 'Queen of Hearts' }),
    })
    expect(res.status).toBe(201)
    expect(res.body.title).toBe('Queen of Hearts')
  })

  it.each([
    ['invalid JSON', 'application/json', '{"title":'],
    ['JSON without a title', 'application/json', '{"name":"x"}'],
    ['a title that is not a string', 'application/json', '{"title":42}'],
    ['a blank title', 'application/json', '{"title":"   "}'],
    ['a title of 201 characters', 'application/json', JSON.stringify({ title: 'x'.repeat(201) })],
    ['a form without a title', 'application/x-www-form-urlencoded', 'name=x'],
    ['a text/plain body', 'text/plain', 'A photo'],
  ])('answers 400 invalid_request for %s', async (_name, contentType, body) => {
    const lab = await newLab()
    const token = await accessToken(lab, 'photos.read photos.write')
    const res = await call(lab, {
      method: 'POST',
      headers: { ...bearer(token), 'Content-Type': contentType },
      body,
    })
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_request')
    expect(lab.world.state.rs.photos).toHaveLength(3)
  })
})

describe('when a client calls POST /photos with a photos.read token only', () => {
  it('answers 403 insufficient_scope naming photos.write', async () => {
    const lab = await newLab()
    const res = await call(lab, {
      method: 'POST',
      headers: {
        ...bearer(await accessToken(lab, 'photos.read')),
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ title: 'Not allowed' }),
    })
    expect(res.status).toBe(403)
    expect(res.body.error).toBe('insufficient_scope')
    expect(bearerChallenge(res.headers)).toMatchObject({
      realm: 'api.example',
      error: 'insufficient_scope',
      scope: 'photos.write',
    })
    expect(lab.world.state.rs.photos).toHaveLength(3)
    expect(lab.world.state.rs.lastValidation).toMatchObject({
      outcome: 'refused',
      status: 403,
      sub: ALICE,
      scope: 'photos.read',
    })
  })

  it('answers 403 for GET with a token that has only photos.write', async () => {
    const lab = await newLab()
    const res = await call(lab, { headers: bearer(await accessToken(lab, 'photos.write')) })
    expect(res.status).toBe(403)
    expect(bearerChallenge(res.headers)).toMatchObject({
      error: 'insufficient_scope',
      scope: 'photos.read',
    })
  })
})

describe('when the request carries no bearer token', () => {
  it.each([
    ['no Authorization header', {}],
    ['a Basic Authorization header', { Authorization: basic('alice', 'wonderland') }],
    ['a Digest Authorization header', { Authorization: 'Digest username="alice"' }],
  ])('answers 401 with a bare Bearer challenge for %s', async (_name, headers) => {
    const lab = await newLab()
    const res = await call(lab, { headers })
    expect(res.status).toBe(401)
    // RFC 6750 §3.1: no error code when the request had no authentication information.
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api.example"')
    expect(res.body.error).toBeUndefined()
    expect(lab.world.state.rs.lastValidation).toMatchObject({
      outcome: 'refused',
      status: 401,
      reason: expect.any(String),
      sub: null,
      scope: null,
    })
  })
})

describe('when the bearer token is sent in a malformed way', () => {
  it.each([
    ['Bearer with nothing after it', () => 'Bearer'],
    ['Bearer with two tokens', (t: string) => `Bearer ${t} ${t}`],
    ['Bearer with characters outside b64token', () => 'Bearer abc$def'],
    ['Bearer with a quoted token', (t: string) => `Bearer "${t}"`],
  ])('answers 400 invalid_request for %s', async (_name, header) => {
    const lab = await newLab()
    const token = await accessToken(lab)
    const res = await call(lab, { headers: { Authorization: header(token) } })
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_request')
    expect(bearerChallenge(res.headers)).toMatchObject({
      realm: 'api.example',
      error: 'invalid_request',
    })
    expect(lab.world.state.rs.lastValidation).toMatchObject({ outcome: 'refused', status: 400 })
  })

  it('answers 400 invalid_request for a token in the query string, even a valid one', async () => {
    const lab = await newLab()
    const token = await accessToken(lab)
    const res = await call(lab, { url: `${PHOTOS}?access_token=${token}` })
    expect(res.status).toBe(400)
    expect(bearerChallenge(res.headers).error).toBe('invalid_request')
  })

  it('answers 400 invalid_request for a token in both the header and the form body', async () => {
    const lab = await newLab()
    const token = await accessToken(lab, 'photos.write')
    const res = await call(lab, {
      method: 'POST',
      headers: { ...bearer(token), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: token, title: 'Twice' }),
    })
    expect(res.status).toBe(400)
    expect(bearerChallenge(res.headers).error).toBe('invalid_request')
    expect(lab.world.state.rs.photos).toHaveLength(3)
  })

  it.each([
    ['an empty access_token', 'access_token=&title=x'],
    ['a repeated access_token', 'access_token=a&access_token=b&title=x'],
  ])('answers 400 invalid_request for a form body with %s', async (_name, body) => {
    const lab = await newLab()
    const res = await call(lab, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    })
    expect(res.status).toBe(400)
    expect(bearerChallenge(res.headers).error).toBe('invalid_request')
  })
})

describe('when the token comes in a form body (RFC 6750 §2.2)', () => {
  it('answers 201 and accepts it', async () => {
    const lab = await newLab()
    const token = await accessToken(lab, 'photos.write')
    const res = await call(lab, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: token, title: 'Caterpillar' }),
    })
    expect(res.status).toBe(201)
    expect(res.body.title).toBe('Caterpillar')
    expect(lab.world.state.rs.photos.map((p) => p.title)).toContain('Caterpillar')
  })
})

describe('when the token does not validate', () => {
  type Forge = (lab: Lab, token: string, idToken: string) => Promise<string> | string

  const cases: [string, Forge][] = [
    ['a malformed JWT', () => 'not.a.jwt'],
    ['a token that is not a JWT at all', () => 'opaque-token-123'],
    [
      'an altered payload (scope widened, signature kept)',
      (_lab, t) => alterPayload(t, (c) => ({ ...c, scope: 'photos.read photos.write' })),
    ],
    [
      'an altered payload (sub changed)',
      (_lab, t) => alterPayload(t, (c) => ({ ...c, sub: 'mallory' })),
    ],
    ['a token signed by another key with the same kid', (_lab, t) => signWithOtherKey(t)],
    [
      'a token signed by another key with an unknown kid',
      (_lab, t) => signWithOtherKey(t, 'rogue'),
    ],
    ['typ JWT instead of at+jwt', (lab, t) => signWithRealKey(lab, decodeJwt(t), { typ: 'JWT' })],
    [
      'the wrong issuer',
      (lab, t) => signWithRealKey(lab, { ...decodeJwt(t), iss: 'https://evil.example' }),
    ],
    [
      'the wrong audience',
      (lab, t) => signWithRealKey(lab, { ...decodeJwt(t), aud: 'https://other-api.example' }),
    ],
    [
      'no jti',
      (lab, t) => {
        const { jti: _jti, ...claims } = decodeJwt(t)
        return signWithRealKey(lab, claims)
      },
    ],
    ['an ID token used as an access token', (_lab, _t, idToken) => idToken],
  ]

  it.each(cases)('answers 401 invalid_token for %s', async (_name, forge) => {
    const lab = await newLab()
    const body = await tokens(lab, 'openid photos.read')
    const token = await forge(lab, String(body.access_token), String(body.id_token))
    const res = await call(lab, { headers: bearer(token) })
    expect(res.status).toBe(401)
    expect(res.body.error).toBe('invalid_token')
    expect(bearerChallenge(res.headers)).toMatchObject({
      realm: 'api.example',
      error: 'invalid_token',
    })
    // RFC 6750 §3: error_description is limited to printable ASCII without '"' and '\\'.
    expect(bearerChallenge(res.headers).error_description).toMatch(
      /^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/,
    )
    expect(lab.world.state.rs.lastValidation).toMatchObject({
      outcome: 'refused',
      status: 401,
      reason: expect.any(String),
      sub: null,
    })
  })

  it('answers 401 invalid_token once the token has expired', async () => {
    const lab = await newLab()
    const token = await accessToken(lab)
    expect((await call(lab, { headers: bearer(token) })).status).toBe(200)
    lab.clock.advance(3601)
    const res = await call(lab, { headers: bearer(token) })
    expect(res.status).toBe(401)
    expect(bearerChallenge(res.headers).error).toBe('invalid_token')
    expect(lab.world.state.rs.lastValidation).toMatchObject({ outcome: 'refused', status: 401 })
  })
})

describe('when the resource server needs the authorization server’s keys', () => {
  it('answers after fetching the JWKS once on the back channel and caching it', async () => {
    const lab = await newLab()
    const token = await accessToken(lab, 'photos.read photos.write')
    expect(jwksFetches(lab)).toHaveLength(0)
    expect(lab.world.state.rs.jwks).toBeNull()

    await call(lab, { headers: bearer(token) })
    await call(lab, { headers: bearer(token) })
    await call(lab, {
      method: 'POST',
      headers: { ...bearer(token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Dormouse' }),
    })

    const fetches = jwksFetches(lab)
    expect(fetches).toHaveLength(1)
    expect(fetches[0]?.to).toBe('authorization-server')
    expect(fetches[0]?.request.method).toBe('GET')
    expect(fetches[0]?.response?.status).toBe(200)
    expect(lab.world.state.rs.jwks?.keys[0]?.kid).toBe(lab.world.state.keys[0]?.kid)
    expect(lab.world.state.rs.jwksFetchedAt).toBe(lab.clock.now())
  })

  it('answers 401 after fetching the JWKS again for a kid it does not know (key rotation)', async () => {
    const lab = await newLab()
    const token = await accessToken(lab)
    await call(lab, { headers: bearer(token) })
    expect(jwksFetches(lab)).toHaveLength(1)
    const res = await call(lab, { headers: bearer(await signWithOtherKey(token, 'rotated')) })
    expect(res.status).toBe(401)
    expect(jwksFetches(lab)).toHaveLength(2)
  })
})

describe('when the access token has been revoked', () => {
  async function revokedToken(lab: Lab): Promise<string> {
    const token = await accessToken(lab)
    const c = lab.clients.confidential
    const res = await postForm(
      lab,
      '/revoke',
      { token, token_type_hint: 'access_token' },
      { Authorization: basic(c.client_id, c.client_secret) },
    )
    expect(res.status).toBe(200)
    return token
  }

  it('answers 200 with local validation until the token expires (the honest lesson)', async () => {
    const lab = await newLab()
    const token = await revokedToken(lab)
    expect((await call(lab, { headers: bearer(token) })).status).toBe(200)
    expect(introspectionCalls(lab)).toHaveLength(0)
    lab.clock.advance(3601)
    const res = await call(lab, { headers: bearer(token) })
    expect(res.status).toBe(401)
    expect(bearerChallenge(res.headers).error).toBe('invalid_token')
  })

  it('answers 401 invalid_token at once with introspection', async () => {
    const lab = await newLab({ settings: { resourceServer: { tokenValidation: 'introspection' } } })
    const token = await accessToken(lab)
    expect((await call(lab, { headers: bearer(token) })).status).toBe(200)
    const c = lab.clients.confidential
    await postForm(
      lab,
      '/revoke',
      { token },
      { Authorization: basic(c.client_id, c.client_secret) },
    )

    const res = await call(lab, { headers: bearer(token) })
    expect(res.status).toBe(401)
    expect(bearerChallenge(res.headers)).toMatchObject({
      realm: 'api.example',
      error: 'invalid_token',
    })
    expect(lab.world.state.rs.lastValidation).toMatchObject({ outcome: 'refused', status: 401 })

    const calls = introspectionCalls(lab)
    expect(calls).toHaveLength(2)
    expect(calls.map((e) => e.to)).toEqual(['authorization-server', 'authorization-server'])
    expect(calls.map((e) => JSON.parse(e.response?.body ?? '{}').active)).toEqual([true, false])
    expect(jwksFetches(lab)).toHaveLength(0)
  })

  it('answers 403 insufficient_scope with introspection when the scope is short', async () => {
    const lab = await newLab({ settings: { resourceServer: { tokenValidation: 'introspection' } } })
    const res = await call(lab, {
      method: 'POST',
      headers: { ...bearer(await accessToken(lab)), 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'x' }),
    })
    expect(res.status).toBe(403)
    expect(bearerChallenge(res.headers)).toMatchObject({
      error: 'insufficient_scope',
      scope: 'photos.write',
    })
  })
})

describe('when the method or path is not served', () => {
  it('answers 405 with Allow for DELETE /photos', async () => {
    const lab = await newLab()
    const res = await call(lab, { method: 'DELETE', headers: bearer(await accessToken(lab)) })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET, POST')
  })

  it('answers 404 for an unknown path', async () => {
    const lab = await newLab()
    const res = await call(lab, {
      url: 'https://api.example/albums',
      headers: bearer(await accessToken(lab)),
    })
    expect(res.status).toBe(404)
    expect(res.body.error).toBe('not_found')
  })
})

describe('when a page calls the API from the browser (CORS)', () => {
  const preflight = (origin: string) => ({
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization, content-type',
    },
  })

  it('answers a preflight from https://spa.example with the allowed origin and headers', async () => {
    const lab = await newLab()
    const res = await call(lab, preflight('https://spa.example'))
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://spa.example')
    expect(res.headers.get('vary')).toBe('Origin')
    const allowed = (res.headers.get('access-control-allow-headers') ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
    expect(allowed).toContain('authorization')
    expect(allowed).toContain('content-type')
    expect(res.headers.get('access-control-allow-methods')).toContain('POST')
  })

  it.each(['https://evil.example', 'https://client.example', 'null'])(
    'answers a preflight from %s without Access-Control-Allow-Origin',
    async (origin) => {
      const lab = await newLab()
      const res = await call(lab, preflight(origin))
      expect(res.headers.get('access-control-allow-origin')).toBeNull()
      expect(res.headers.get('access-control-allow-headers')).toBeNull()
    },
  )

  it('answers GET and its errors from https://spa.example with Access-Control-Allow-Origin', async () => {
    const lab = await newLab()
    const token = await accessToken(lab)
    const ok = await call(lab, { headers: { ...bearer(token), Origin: 'https://spa.example' } })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://spa.example')
    const refused = await call(lab, { headers: { Origin: 'https://spa.example' } })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://spa.example')
  })

  it('answers GET from another origin without Access-Control-Allow-Origin', async () => {
    const lab = await newLab()
    const res = await call(lab, {
      headers: { ...bearer(await accessToken(lab)), Origin: 'https://evil.example' },
    })
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })
})
