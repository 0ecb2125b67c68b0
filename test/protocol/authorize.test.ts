import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import type { JSONWebKeySet } from 'jose'
import { describe, expect, it } from 'vitest'
import { BrowserFlowError, s256Challenge } from '../../src/index.ts'
import type { ClientRegistration, Lab } from '../../src/index.ts'
import { unescapeHtml } from '../../src/protocol/html.ts'
import type { HttpResponse } from '../../src/protocol/types.ts'
import { authorizationUrl, getCode, newLab, redeemConfidential, VERIFIER } from './helpers.ts'

type Params = Parameters<typeof authorizationUrl>[1]

const ISSUER = 'https://auth.example'
const WEB_CALLBACK = 'https://client.example/callback'
const SPA_CALLBACK = 'https://spa.example/callback'
/** The characters `error_description` may hold (RFC 6749 §4.1.2.1). */
const DESCRIPTION_CHARS = /^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/

function header(res: HttpResponse, name: string): string | null {
  const lower = name.toLowerCase()
  return res.headers.find(([n]) => n.toLowerCase() === lower)?.[1] ?? null
}

/** The page kind a page declares in `<meta name="oauth-lab-page">`. */
function pageKind(html: string): string | null {
  return /<meta name="oauth-lab-page" content="([^"]*)">/.exec(html)?.[1] ?? null
}

/** The raw (still escaped) inner HTML of the element with this id. */
function rawById(html: string, id: string): string | null {
  return (
    new RegExp(`<([a-z0-9]+)[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`, 'i').exec(html)?.[2] ??
    null
  )
}

function textById(html: string, id: string): string | null {
  const raw = rawById(html, id)
  return raw === null ? null : unescapeHtml(raw.replace(/<[^>]*>/g, '').trim())
}

function registration(lab: Lab, clientId: string): ClientRegistration {
  const client = lab.world.state.as.clients[clientId]
  if (!client) throw new Error(`no client ${clientId}`)
  return client
}

/** The page on the simulated browser's screen. */
function screen(lab: Lab): string {
  return lab.world.state.browser.page?.body ?? ''
}

/** Builds an authorization URL, appending `extra` parameters (so they can repeat). */
async function urlWith(
  lab: Lab,
  params: Params = {},
  extra: [string, string][] = [],
): Promise<string> {
  const url = new URL(await authorizationUrl(lab, params))
  for (const [k, v] of extra) url.searchParams.append(k, v)
  return url.toString()
}

/** Opens the authorization endpoint in the browser: one request, no redirect followed. */
async function open(lab: Lab, params: Params = {}, extra: [string, string][] = []) {
  return lab.browser.navigate(await urlWith(lab, params, extra))
}

function expectErrorPage(res: HttpResponse, code = 'invalid_request') {
  expect(res.status).toBe(400)
  expect(pageKind(res.body)).toBe('error')
  expect(header(res, 'location')).toBeNull()
  expect(textById(res.body, 'error-code')).toBe(code)
}

function locationOf(res: HttpResponse): URL {
  const location = header(res, 'location')
  if (location === null) throw new Error(`no Location in a ${res.status} response`)
  return new URL(location)
}

function base(url: URL): string {
  return `${url.origin}${url.pathname}`
}

async function rejection(promise: Promise<unknown>): Promise<BrowserFlowError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  if (!(error instanceof BrowserFlowError))
    throw new Error(`expected a BrowserFlowError, got ${String(error)}`)
  return error
}

/** Signs in on the login page on screen and returns the consent page response. */
async function signIn(lab: Lab, params: Params = {}) {
  const login = await open(lab, params)
  expect(pageKind(login.body)).toBe('login')
  return lab.browser.submit('login-form', { username: 'alice', password: 'wonderland' })
}

