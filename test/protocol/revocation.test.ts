import { describe, expect, it } from 'vitest'
import type { Lab } from '../../src/index.ts'
import {
  asConfidentialClient,
  asResourceServer,
  basic,
  newLab,
  postForm,
  refreshAs,
  tokensFor,
  type Tokens,
} from './helpers.ts'

type Who = 'confidential' | 'public'

/** How each client authenticates at /revoke. */
function credentials(
  lab: Lab,
  who: Who,
): { fields: Record<string, string>; headers: Record<string, string> } {
  if (who === 'public') return { fields: { client_id: lab.clients.public.client_id }, headers: {} }
  return { fields: {}, headers: asConfidentialClient(lab) }
}

function revoke(lab: Lab, fields: Record<string, string | undefined>, who: Who = 'confidential') {
  const auth = credentials(lab, who)
  return postForm(lab, '/revoke', { ...auth.fields, ...fields }, auth.headers)
}

/** Introspects with the resource server's credentials, which may see every token. */
async function active(lab: Lab, token: string): Promise<unknown> {
  const res = await postForm(lab, '/introspect', { token }, asResourceServer(lab))
  expect(res.status).toBe(200)
  return res.body.active
}

describe('when the confidential client revokes its refresh token', () => {
  it('answers 200 with no-store and revokes the whole grant', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab)
    const res = await revoke(lab, { token: t.refresh_token, token_type_hint: 'refresh_token' })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('pragma')).toBe('no-cache')

    const again = await refreshAs(lab, 'confidential', t.refresh_token)
    expect(again.status).toBe(400)
    expect(again.body.error).toBe('invalid_grant')
    // RFC 7009 §2.1: the access tokens of the same grant go too.
    expect(await active(lab, t.access_token)).toBe(false)
    expect(await active(lab, t.refresh_token)).toBe(false)
  })

  it('answers 200 again when the same token is revoked twice', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab)
    expect((await revoke(lab, { token: t.refresh_token })).status).toBe(200)
    expect((await revoke(lab, { token: t.refresh_token })).status).toBe(200)
  })
})

describe('when the confidential client revokes its access token', () => {
  it('answers 200 and introspection then says active: false', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab)
    expect(await active(lab, t.access_token)).toBe(true)
    const res = await revoke(lab, { token: t.access_token, token_type_hint: 'access_token' })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await active(lab, t.access_token)).toBe(false)
  })

  it('answers 200 and leaves the refresh token of the grant usable (RFC 7009 §2.1 MAY)', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab)
    await revoke(lab, { token: t.access_token })
    expect(await active(lab, t.refresh_token)).toBe(true)
    expect((await refreshAs(lab, 'confidential', t.refresh_token)).status).toBe(200)
  })
})

describe('when the token is unknown', () => {
  it.each(['no-such-token', 'eyJhbGciOiJub25lIn0.e30.', 'a.b.c'])(
    'answers 200 for %s (RFC 7009 §2.2)',
    async (token) => {
      const lab = await newLab()
      const res = await revoke(lab, { token })
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('no-store')
    },
  )
})

describe('when token_type_hint names the wrong type', () => {
  it.each([
    ['a refresh token hinted as access_token', 'refresh_token', 'access_token'],
    ['an access token hinted as refresh_token', 'access_token', 'refresh_token'],
  ] as const)('answers 200 and still revokes %s', async (_name, which, hint) => {
    const lab = await newLab()
    const t = await tokensFor(lab)
    const res = await revoke(lab, { token: t[which], token_type_hint: hint })
    expect(res.status).toBe(200)
    expect(await active(lab, t[which])).toBe(false)
  })
})

describe('when token_type_hint is a value the server does not know', () => {
  // RFC 7009 §2.2: an invalid token type hint value is ignored.
  it('ignores the hint and revokes the token', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab)
    const res = await revoke(lab, { token: t.access_token, token_type_hint: 'id_token' })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await active(lab, t.access_token)).toBe(false)
  })
})

