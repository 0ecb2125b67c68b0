import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import type { Lab } from '../../src/index.ts'
import {
  asConfidentialClient,
  asResourceServer,
  basic,
  newLab,
  postForm,
  refreshAs,
  T0,
  tokensFor,
  type Tokens,
} from './helpers.ts'

function introspect(
  lab: Lab,
  fields: Record<string, string | undefined>,
  headers: Record<string, string> = asConfidentialClient(lab),
) {
  return postForm(lab, '/introspect', fields, headers)
}

describe('when the confidential client introspects its own access token', () => {
  it('answers active: true with the token’s metadata (RFC 7662 §2.2)', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab)
    const res = await introspect(lab, { token: t.access_token, token_type_hint: 'access_token' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(res.headers.get('cache-control')).toBe('no-store')
    const iat = Math.floor(T0 / 1000)
    expect(res.body).toEqual({
      active: true,
      scope: 'openid profile photos.read',
      client_id: 'demo-web-app',
      username: 'alice',
      token_type: 'Bearer',
      exp: iat + 3600,
      iat,
      sub: 'alice-7c9e',
      aud: 'https://api.example',
      iss: 'https://auth.example',
      jti: decodeJwt(t.access_token).jti,
    })
  })

  it('answers active: true with client_secret_post too', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab)
    const c = lab.clients.confidential
    const res = await introspect(
      lab,
      { token: t.access_token, client_id: c.client_id, client_secret: c.client_secret },
      {},
    )
    expect(res.status).toBe(200)
    expect(res.body.active).toBe(true)
  })

  it('answers active: true whatever the token_type_hint', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab)
    const res = await introspect(lab, { token: t.access_token, token_type_hint: 'refresh_token' })
    expect(res.body.active).toBe(true)
  })
})

describe('when the confidential client introspects its own refresh token', () => {
  it('answers active: true with client_id, scope and sub', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab)
    const res = await introspect(lab, { token: t.refresh_token, token_type_hint: 'refresh_token' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      active: true,
      scope: 'openid profile photos.read',
      client_id: 'demo-web-app',
      username: 'alice',
      sub: 'alice-7c9e',
      iss: 'https://auth.example',
    })
    expect(res.body.exp).toBeGreaterThan(Number(res.body.iat))
  })
})

describe('when the confidential client introspects another client’s token', () => {
  it.each(['access_token', 'refresh_token'] as const)(
    'answers active: false for the public client’s %s',
    async (which) => {
      const lab = await newLab()
      const theirs = await tokensFor(lab, 'public')
      const res = await introspect(lab, { token: theirs[which] })
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ active: false })
    },
  )
})

describe('when the resource server introspects with its own credentials', () => {
  it.each([
    ['the confidential client’s access token', 'confidential', 'access_token', 'demo-web-app'],
    ['the public client’s access token', 'public', 'access_token', 'demo-spa'],
    ['the public client’s refresh token', 'public', 'refresh_token', 'demo-spa'],
  ] as const)('answers active: true for %s', async (_name, who, which, clientId) => {
    const lab = await newLab()
    const t = await tokensFor(lab, who)
    const res = await introspect(lab, { token: t[which] }, asResourceServer(lab))
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ active: true, client_id: clientId, sub: 'alice-7c9e' })
  })

  it('answers 401 invalid_client with a wrong resource secret', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab)
    const res = await introspect(
      lab,
      { token: t.access_token },
      { Authorization: basic(lab.world.state.rs.resourceId, 'wrong') },
    )
    expect(res.status).toBe(401)
    expect(res.body.error).toBe('invalid_client')
  })
})