describe('when a client reads the authorization server metadata', () => {
  const paths = ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']

  it.each(paths)('answers %s with a truthful document', async (path) => {
    const lab = await newLab()
    const res = await lab.fetch(`${ISSUER}${path}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    const doc = (await res.json()) as Record<string, unknown>
    expect(doc).toMatchObject({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/token`,
      jwks_uri: `${ISSUER}/jwks`,
      userinfo_endpoint: `${ISSUER}/userinfo`,
      revocation_endpoint: `${ISSUER}/revoke`,
      introspection_endpoint: `${ISSUER}/introspect`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      id_token_signing_alg_values_supported: ['RS256'],
    })
    expect([...(doc.token_endpoint_auth_methods_supported as string[])].sort()).toEqual([
      'client_secret_basic',
      'client_secret_post',
      'none',
    ])
    expect([...(doc.scopes_supported as string[])].sort()).toEqual([
      'openid',
      'photos.read',
      'photos.write',
      'profile',
    ])
  })

  it('answers the same document at both addresses', async () => {
    const lab = await newLab()
    const [a, b] = await Promise.all(
      paths.map(async (p) => (await lab.fetch(`${ISSUER}${p}`)).json()),
    )
    expect(a).toEqual(b)
  })

  it('answers at every endpoint it advertises', async () => {
    const lab = await newLab()
    const doc = (await (await lab.fetch(`${ISSUER}${paths[0]}`)).json()) as Record<string, string>
    const endpoints = [
      'authorization_endpoint',
      'token_endpoint',
      'jwks_uri',
      'userinfo_endpoint',
      'revocation_endpoint',
      'introspection_endpoint',
    ]
    for (const name of endpoints) {
      const res = await lab.fetch(String(doc[name]))
      expect(res.status, name).not.toBe(404)
    }
  })

  it.each(
    [...paths, '/jwks'].flatMap((p) => ['POST', 'PUT', 'DELETE'].map((m) => [m, p] as const)),
  )('answers %s %s with 405', async (method, path) => {
    const lab = await newLab()
    const res = await lab.fetch(`${ISSUER}${path}`, { method })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET')
  })
})

describe('when a client reads the JWKS', () => {
  it('answers with the public key only', async () => {
    const lab = await newLab()
    const res = await lab.fetch(`${ISSUER}/jwks`)
    expect(res.status).toBe(200)
    const jwks = (await res.json()) as JSONWebKeySet
    expect(jwks.keys).toHaveLength(1)
    const [key] = jwks.keys
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: 'test-key' })
    expect(typeof key?.n).toBe('string')
    expect(typeof key?.e).toBe('string')
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(secret)
  })

  it('answers with a key that verifies the tokens the server signs', async () => {
    const lab = await newLab()
    const { code } = await getCode(lab)
    const tokens = await redeemConfidential(lab, code)
    expect(tokens.status).toBe(200)
    const jwks = createLocalJWKSet(
      (await (await lab.fetch(`${ISSUER}/jwks`)).json()) as JSONWebKeySet,
    )
    const currentDate = new Date(lab.clock.now())
    const accessToken = String(tokens.body.access_token)
    expect(decodeProtectedHeader(accessToken).kid).toBe('test-key')
    const at = await jwtVerify(accessToken, jwks, {
      issuer: ISSUER,
      audience: 'https://api.example',
      typ: 'at+jwt',
      currentDate,
    })
    expect(at.protectedHeader.alg).toBe('RS256')
    const id = await jwtVerify(String(tokens.body.id_token), jwks, {
      issuer: ISSUER,
      audience: 'demo-web-app',
      currentDate,
    })
    expect(id.payload.nonce).toBe('nonce-123')
  })

  it('answers with a key that refuses a tampered token', async () => {
    const lab = await newLab()
    const { code } = await getCode(lab)
    const tokens = await redeemConfidential(lab, code)
    const [h, p, sig] = String(tokens.body.access_token).split('.')
    const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'mallory' })).toString('base64url')
    const tampered = `${h}.${forged}.${sig}`
    const jwks = createLocalJWKSet(
      (await (await lab.fetch(`${ISSUER}/jwks`)).json()) as JSONWebKeySet,
    )
    await expect(
      jwtVerify(tampered, jwks, { currentDate: new Date(lab.clock.now()) }),
    ).rejects.toThrow()
  })
})