describe('when the request is malformed', () => {
  it.each([
    ['no token', {}],
    ['an empty token', { token: '' }],
  ])('answers 400 invalid_request for %s', async (_name, fields) => {
    const lab = await newLab()
    const res = await revoke(lab, fields)
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_request')
  })

  it.each([
    [
      'a repeated token parameter',
      'application/x-www-form-urlencoded',
      (t: Tokens) => `token=${t.access_token}&token=${t.refresh_token}`,
    ],
    ['a JSON body', 'application/json', (t: Tokens) => JSON.stringify({ token: t.access_token })],
  ])('answers 400 invalid_request for %s, and revokes nothing', async (_name, type, body) => {
    const lab = await newLab()
    const t = await tokensFor(lab)
    const res = await lab.fetch(`${lab.issuer}/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': type, ...asConfidentialClient(lab) },
      body: body(t),
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request')
    expect(await active(lab, t.access_token)).toBe(true)
  })

  it('answers 405 with Allow: POST for GET', async () => {
    const lab = await newLab()
    const res = await lab.fetch(`${lab.issuer}/revoke?token=x`)
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
  })
})

describe('when client authentication fails', () => {
  it.each([
    ['no credentials at all', {}, {}],
    ['the confidential client_id without a secret', { client_id: 'demo-web-app' }, {}],
    [
      'a wrong client_secret in the body',
      { client_id: 'demo-web-app', client_secret: 'wrong' },
      {},
    ],
    ['an unknown client_id', { client_id: 'who-knows' }, {}],
    ['a Bearer Authorization header', {}, { Authorization: 'Bearer abc' }],
  ])('answers 401 invalid_client for %s', async (_name, fields, headers) => {
    const lab = await newLab()
    const t = await tokensFor(lab)
    const res = await postForm(lab, '/revoke', { token: t.access_token, ...fields }, headers)
    expect(res.status).toBe(401)
    expect(res.body.error).toBe('invalid_client')
    expect(await active(lab, t.access_token)).toBe(true)
  })

  it.each([
    ['a wrong secret', (id: string) => basic(id, 'wrong')],
    ['an unknown client', () => basic('nobody', 'x')],
    ['credentials that are not Base64', () => 'Basic %%%'],
  ])(
    'answers 401 invalid_client with a Basic challenge for HTTP Basic with %s',
    async (_name, header) => {
      const lab = await newLab()
      const t = await tokensFor(lab)
      const res = await postForm(
        lab,
        '/revoke',
        { token: t.access_token },
        { Authorization: header(lab.clients.confidential.client_id) },
      )
      expect(res.status).toBe(401)
      expect(res.body.error).toBe('invalid_client')
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="auth\.example"/)
      expect(await active(lab, t.access_token)).toBe(true)
    },
  )
})

describe('when a client revokes a token issued to the other client', () => {
  it.each([
    ['the confidential client', 'the public client’s', 'confidential', 'public'],
    ['the public client', 'the confidential client’s', 'public', 'confidential'],
  ] as const)(
    'answers 400 unauthorized_client when %s sends %s tokens',
    async (_a, _b, caller, owner) => {
      const lab = await newLab()
      await tokensFor(lab, caller)
      const theirs = await tokensFor(lab, owner)
      for (const token of [theirs.access_token, theirs.refresh_token]) {
        const res = await revoke(lab, { token }, caller)
        expect(res.status).toBe(400)
        expect(res.body.error).toBe('unauthorized_client')
        expect(await active(lab, token)).toBe(true)
      }
    },
  )
})

describe('when the public client revokes its own tokens with client_id only', () => {
  it('answers 200 for its refresh token and the grant is gone', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab, 'public')
    const res = await revoke(lab, { token: t.refresh_token }, 'public')
    expect(res.status).toBe(200)
    expect((await refreshAs(lab, 'public', t.refresh_token)).body.error).toBe('invalid_grant')
    expect(await active(lab, t.access_token)).toBe(false)
  })

  it('answers 200 for its access token', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab, 'public')
    const res = await revoke(lab, { token: t.access_token }, 'public')
    expect(res.status).toBe(200)
    expect(await active(lab, t.access_token)).toBe(false)
  })

  it('answers with CORS headers for a call from its page', async () => {
    const lab = await newLab()
    const t = await tokensFor(lab, 'public')
    const res = await postForm(
      lab,
      '/revoke',
      { token: t.access_token, client_id: lab.clients.public.client_id },
      { Origin: 'https://spa.example' },
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://spa.example')
  })
})