describe('when the token is not active', () => {
  type Setup = (lab: Lab, t: Tokens) => Promise<string> | string

  const cases: [string, Setup][] = [
    [
      'a revoked access token',
      async (lab, t) => {
        expect(
          (await postForm(lab, '/revoke', { token: t.access_token }, asConfidentialClient(lab)))
            .status,
        ).toBe(200)
        return t.access_token
      },
    ],
    [
      'a revoked refresh token',
      async (lab, t) => {
        await postForm(lab, '/revoke', { token: t.refresh_token }, asConfidentialClient(lab))
        return t.refresh_token
      },
    ],
    [
      'an access token past its exp',
      (lab, t) => {
        lab.clock.advance(3601)
        return t.access_token
      },
    ],
    [
      'an access token exactly at its exp',
      (lab, t) => {
        lab.clock.advance(3600)
        return t.access_token
      },
    ],
    [
      'a rotated refresh token',
      async (lab, t) => {
        const res = await refreshAs(lab, 'confidential', t.refresh_token)
        expect(res.status).toBe(200)
        return t.refresh_token
      },
    ],
    [
      'an access token whose payload was altered',
      (_lab, t) => {
        const [h, , s] = t.access_token.split('.')
        const claims = { ...decodeJwt(t.access_token), scope: 'photos.write' }
        return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`
      },
    ],
    ['an ID token', (_lab, t) => t.id_token],
    ['an unknown token', () => 'no-such-token'],
    ['garbage', () => '%%%\u0000not a token'],
  ]

  it.each(cases)('answers active: false for %s', async (_name, setup) => {
    const lab = await newLab()
    const token = await setup(lab, await tokensFor(lab))
    for (const headers of [asConfidentialClient(lab), asResourceServer(lab)]) {
      const res = await introspect(lab, { token }, headers)
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(res.body).toEqual({ active: false })
    }
  })

  it('answers active: true for the access token one second before its exp', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab)
    lab.clock.advance(3599)
    expect((await introspect(lab, { token: t.access_token })).body.active).toBe(true)
  })

  it('answers active: true for the refresh token that replaced a rotated one', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab)
    const res = await refreshAs(lab, 'confidential', t.refresh_token)
    const fresh = String(res.body.refresh_token)
    expect((await introspect(lab, { token: fresh })).body.active).toBe(true)
  })
})

describe('when the request is refused', () => {
  it.each([
    ['no token', {}],
    ['an empty token', { token: '' }],
  ])('answers 400 invalid_request for %s', async (_name, fields) => {
    const lab = await newLab()
    const res = await introspect(lab, fields)
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_request')
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('answers 401 invalid_client for the public client with client_id only', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab, 'public')
    const res = await introspect(lab, { token: t.access_token, client_id: 'demo-spa' }, {})
    expect(res.status).toBe(401)
    expect(res.body.error).toBe('invalid_client')
  })

  it.each([
    ['no credentials', {}, {}],
    ['the confidential client_id without a secret', { client_id: 'demo-web-app' }, {}],
    ['a wrong client_secret in the body', { client_id: 'demo-web-app', client_secret: 'nope' }, {}],
  ])('answers 401 invalid_client for %s', async (_name, fields, headers) => {
    const lab = await newLab()
    const t = await tokensFor(lab)
    const res = await introspect(lab, { token: t.access_token, ...fields }, headers)
    expect(res.status).toBe(401)
    expect(res.body.error).toBe('invalid_client')
    expect(res.body.active).toBeUndefined()
  })

  it('answers 401 invalid_client with a Basic challenge for a wrong secret in HTTP Basic', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab)
    const res = await introspect(
      lab,
      { token: t.access_token },
      { Authorization: basic(lab.clients.confidential.client_id, 'wrong') },
    )
    expect(res.status).toBe(401)
    expect(res.body.error).toBe('invalid_client')
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="auth\.example"/)
  })

  it('answers 405 with Allow: POST for GET', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab)
    const res = await lab.fetch(`${lab.issuer}/introspect?token=${t.access_token}`, {
      headers: asConfidentialClient(lab),
    })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
  })

  it('answers 400 invalid_request for a body that is not a form', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab)
    const res = await lab.fetch(`${lab.issuer}/introspect`, {
      method: 'POST',
      headers: { ...asConfidentialClient(lab), 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: t.access_token }),
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request')
  })
})