describe('when the client or redirect URI cannot be trusted', () => {
  it.each<[string, Params, [string, string][], string]>([
    ['client_id is missing', { client_id: undefined }, [], 'invalid_request'],
    ['client_id is unknown', { client_id: 'nobody' }, [], 'invalid_client'],
    ['client_id is repeated', {}, [['client_id', 'demo-web-app']], 'invalid_request'],
    [
      'client_id is repeated with another value',
      {},
      [['client_id', 'demo-spa']],
      'invalid_request',
    ],
    [
      'redirect_uri has a trailing slash',
      { redirect_uri: `${WEB_CALLBACK}/` },
      [],
      'invalid_request',
    ],
    [
      'redirect_uri has another path',
      { redirect_uri: 'https://client.example/other' },
      [],
      'invalid_request',
    ],
    [
      'redirect_uri has an extra query',
      { redirect_uri: `${WEB_CALLBACK}?next=/` },
      [],
      'invalid_request',
    ],
    [
      'redirect_uri is http',
      { redirect_uri: 'http://client.example/callback' },
      [],
      'invalid_request',
    ],
    [
      'redirect_uri is on another host',
      { redirect_uri: 'https://evil.example/callback' },
      [],
      'invalid_request',
    ],
    [
      'redirect_uri is on a look-alike host',
      { redirect_uri: 'https://client.example.attacker.example/callback' },
      [],
      'invalid_request',
    ],
    ["redirect_uri is the other client's", { redirect_uri: SPA_CALLBACK }, [], 'invalid_request'],
    ['redirect_uri is repeated', {}, [['redirect_uri', WEB_CALLBACK]], 'invalid_request'],
    [
      'redirect_uri has a fragment',
      { redirect_uri: `${WEB_CALLBACK}#frag` },
      [],
      'invalid_request',
    ],
    ['redirect_uri is not a URI', { redirect_uri: 'not a uri' }, [], 'invalid_request'],
    ['redirect_uri is relative', { redirect_uri: '/callback' }, [], 'invalid_request'],
  ])('answers an error page, never a redirect, when %s', async (_, params, extra, code) => {
    const lab = await newLab()
    const res = await open(lab, params, extra)
    expectErrorPage(res, code)
    expect(lab.world.state.browser.pendingRedirect).toBeNull()
    expect(lab.world.state.as.pending).toEqual({})
  })

  it('answers the error page with the same refusal for a POST', async () => {
    const lab = await newLab()
    const url = new URL(await authorizationUrl(lab, { redirect_uri: 'https://evil.example/cb' }))
    const res = await lab.browser.navigate(`${ISSUER}/authorize`, {
      method: 'POST',
      body: url.searchParams.toString(),
      contentType: 'application/x-www-form-urlencoded',
    })
    expectErrorPage(res)
  })

  it('answers browser.authorize with an ERROR_PAGE rejection carrying the status and message', async () => {
    const lab = await newLab()
    const url = await authorizationUrl(lab, { redirect_uri: 'https://client.example/other' })
    const error = await rejection(lab.browser.authorize(url))
    expect(error.code).toBe('ERROR_PAGE')
    expect(error.status).toBe(400)
    expect(error.message).toBe(textById(screen(lab), 'error-message'))
    expect(error.message).not.toBe('')
  })

  it.each([
    ['client_id', { client_id: '<script>alert(1)</script>' }],
    ['redirect_uri', { redirect_uri: 'https://client.example/<script>alert(1)</script>' }],
  ])('answers a markup-laden %s escaped on the error page', async (_, params) => {
    const lab = await newLab()
    const res = await open(lab, params)
    expect(res.status).toBe(400)
    expect(pageKind(res.body)).toBe('error')
    expect(res.body).not.toContain('<script')
    expect(rawById(res.body, 'error-message')).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(textById(res.body, 'error-message')).toContain('<script>alert(1)</script>')
  })
})

describe('when the server matches redirect URIs', () => {
  const lookAlike = 'https://client.example.attacker.example/cb'

  it('answers a look-alike redirect_uri with an error page under exact matching', async () => {
    const lab = await newLab()
    expect(lab.world.state.as.settings.redirectUriMatching).toBe('exact')
    expectErrorPage(await open(lab, { redirect_uri: lookAlike }))
  })

  it('answers a look-alike redirect_uri with the code under lax matching (the code leaks)', async () => {
    const lab = await newLab({ settings: { authorizationServer: { redirectUriMatching: 'lax' } } })
    const redirect = new URL(
      await lab.browser.authorize(await authorizationUrl(lab, { redirect_uri: lookAlike })),
    )
    expect(redirect.host).toBe('client.example.attacker.example')
    const code = redirect.searchParams.get('code')
    expect(code).not.toBeNull()
    expect(lab.world.state.as.codes[code ?? '']?.redirect_uri).toBe(lookAlike)
  })

  it('answers a redirect_uri with a fragment with an error page even under lax matching', async () => {
    const lab = await newLab({ settings: { authorizationServer: { redirectUriMatching: 'lax' } } })
    expectErrorPage(await open(lab, { redirect_uri: `${WEB_CALLBACK}#frag` }))
  })

  it('answers an unrelated host with an error page even under lax matching', async () => {
    const lab = await newLab({ settings: { authorizationServer: { redirectUriMatching: 'lax' } } })
    expectErrorPage(await open(lab, { redirect_uri: 'https://evil.example/cb' }))
  })
})

