import { decodeJwt, generateKeyPair, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import type { Lab } from '../../src/index.ts'
import {
  asConfidentialClient,
  basic,
  bearer,
  bearerChallenge,
  fetchJson,
  newLab,
  postForm,
  tokensFor,
  type JsonResponse,
} from './helpers.ts'

const USERINFO = 'https://auth.example/userinfo'

async function accessToken(lab: Lab, scope = 'openid profile'): Promise<string> {
  return (await tokensFor(lab, 'confidential', scope)).access_token
}

/** Calls UserInfo (unless `url` says otherwise) through lab.fetch and parses the answer. */
function call(lab: Lab, init: RequestInit & { url?: string } = {}): Promise<JsonResponse> {
  const { url = USERINFO, ...rest } = init
  return fetchJson(lab, url, rest)
}

describe('when the token carries openid and profile', () => {
  it('answers 200 with sub and the profile claims', async () => {
    const lab = await newLab()
    const res = await call(lab, { headers: bearer(await accessToken(lab, 'openid profile')) })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.body).toEqual({
      sub: 'alice-7c9e',
      name: 'Alice Liddell',
      given_name: 'Alice',
      family_name: 'Liddell',
      preferred_username: 'alice',
    })
  })

  it('answers with the same sub as the ID token (OpenID Connect Core §5.3.2)', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab, 'confidential', 'openid profile')
    const res = await call(lab, { headers: bearer(t.access_token) })
    expect(res.body.sub).toBe(decodeJwt(String(t.id_token)).sub)
  })

  it('answers 200 for the public client’s token, with CORS for its page', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab, 'public', 'openid profile')
    const res = await call(lab, {
      headers: { ...bearer(t.access_token), Origin: 'https://spa.example' },
    })
    expect(res.status).toBe(200)
    expect(res.body.sub).toBe('alice-7c9e')
    expect(res.headers.get('access-control-allow-origin')).toBe('https://spa.example')
  })
})

describe('when the token carries openid only', () => {
  it('answers 200 with sub only', async () => {
    const lab = await newLab()
    const res = await call(lab, { headers: bearer(await accessToken(lab, 'openid')) })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ sub: 'alice-7c9e' })
  })
})

describe('when the token lacks openid', () => {
  it.each(['profile', 'photos.read', 'profile photos.read photos.write'])(
    'answers 403 insufficient_scope naming openid for scope "%s"',
    async (scope) => {
      const lab = await newLab()
      const res = await call(lab, { headers: bearer(await accessToken(lab, scope)) })
      expect(res.status).toBe(403)
      expect(res.body.error).toBe('insufficient_scope')
      expect(bearerChallenge(res.headers)).toMatchObject({
        realm: 'auth.example',
        error: 'insufficient_scope',
        scope: 'openid',
      })
    },
  )
})

describe('when the request carries no bearer token', () => {
  it.each([
    ['no Authorization header', {}],
    ['a Basic Authorization header', { Authorization: basic('alice', 'wonderland') }],
  ])('answers 401 with a bare Bearer challenge for %s', async (_name, headers) => {
    const lab = await newLab()
    const res = await call(lab, { headers })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="auth.example"')
    expect(res.body.error).toBeUndefined()
  })
})

describe('when the bearer token is sent in a malformed way', () => {
  it('answers 400 invalid_request for a token in the query string', async () => {
    const lab = await newLab()
    const token = await accessToken(lab)
    const res = await call(lab, { url: `${USERINFO}?access_token=${token}` })
    expect(res.status).toBe(400)
    expect(bearerChallenge(res.headers).error).toBe('invalid_request')
  })

  it.each([
    ['Bearer with nothing after it', () => 'Bearer'],
    ['Bearer with two tokens', (t: string) => `Bearer ${t} ${t}`],
  ])('answers 400 invalid_request for %s', async (_name, header) => {
    const lab = await newLab()
    const token = await accessToken(lab)
    const res = await call(lab, { headers: { Authorization: header(token) } })
    expect(res.status).toBe(400)
    expect(bearerChallenge(res.headers).error).toBe('invalid_request')
  })
})

describe('when the token is not valid', () => {
  type Setup = (lab: Lab, token: string, idToken: string) => Promise<string> | string

  const cases: [string, Setup][] = [
    [
      'revoked',
      async (lab, token) => {
        const res = await postForm(lab, '/revoke', { token }, asConfidentialClient(lab))
        expect(res.status).toBe(200)
        return token
      },
    ],
    [
      'expired',
      (lab, token) => {
        lab.clock.advance(3601)
        return token
      },
    ],
    [
      'forged (payload altered, signature kept)',
      (_lab, token) => {
        const [h, , s] = token.split('.')
        const claims = { ...decodeJwt(token), sub: 'mallory' }
        return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`
      },
    ],
    [
      'forged (signed by another key)',
      async (_lab, token) => {
        const { privateKey } = await generateKeyPair('RS256')
        return new SignJWT(decodeJwt(token))
          .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'test-key' })
          .sign(privateKey)
      },
    ],
    ['an ID token', (_lab, _token, idToken) => idToken],
    ['unknown', () => 'no-such-token'],
  ]

  it.each(cases)('answers 401 invalid_token for a token that is %s', async (_name, setup) => {
    const lab = await newLab()
    const t = await tokensFor(lab, 'confidential', 'openid profile')
    const token = await setup(lab, t.access_token, String(t.id_token))
    const res = await call(lab, { headers: bearer(token) })
    expect(res.status).toBe(401)
    expect(res.body.error).toBe('invalid_token')
    expect(bearerChallenge(res.headers)).toMatchObject({
      realm: 'auth.example',
      error: 'invalid_token',
    })
  })
})

describe('when the token comes in a POST form body (OpenID Connect Core §5.3.1)', () => {
  it('answers 200 with the claims', async () => {
    const lab = await newLab()
    const token = await accessToken(lab, 'openid profile')
    const res = await call(lab, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: token }),
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ sub: 'alice-7c9e', preferred_username: 'alice' })
  })

  it('answers 200 for POST with the Authorization header', async () => {
    const lab = await newLab()
    const res = await call(lab, {
      method: 'POST',
      headers: bearer(await accessToken(lab, 'openid')),
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ sub: 'alice-7c9e' })
  })

  it('answers 400 invalid_request for a token in both the header and the body', async () => {
    const lab = await newLab()
    const token = await accessToken(lab)
    const res = await call(lab, {
      method: 'POST',
      headers: { ...bearer(token), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: token }),
    })
    expect(res.status).toBe(400)
    expect(bearerChallenge(res.headers).error).toBe('invalid_request')
  })
})

describe('when the method is neither GET nor POST', () => {
  it.each(['PUT', 'DELETE', 'PATCH'])('answers 405 with Allow for %s', async (method) => {
    const lab = await newLab()
    const res = await call(lab, { method, headers: bearer(await accessToken(lab)) })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET, POST')
  })
})