describe('when the request is bad but the redirect URI is trusted', () => {
  it.each<[string, Params, [string, string][], string]>([
    ['response_type is missing', { response_type: undefined }, [], 'invalid_request'],
    ['a parameter is repeated', {}, [['scope', 'openid']], 'invalid_request'],
    ['response_type is repeated', {}, [['response_type', 'code']], 'invalid_request'],
    [
      'code_challenge_method comes without code_challenge',
      { code_challenge: undefined },
      [],
      'invalid_request',
    ],
    ['code_challenge_method is plain', { code_challenge_method: 'plain' }, [], 'invalid_request'],
    [
      'code_challenge comes without a method (plain by default)',
      { code_challenge_method: undefined },
      [],
      'invalid_request',
    ],
    ['code_challenge_method is unknown', { code_challenge_method: 'S512' }, [], 'invalid_request'],
    ['code_challenge is too short', { code_challenge: 'too-short' }, [], 'invalid_request'],
    [
      'code_challenge has bad characters',
      { code_challenge: `${'a'.repeat(42)}+` },
      [],
      'invalid_request',
    ],
    [
      'the public client sends no code_challenge',
      { client: 'public', code_challenge: undefined, code_challenge_method: undefined },
      [],
      'invalid_request',
    ],
    ['prompt is unknown', { prompt: 'bogus' }, [], 'invalid_request'],
    ['prompt=none is combined with another value', { prompt: 'none login' }, [], 'invalid_request'],
    ['response_type is token', { response_type: 'token' }, [], 'unsupported_response_type'],
    [
      'response_type is code id_token',
      { response_type: 'code id_token' },
      [],
      'unsupported_response_type',
    ],
    ['scope is unknown', { scope: 'openid photos.delete' }, [], 'invalid_scope'],
    ['scope has an invalid character', { scope: 'openid pro"file' }, [], 'invalid_scope'],
    ['scope has non-ASCII characters', { scope: 'openid phötos' }, [], 'invalid_scope'],
    [
      'response_type has quotes and non-ASCII',
      { response_type: 'tök"en\\' },
      [],
      'unsupported_response_type',
    ],
    ['prompt has non-ASCII characters', { prompt: 'lögin' }, [], 'invalid_request'],
  ])('answers a redirect with the error when %s', async (_, params, extra, error) => {
    const lab = await newLab()
    const res = await open(lab, params, extra)
    expect(res.status).toBe(302)
    const to = locationOf(res)
    expect(base(to)).toBe(params?.client === 'public' ? SPA_CALLBACK : WEB_CALLBACK)
    expect(to.searchParams.get('error')).toBe(error)
    expect(to.searchParams.get('error_description')).toMatch(DESCRIPTION_CHARS)
    expect(to.searchParams.get('state')).toBe('state-123')
    expect(to.searchParams.get('iss')).toBe(ISSUER)
    expect(to.searchParams.has('code')).toBe(false)
    expect(lab.world.state.as.codes).toEqual({})
  })

  it.each<[string, (c: ClientRegistration) => void]>([
    ['may not use response_type=code', (c) => void (c.response_types = [])],
    ['may not use the authorization_code grant', (c) => void (c.grant_types = ['refresh_token'])],
  ])('answers unauthorized_client when the client %s', async (_, mutate) => {
    const lab = await newLab()
    mutate(registration(lab, 'demo-web-app'))
    const to = locationOf(await open(lab))
    expect(to.searchParams.get('error')).toBe('unauthorized_client')
    expect(to.searchParams.get('state')).toBe('state-123')
    expect(to.searchParams.get('iss')).toBe(ISSUER)
  })

  it('answers invalid_scope for a known scope the client may not request', async () => {
    const lab = await newLab()
    registration(lab, 'demo-web-app').scope = 'openid profile'
    const to = locationOf(await open(lab, { scope: 'openid photos.write' }))
    expect(to.searchParams.get('error')).toBe('invalid_scope')
    expect(to.searchParams.get('state')).toBe('state-123')
    expect(to.searchParams.get('iss')).toBe(ISSUER)
  })

  it('answers an error redirect without state when the request had none, still with iss', async () => {
    const lab = await newLab()
    const to = locationOf(await open(lab, { state: undefined, response_type: 'token' }))
    expect(to.searchParams.get('error')).toBe('unsupported_response_type')
    expect(to.searchParams.has('state')).toBe(false)
    expect(to.searchParams.get('iss')).toBe(ISSUER)
  })

  it('answers an error redirect to the registered URI when redirect_uri was omitted', async () => {
    const lab = await newLab()
    const res = await open(lab, { redirect_uri: undefined, response_type: 'token' })
    expect(base(locationOf(res))).toBe(WEB_CALLBACK)
  })
})

describe('when the user answers the consent page', () => {
  it('answers Deny with access_denied, the state and iss at the redirect URI', async () => {
    const lab = await newLab()
    const url = await authorizationUrl(lab)
    const to = new URL(await lab.browser.authorize(url, { consent: 'deny' }))
    expect(base(to)).toBe(WEB_CALLBACK)
    expect(to.searchParams.get('error')).toBe('access_denied')
    expect(to.searchParams.get('state')).toBe('state-123')
    expect(to.searchParams.get('iss')).toBe(ISSUER)
    expect(to.searchParams.has('code')).toBe(false)
    expect(lab.world.state.as.codes).toEqual({})
  })

  it('answers the consent page listing each requested scope', async () => {
    const lab = await newLab()
    const res = await signIn(lab, { scope: 'openid profile photos.read photos.write' })
    expect(res.status).toBe(200)
    expect(pageKind(res.body)).toBe('consent')
    const scopes = [...res.body.matchAll(/data-scope="([^"]*)"/g)].map((m) => m[1])
    expect(scopes).toEqual(['openid', 'profile', 'photos.read', 'photos.write'])
  })

  it('answers a consent POST without the session cookie with an error page', async () => {
    const lab = await newLab()
    await signIn(lab)
    const requestId = lab.browser.forms().find((f) => f.id === 'consent-form')?.fields.request_id
    expect(requestId).toBeTruthy()
    const res = await lab.fetch(`${ISSUER}/consent`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request_id: requestId ?? '', decision: 'allow' }),
    })
    expect(res.status).toBe(400)
    expect(res.headers.get('location')).toBeNull()
    expect(pageKind(await res.text())).toBe('error')
    expect(lab.world.state.as.codes).toEqual({})
  })

  it('answers a consent POST with an unknown decision with an error page', async () => {
    const lab = await newLab()
    await signIn(lab)
    const res = await lab.browser.submit('consent-form', {}, { name: 'decision', value: 'maybe' })
    expectErrorPage(res)
  })
})

describe('when the user signs in', () => {
  it('answers a wrong password with the login page again, showing the error', async () => {
    const lab = await newLab()
    await open(lab)
    const res = await lab.browser.submit('login-form', { username: 'alice', password: 'nope' })
    expect(res.status).toBe(200)
    expect(pageKind(res.body)).toBe('login')
    expect(textById(res.body, 'login-error')).toBeTruthy()
    expect(header(res, 'set-cookie')).toBeNull()
    expect(lab.world.state.as.sessions).toEqual({})
  })

  it.each([
    ['a wrong password', { password: 'nope' }],
    ['an unknown user', { username: 'mallory' }],
  ])('answers %s with a LOGIN_FAILED rejection of browser.authorize', async (_, credentials) => {
    const lab = await newLab()
    const error = await rejection(lab.browser.authorize(await authorizationUrl(lab), credentials))
    expect(error.code).toBe('LOGIN_FAILED')
    expect(error.status).toBe(200)
    expect(pageKind(screen(lab))).toBe('login')
    expect(error.message).toBe(textById(screen(lab), 'login-error'))
    expect(lab.world.state.as.codes).toEqual({})
  })

  it('answers a markup-laden username escaped on the login page', async () => {
    const lab = await newLab()
    await open(lab)
    const res = await lab.browser.submit('login-form', {
      username: '"><script>alert(1)</script>',
      password: 'nope',
    })
    expect(pageKind(res.body)).toBe('login')
    expect(res.body).not.toContain('<script')
    expect(lab.browser.forms().find((f) => f.id === 'login-form')?.fields.username).toBe(
      '"><script>alert(1)</script>',
    )
  })

  it('answers a good password with the consent page and a secure session cookie', async () => {
    const lab = await newLab()
    const res = await signIn(lab)
    expect(pageKind(res.body)).toBe('consent')
    const cookie = header(res, 'set-cookie') ?? ''
    expect(cookie).toMatch(/^as_session=/)
    expect(cookie).toMatch(/;\s*Secure/i)
    expect(cookie).toMatch(/;\s*HttpOnly/i)
    expect(cookie).toMatch(/;\s*SameSite=(Lax|Strict)/i)
  })

  it.each(['login', 'consent', 'error'])(
    'answers the %s page with no-store and no framing',
    async (kind) => {
      const lab = await newLab()
      let res: HttpResponse
      if (kind === 'login') res = await open(lab)
      else if (kind === 'consent') res = await signIn(lab)
      else res = await open(lab, { client_id: 'nobody' })
      expect(pageKind(res.body)).toBe(kind)
      expect(header(res, 'cache-control')).toBe('no-store')
      expect(header(res, 'x-frame-options')).toBe('DENY')
      expect(header(res, 'content-security-policy')).toContain("frame-ancestors 'none'")
    },
  )

  it.each(['login-form', 'consent-form'])(
    'answers the %s after 1800 s with an expired-request error page',
    async (form) => {
      const lab = await newLab()
      if (form === 'login-form') await open(lab)
      else await signIn(lab)
      lab.clock.advance(1801)
      const res =
        form === 'login-form'
          ? await lab.browser.submit(form, { username: 'alice', password: 'wonderland' })
          : await lab.browser.submit(form, {}, { name: 'decision', value: 'allow' })
      expectErrorPage(res)
      expect(lab.world.state.as.pending).toEqual({})
      expect(lab.world.state.as.codes).toEqual({})
    },
  )

  it('answers the login form at 1799 s as usual', async () => {
    const lab = await newLab()
    await open(lab)
    lab.clock.advance(1799)
    const res = await lab.browser.submit('login-form', {
      username: 'alice',
      password: 'wonderland',
    })
    expect(pageKind(res.body)).toBe('consent')
  })

  it.each(['/login', '/consent'])(
    'answers %s with an unknown request_id with an error page',
    async (path) => {
      const lab = await newLab()
      await signIn(lab)
      const res = await lab.browser.navigate(`${ISSUER}${path}`, {
        method: 'POST',
        body: 'request_id=no-such-request&username=alice&password=wonderland&decision=allow',
        contentType: 'application/x-www-form-urlencoded',
        initiator: ISSUER,
      })
      expectErrorPage(res)
    },
  )

  it('answers a second authorization in the same browser without the login page', async () => {
    const lab = await newLab()
    await getCode(lab)
    const res = await open(lab)
    expect(pageKind(res.body)).toBe('consent')
    const logins = () => lab.exchanges.filter((x) => x.request.url === `${ISSUER}/login`).length
    const before = logins()
    const { code } = await getCode(lab)
    expect(logins()).toBe(before)
    expect(lab.world.state.as.codes[code]?.sub).toBe('alice-7c9e')
  })

  it('answers with the login page again once the session is older than 8 hours', async () => {
    const lab = await newLab()
    await getCode(lab)
    lab.clock.advance(8 * 3600 + 1)
    expect(pageKind((await open(lab)).body)).toBe('login')
    const to = locationOf(await open(lab, { prompt: 'none' }))
    expect(to.searchParams.get('error')).toBe('login_required')
  })

  it('answers prompt=login with the login page even with a session', async () => {
    const lab = await newLab()
    await getCode(lab)
    const res = await open(lab, { prompt: 'login' })
    expect(pageKind(res.body)).toBe('login')
  })
})

describe('when the client asks with prompt=none', () => {
  it('answers login_required when the user has no session', async () => {
    const lab = await newLab()
    const to = new URL(await lab.browser.authorize(await authorizationUrl(lab, { prompt: 'none' })))
    expect(base(to)).toBe(WEB_CALLBACK)
    expect(to.searchParams.get('error')).toBe('login_required')
    expect(to.searchParams.get('state')).toBe('state-123')
    expect(to.searchParams.get('iss')).toBe(ISSUER)
    expect(lab.world.state.as.codes).toEqual({})
  })

  it('answers consent_required when the scopes were not consented to', async () => {
    const lab = await newLab()
    await getCode(lab, { scope: 'profile' })
    const url = await authorizationUrl(lab, { prompt: 'none', scope: 'openid profile photos.read' })
    const to = new URL(await lab.browser.authorize(url))
    expect(to.searchParams.get('error')).toBe('consent_required')
    expect(to.searchParams.get('state')).toBe('state-123')
    expect(to.searchParams.get('iss')).toBe(ISSUER)
  })

  it('answers a code without any page when signed in and consented', async () => {
    const lab = await newLab()
    await getCode(lab, { scope: 'profile' })
    const res = await open(lab, { prompt: 'none', scope: 'profile' })
    expect(res.status).toBe(302)
    const to = locationOf(res)
    expect(to.searchParams.get('code')).toBeTruthy()
    expect(to.searchParams.get('state')).toBe('state-123')
    expect(to.searchParams.get('iss')).toBe(ISSUER)
  })
})

describe('when the server issues a code', () => {
  it('answers with the default scope profile when scope is absent', async () => {
    const lab = await newLab()
    const { code } = await getCode(lab, { scope: undefined })
    expect(lab.world.state.as.codes[code]?.scope).toBe('profile')
  })

  it('answers with the default scope profile when scope is empty', async () => {
    const lab = await newLab()
    const { code } = await getCode(lab, { scope: '' })
    expect(lab.world.state.as.codes[code]?.scope).toBe('profile')
  })

  it.each(['plain', 'a b+c&d=e', 'ünïcødé/?#%25', '<>"\'', ' lead-and-trail '])(
    'answers the state %j echoed exactly',
    async (state) => {
      const lab = await newLab()
      const { redirect } = await getCode(lab, { state })
      expect(redirect.searchParams.get('state')).toBe(state)
      expect(redirect.searchParams.getAll('state')).toHaveLength(1)
    },
  )

  it('answers without state when the request had none, still with iss', async () => {
    const lab = await newLab()
    const { redirect } = await getCode(lab, { state: undefined })
    expect(redirect.searchParams.has('state')).toBe(false)
    expect(redirect.searchParams.get('iss')).toBe(ISSUER)
  })

  it.each<['confidential' | 'public', string]>([
    ['confidential', WEB_CALLBACK],
    ['public', SPA_CALLBACK],
  ])('answers the %s client at its redirect URI with code and iss', async (client, callback) => {
    const lab = await newLab()
    const { redirect } = await getCode(lab, { client })
    expect(base(redirect)).toBe(callback)
    expect(redirect.searchParams.get('iss')).toBe(ISSUER)
    expect(redirect.searchParams.getAll('iss')).toHaveLength(1)
  })

  it('answers with a code bound to the client, redirect URI, scope, challenge and nonce', async () => {
    const lab = await newLab()
    const { code } = await getCode(lab, { scope: 'openid photos.read', nonce: 'n-0S6_WzA2Mj' })
    const record = lab.world.state.as.codes[code]
    const now = lab.clock.now() / 1000
    expect(record).toMatchObject({
      code,
      client_id: 'demo-web-app',
      redirect_uri: WEB_CALLBACK,
      redirect_uri_given: true,
      scope: 'openid photos.read',
      code_challenge: await s256Challenge(VERIFIER),
      code_challenge_method: 'S256',
      nonce: 'n-0S6_WzA2Mj',
      sub: 'alice-7c9e',
      issuedAt: now,
      expiresAt: now + 600,
      used: false,
    })
  })

  it('answers with the registered redirect URI bound when redirect_uri was omitted', async () => {
    const lab = await newLab()
    const redirect = new URL(
      await lab.browser.authorize(await authorizationUrl(lab, { redirect_uri: undefined })),
    )
    expect(base(redirect)).toBe(WEB_CALLBACK)
    const record = lab.world.state.as.codes[redirect.searchParams.get('code') ?? '']
    expect(record).toMatchObject({ redirect_uri: WEB_CALLBACK, redirect_uri_given: false })
  })

  it('answers with a code without challenge or nonce when none were sent', async () => {
    const lab = await newLab()
    const { code } = await getCode(lab, {
      code_challenge: undefined,
      code_challenge_method: undefined,
      nonce: undefined,
    })
    expect(lab.world.state.as.codes[code]).toMatchObject({
      code_challenge: null,
      code_challenge_method: null,
      nonce: null,
    })
  })

  it('answers with a different code every time', async () => {
    const lab = await newLab()
    const a = await getCode(lab)
    const b = await getCode(lab)
    expect(a.code).not.toBe(b.code)
    expect(a.code.length).toBeGreaterThanOrEqual(43)
  })
})
