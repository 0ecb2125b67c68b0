import { describe, expect, it } from 'vitest'
import type { Lab, LabOptions } from '../../src/index.ts'
import { s256Challenge } from '../../src/protocol/crypto.ts'
import { pageKind, textById } from '../../src/protocol/html.ts'
import { getHeader, response } from '../../src/protocol/http.ts'
import type { Exchange, HttpResponse } from '../../src/protocol/types.ts'
import { authorizationUrl, basic, json, newLab, T0 } from './helpers.ts'

const CALLBACK = 'https://client.example/callback'
const SPA = 'https://spa.example'

/** What the browser shows: the page kind, the error code and the HTML. */
function screen(lab: Lab): { kind: string | null; errorCode: string | null; html: string } {
  const html = lab.world.state.browser.page?.body ?? ''
  return { kind: pageKind(html), errorCode: textById(html, 'error-code'), html }
}

function hdr(res: { headers: [string, string][] } | null | undefined, name: string): string | null {
  return res ? getHeader(res.headers, name) : null
}

function path(ex: Exchange): string {
  const u = new URL(ex.request.url)
  return `${ex.request.method} ${u.origin}${u.pathname}`
}

function exchangesTo(lab: Lab, target: string, from = 0): Exchange[] {
  return lab.exchanges.slice(from).filter((e) => path(e) === target)
}

/** Opens the SPA's page and fetches `url` from it with a GET (CORS applies). */
async function fetchFromSpaPage(lab: Lab, url: string, headers: [string, string][] = []) {
  await lab.spa.open()
  return lab.browser.pageFetch({ method: 'GET', url, headers, body: '' })
}

/** The first exchange to `target` since `from`: it must exist and go over the back channel. */
function backChannelTo(lab: Lab, target: string, from: number): Exchange {
  const [x] = exchangesTo(lab, target, from)
  if (!x) throw new Error(`no ${target}`)
  expect(x.channel).toBe('back')
  return x
}

function form(ex: Exchange): URLSearchParams {
  return new URLSearchParams(ex.request.body)
}

/** The only web app session (the tests use one browser). */
function webSession(lab: Lab) {
  const sessions = Object.values(lab.world.state.web.sessions)
  expect(sessions).toHaveLength(1)
  const s = sessions[0]
  if (!s) throw new Error('no web session')
  return s
}

/** Starts the web app's sign-in and answers the login page; the consent page is on screen. */
async function webToConsent(lab: Lab): Promise<URL> {
  const start = await lab.browser.navigate('https://client.example/login')
  const authorize = new URL(hdr(start, 'location') ?? '')
  await lab.browser.followRedirect()
  await lab.browser.submit('login-form', { username: 'alice', password: 'wonderland' })
  return authorize
}

/** Runs the web app's sign-in up to the pending redirect to its callback; returns that URL. */
async function webToCallback(lab: Lab, decision: 'allow' | 'deny' = 'allow'): Promise<URL> {
  await webToConsent(lab)
  await lab.browser.submit('consent-form', {}, { name: 'decision', value: decision })
  const pending = lab.world.state.browser.pendingRedirect
  if (!pending) throw new Error('no pending redirect after consent')
  return new URL(pending)
}

/** The whole web flow; returns the callback page. */
async function webSignIn(lab: Lab): Promise<HttpResponse> {
  await webToCallback(lab)
  const res = await lab.browser.followRedirect()
  if (!res) throw new Error('no redirect to follow')
  return res
}

/** The SPA's sign-in up to the callback page on screen. */
async function spaToCallback(lab: Lab): Promise<URL> {
  await lab.spa.startLogin()
  await lab.browser.submit('login-form', { username: 'alice', password: 'wonderland' })
  await lab.browser.submit('consent-form', {}, { name: 'decision', value: 'allow' })
  const pending = lab.world.state.browser.pendingRedirect
  if (!pending) throw new Error('no pending redirect after consent')
  return new URL(pending)
}

async function webLab(webClient: NonNullable<LabOptions['settings']>['webClient'] = {}) {
  return newLab({ settings: { webClient } })
}

describe('when the confidential web app signs the user in', () => {
  it('redirects to /authorize with state, PKCE S256 and nonce', async () => {
    const lab = await newLab()
    const res = await lab.browser.navigate('https://client.example/login')
    expect(res.status).toBe(302)
    expect(hdr(res, 'cache-control')).toBe('no-store')
    const url = new URL(hdr(res, 'location') ?? '')
    expect(`${url.origin}${url.pathname}`).toBe('https://auth.example/authorize')
    const p = url.searchParams
    expect(p.get('response_type')).toBe('code')
    expect(p.get('client_id')).toBe('demo-web-app')
    expect(p.get('redirect_uri')).toBe(CALLBACK)
    expect(p.get('scope')).toBe('openid profile photos.read')
    expect(p.get('state')).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(p.get('code_challenge_method')).toBe('S256')
    expect(p.get('nonce')).toMatch(/^[A-Za-z0-9_-]{22}$/)
    const session = webSession(lab)
    expect(session.state).toBe(p.get('state'))
    expect(session.nonce).toBe(p.get('nonce'))
    expect(p.get('code_challenge')).toBe(await s256Challenge(session.code_verifier ?? ''))
    expect(lab.world.state.browser.pendingRedirect).toBe(url.toString())
  })

  it('shows the login page, then the consent page, then redirects with code, state and iss', async () => {
    const lab = await newLab()
    const start = await lab.browser.navigate('https://client.example/login')
    const state = new URL(hdr(start, 'location') ?? '').searchParams.get('state')
    const login = await lab.browser.followRedirect()
    expect(login?.status).toBe(200)
    expect(lab.browser.forms().map((f) => f.id)).toContain('login-form')
    expect(screen(lab).kind).toBe('login')
    const consent = await lab.browser.submit('login-form', {
      username: 'alice',
      password: 'wonderland',
    })
    expect(consent.status).toBe(200)
    expect(lab.browser.forms().map((f) => f.id)).toContain('consent-form')
    expect(screen(lab).kind).toBe('consent')
    const answer = await lab.browser.submit(
      'consent-form',
      {},
      { name: 'decision', value: 'allow' },
    )
    expect(answer.status).toBe(303)
    const callback = new URL(lab.world.state.browser.pendingRedirect ?? '')
    expect(`${callback.origin}${callback.pathname}`).toBe(CALLBACK)
    expect(callback.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(callback.searchParams.get('state')).toBe(state)
    expect(callback.searchParams.get('iss')).toBe('https://auth.example')
  })

  it('redeems the code on the back channel with HTTP Basic and shows the photos', async () => {
    const lab = await newLab()
    const callback = await webToCallback(lab)
    const from = lab.exchanges.length
    const page = await lab.browser.followRedirect()
    expect(page?.status).toBe(200)
    expect(screen(lab).kind).toBe('client-home')
    expect(screen(lab).html).toContain('<ul id="photos">')
    expect(textById(screen(lab).html, 'photos')).toContain('White Rabbit at dusk')
    // With the profile scope the ID token names the user.
    expect(textById(screen(lab).html, 'user-name')).toBe('Alice Liddell')

    const token = backChannelTo(lab, 'POST https://auth.example/token', from)
    expect(token.from).toBe('client')
    expect(token.fromOrigin).toBe('https://client.example')
    const c = lab.clients.confidential
    expect(hdr(token.request, 'authorization')).toBe(basic(c.client_id, c.client_secret))
    const body = form(token)
    expect(body.get('grant_type')).toBe('authorization_code')
    expect(body.get('code')).toBe(callback.searchParams.get('code'))
    expect(body.get('redirect_uri')).toBe(CALLBACK)
    expect(body.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(body.has('client_secret')).toBe(false)
    expect(token.response?.status).toBe(200)
    const accessToken = json(token.response as HttpResponse).access_token as string

    const jwks = exchangesTo(lab, 'GET https://auth.example/jwks', from)
    expect(jwks.map((e) => e.from)).toEqual(['client', 'resource-server'])
    const [api] = exchangesTo(lab, 'GET https://api.example/photos', from)
    expect(api?.from).toBe('client')
    expect(api?.channel).toBe('back')
    expect(hdr(api?.request, 'authorization')).toBe(`Bearer ${accessToken}`)
    expect(api?.response?.status).toBe(200)

    const session = webSession(lab)
    expect(session.tokens?.access_token).toBe(accessToken)
    expect(session.user?.sub).toBe('alice-7c9e')
    expect(session.error).toBeNull()
    expect(lab.world.state.as.codes[callback.searchParams.get('code') ?? '']?.used).toBe(true)
  })

  it('never lets the browser see the access or refresh token', async () => {
    const lab = await newLab()
    await webSignIn(lab)
    const tokens = webSession(lab).tokens
    expect(tokens?.access_token).toBeTruthy()
    const browserSide = lab.exchanges.filter((e) => e.from === 'browser')
    expect(browserSide.length).toBeGreaterThan(0)
    for (const e of browserSide) {
      const seen = JSON.stringify(e)
      expect(seen).not.toContain(tokens?.access_token)
      expect(seen).not.toContain(tokens?.refresh_token)
    }
    expect(JSON.stringify(lab.world.state.browser)).not.toContain(tokens?.access_token)
  })

  it('sends the secret in the body with client_secret_post', async () => {
    const lab = await webLab({ authMethod: 'client_secret_post' })
    await webSignIn(lab)
    const [token] = exchangesTo(lab, 'POST https://auth.example/token')
    if (!token) throw new Error('no token request')
    expect(hdr(token.request, 'authorization')).toBeNull()
    expect(form(token).get('client_id')).toBe('demo-web-app')
    expect(form(token).get('client_secret')).toBe(lab.clients.confidential.client_secret)
    expect(token.response?.status).toBe(200)
    expect(screen(lab).kind).toBe('client-home')
  })

  it('rotates the refresh token on POST /refresh', async () => {
    const lab = await newLab()
    await webSignIn(lab)
    const before = webSession(lab).tokens
    const from = lab.exchanges.length
    lab.clock.advance(60)
    const res = await lab.browser.submit('refresh-form')
    expect(res.status).toBe(200)
    expect(screen(lab).kind).toBe('client-home')
    const refresh = backChannelTo(lab, 'POST https://auth.example/token', from)
    expect(form(refresh).get('grant_type')).toBe('refresh_token')
    expect(form(refresh).get('refresh_token')).toBe(before?.refresh_token)
    expect(refresh.response?.status).toBe(200)
    const after = webSession(lab).tokens
    expect(after?.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(after?.refresh_token).not.toBe(before?.refresh_token)
    expect(after?.access_token).not.toBe(before?.access_token)
    const old = lab.world.state.as.refreshTokens[before?.refresh_token ?? '']
    expect(old?.rotatedAt).toBe(T0 / 1000 + 60)
  })

  it('revokes the refresh token and ends the session on POST /logout', async () => {
    const lab = await newLab()
    await webSignIn(lab)
    const rt = webSession(lab).tokens?.refresh_token ?? ''
    const from = lab.exchanges.length
    const res = await lab.browser.submit('logout-form')
    expect(res.status).toBe(200)
    expect(screen(lab).kind).toBe('client-start')
    const revoke = backChannelTo(lab, 'POST https://auth.example/revoke', from)
    expect(hdr(revoke.request, 'authorization')).toMatch(/^Basic /)
    expect(form(revoke).get('token')).toBe(rt)
    expect(form(revoke).get('token_type_hint')).toBe('refresh_token')
    expect(revoke.response?.status).toBe(200)
    const record = lab.world.state.as.refreshTokens[rt]
    expect(record?.revoked).toBe(true)
    expect(lab.world.state.as.grants[record?.grantId ?? '']?.revoked).toBe(true)
    expect(lab.world.state.web.sessions).toEqual({})
    expect(lab.world.state.browser.cookies['https://client.example']).toEqual({})
  })
})

describe('when the web app checks the authorization response', () => {
  function withParam(url: URL, name: string, value: string | null): string {
    const u = new URL(url)
    if (value === null) u.searchParams.delete(name)
    else u.searchParams.set(name, value)
    return u.toString()
  }

  it('refuses a wrong state with 403 state_mismatch and does not redeem the code', async () => {
    const lab = await newLab()
    const callback = await webToCallback(lab)
    const from = lab.exchanges.length
    const res = await lab.browser.navigate(withParam(callback, 'state', 'forged'))
    expect(res.status).toBe(403)
    expect(screen(lab).kind).toBe('client-error')
    expect(screen(lab).errorCode).toBe('state_mismatch')
    expect(exchangesTo(lab, 'POST https://auth.example/token', from)).toEqual([])
    expect(lab.world.state.as.codes[callback.searchParams.get('code') ?? '']?.used).toBe(false)
    expect(webSession(lab).error?.error).toBe('state_mismatch')
  })

  it('accepts the same forged state when state is switched off', async () => {
    const lab = await webLab({ useState: false })
    const authorize = await webToConsent(lab)
    expect(authorize.searchParams.has('state')).toBe(false)
    await lab.browser.submit('consent-form', {}, { name: 'decision', value: 'allow' })
    const callback = new URL(lab.world.state.browser.pendingRedirect ?? '')
    expect(callback.searchParams.has('state')).toBe(false)
    const res = await lab.browser.navigate(withParam(callback, 'state', 'forged'))
    expect(res.status).toBe(200)
    expect(screen(lab).kind).toBe('client-home')
    expect(exchangesTo(lab, 'POST https://auth.example/token')).toHaveLength(1)
  })

  it('refuses a callback without a session cookie as no_session', async () => {
    const lab = await newLab()
    const callback = await webToCallback(lab)
    delete lab.world.state.browser.cookies['https://client.example']
    const from = lab.exchanges.length
    const res = await lab.browser.navigate(callback.toString())
    expect(res.status).toBe(400)
    expect(screen(lab).errorCode).toBe('no_session')
    expect(exchangesTo(lab, 'POST https://auth.example/token', from)).toEqual([])
  })

  it.each([
    ['without iss', null, 'iss_missing'],
    ['with a foreign iss', 'https://attacker.example', 'iss_mismatch'],
    ['with an iss that differs only by a trailing slash', 'https://auth.example/', 'iss_mismatch'],
  ])('refuses a callback %s', async (_kind, iss, error) => {
    const lab = await newLab()
    const callback = await webToCallback(lab)
    const from = lab.exchanges.length
    const res = await lab.browser.navigate(withParam(callback, 'iss', iss))
    expect(res.status).toBe(403)
    expect(screen(lab).errorCode).toBe(error)
    expect(exchangesTo(lab, 'POST https://auth.example/token', from)).toEqual([])
  })

  it.each([
    ['without iss', null],
    ['with a foreign iss', 'https://attacker.example'],
  ])('accepts a callback %s when checkIss is off', async (_kind, iss) => {
    const lab = await webLab({ checkIss: false })
    const callback = await webToCallback(lab)
    const res = await lab.browser.navigate(withParam(callback, 'iss', iss))
    expect(res.status).toBe(200)
    expect(screen(lab).kind).toBe('client-home')
  })

  it('refuses a callback with a repeated code as invalid_response', async () => {
    const lab = await newLab()
    const callback = await webToCallback(lab)
    const u = new URL(callback)
    u.searchParams.append('code', 'second')
    const res = await lab.browser.navigate(u.toString())
    expect(res.status).toBe(400)
    expect(screen(lab).errorCode).toBe('invalid_response')
  })

  it('shows access_denied when the user denies consent', async () => {
    const lab = await newLab()
    const callback = await webToCallback(lab, 'deny')
    expect(callback.searchParams.get('error')).toBe('access_denied')
    expect(callback.searchParams.get('iss')).toBe('https://auth.example')
    expect(callback.searchParams.has('code')).toBe(false)
    const res = await lab.browser.followRedirect()
    expect(res?.status).toBe(200)
    expect(screen(lab).kind).toBe('client-error')
    expect(screen(lab).errorCode).toBe('access_denied')
    expect(webSession(lab).error?.error).toBe('access_denied')
    expect(webSession(lab).tokens).toBeNull()
    expect(exchangesTo(lab, 'POST https://auth.example/token')).toEqual([])
  })

  it('sends no code_challenge when PKCE is off, and the confidential client still signs in', async () => {
    const lab = await webLab({ usePkce: false })
    const authorize = await webToConsent(lab)
    expect(authorize.searchParams.has('code_challenge')).toBe(false)
    expect(authorize.searchParams.has('code_challenge_method')).toBe(false)
    await lab.browser.submit('consent-form', {}, { name: 'decision', value: 'allow' })
    await lab.browser.followRedirect()
    expect(screen(lab).kind).toBe('client-home')
    const [token] = exchangesTo(lab, 'POST https://auth.example/token')
    expect(token && form(token).has('code_verifier')).toBe(false)
  })

  it('sends no nonce when nonce is off, and still signs in', async () => {
    const lab = await webLab({ useNonce: false })
    const authorize = await webToConsent(lab)
    expect(authorize.searchParams.has('nonce')).toBe(false)
    await lab.browser.submit('consent-form', {}, { name: 'decision', value: 'allow' })
    await lab.browser.followRedirect()
    expect(screen(lab).kind).toBe('client-home')
    expect(webSession(lab).user?.nonce).toBeUndefined()
  })

  it('refuses a replayed callback before redeeming: the state was spent', async () => {
    const lab = await newLab()
    const callback = await webToCallback(lab)
    await lab.browser.followRedirect()
    expect(screen(lab).kind).toBe('client-home')
    const from = lab.exchanges.length
    const res = await lab.browser.navigate(callback.toString())
    expect(res.status).toBe(403)
    expect(screen(lab).errorCode).toBe('state_unexpected')
    expect(exchangesTo(lab, 'POST https://auth.example/token', from)).toEqual([])
  })

  it('gets invalid_grant for a replayed callback without state, and the grant is revoked', async () => {
    const lab = await webLab({ useState: false })
    const callback = await webToCallback(lab)
    await lab.browser.followRedirect()
    const grantId = lab.world.state.as.codes[callback.searchParams.get('code') ?? '']?.grantId ?? ''
    const from = lab.exchanges.length
    const res = await lab.browser.navigate(callback.toString())
    expect(res.status).toBe(400)
    expect(screen(lab).errorCode).toBe('invalid_grant')
    const [token] = exchangesTo(lab, 'POST https://auth.example/token', from)
    expect(token?.response?.status).toBe(400)
    expect(json(token?.response as HttpResponse).error).toBe('invalid_grant')
    // RFC 6749 §4.1.2: the tokens issued from a replayed code are revoked.
    expect(lab.world.state.as.grants[grantId]?.revoked).toBe(true)
  })
})

describe('when the single-page app signs the user in', () => {
  it('navigates to /authorize with PKCE and keeps state and verifier in sessionStorage', async () => {
    const lab = await newLab()
    const url = new URL(await lab.spa.startLogin())
    expect(url.searchParams.get('client_id')).toBe('demo-spa')
    expect(url.searchParams.get('redirect_uri')).toBe('https://spa.example/callback')
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    const storage = lab.browser.storage(SPA)
    expect(storage.state).toBe(url.searchParams.get('state'))
    expect(storage.nonce).toBe(url.searchParams.get('nonce'))
    expect(url.searchParams.get('code_challenge')).toBe(
      await s256Challenge(storage.code_verifier ?? ''),
    )
    expect(lab.world.state.browser.url).toBe(url.toString())
    expect(screen(lab).kind).toBe('login')
    // The app was loaded first, then the browser went to the authorization server.
    expect(lab.exchanges.map(path)).toEqual([
      'GET https://spa.example/',
      'GET https://auth.example/authorize',
    ])
    expect(hdr(lab.exchanges[1]?.request, 'referer')).toBe('https://spa.example/')
  })

  it('redeems the code from the browser with its verifier and no secret', async () => {
    const lab = await newLab()
    const callback = await spaToCallback(lab)
    await lab.browser.followRedirect()
    expect(lab.world.state.browser.url).toBe(callback.toString())
    const verifier = lab.browser.storage(SPA).code_verifier
    const from = lab.exchanges.length
    const result = await lab.spa.handleCallback()
    expect(result).toEqual({ ok: true, tokens: expect.any(Object) })
    const [token] = exchangesTo(lab, 'POST https://auth.example/token', from)
    if (!token) throw new Error('no token request')
    expect(token.from).toBe('client')
    expect(token.channel).toBe('direct')
    expect(token.fromOrigin).toBe(SPA)
    expect(hdr(token.request, 'authorization')).toBeNull()
    expect(hdr(token.request, 'origin')).toBe(SPA)
    expect(form(token).get('client_id')).toBe('demo-spa')
    expect(form(token).get('code')).toBe(callback.searchParams.get('code'))
    expect(form(token).get('code_verifier')).toBe(verifier)
    expect(form(token).has('client_secret')).toBe(false)
    expect(token.response?.status).toBe(200)
    expect(hdr(token.response, 'access-control-allow-origin')).toBe(SPA)
    // A simple CORS request: no preflight for the token endpoint.
    expect(exchangesTo(lab, 'OPTIONS https://auth.example/token', from)).toEqual([])
    // The one-time values are spent and no longer stored.
    expect(lab.browser.storage(SPA)).toEqual({})
    expect(lab.spa.session().user?.sub).toBe('alice-7c9e')
  })

  it('calls the API after a CORS preflight, with a Bearer token', async () => {
    const lab = await newLab()
    await spaToCallback(lab)
    await lab.browser.followRedirect()
    await lab.spa.handleCallback()
    const from = lab.exchanges.length
    const result = await lab.spa.callApi()
    expect(result.ok).toBe(true)
    const [pre, get] = lab.exchanges.slice(from)
    expect(pre && path(pre)).toBe('OPTIONS https://api.example/photos')
    expect(hdr(pre?.request, 'origin')).toBe(SPA)
    expect(hdr(pre?.request, 'access-control-request-method')).toBe('GET')
    expect(hdr(pre?.request, 'access-control-request-headers')).toBe('authorization')
    expect(pre?.response?.status).toBe(204)
    expect(hdr(pre?.response, 'access-control-allow-origin')).toBe(SPA)
    expect(get && path(get)).toBe('GET https://api.example/photos')
    expect(get?.channel).toBe('direct')
    expect(hdr(get?.request, 'authorization')).toBe(
      `Bearer ${lab.spa.session().tokens?.access_token}`,
    )
    expect(get?.response?.status).toBe(200)
    expect(result.ok && (result.data as { photos: unknown[] }).photos).toHaveLength(3)
  })

  it('refreshes and then revokes its tokens', async () => {
    const lab = await newLab()
    await spaToCallback(lab)
    await lab.browser.followRedirect()
    await lab.spa.handleCallback()
    const first = lab.spa.session().tokens?.refresh_token ?? ''
    expect((await lab.spa.refresh()).ok).toBe(true)
    const second = lab.spa.session().tokens?.refresh_token ?? ''
    expect(second).not.toBe(first)
    expect(lab.world.state.as.refreshTokens[first]?.rotatedAt).not.toBeNull()
    const from = lab.exchanges.length
    expect(await lab.spa.revoke()).toEqual({ ok: true })
    const [revoke] = exchangesTo(lab, 'POST https://auth.example/revoke', from)
    expect(revoke?.channel).toBe('direct')
    expect(revoke && form(revoke).get('token')).toBe(second)
    expect(revoke && form(revoke).get('client_id')).toBe('demo-spa')
    expect(revoke?.response?.status).toBe(200)
    expect(lab.spa.session().tokens).toBeNull()
    expect(lab.world.state.as.refreshTokens[second]?.revoked).toBe(true)
  })

  it('gets invalid_request from the server when it skips PKCE', async () => {
    const lab = await newLab({ settings: { spaClient: { usePkce: false } } })
    const url = new URL(await lab.spa.startLogin())
    expect(url.searchParams.has('code_challenge')).toBe(false)
    const redirect = new URL(lab.world.state.browser.pendingRedirect ?? '')
    expect(`${redirect.origin}${redirect.pathname}`).toBe('https://spa.example/callback')
    expect(redirect.searchParams.get('error')).toBe('invalid_request')
    expect(redirect.searchParams.get('state')).toBe(url.searchParams.get('state'))
    expect(redirect.searchParams.get('iss')).toBe('https://auth.example')
    await lab.browser.followRedirect()
    const result = await lab.spa.handleCallback()
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error).toBe('invalid_request')
    expect(exchangesTo(lab, 'POST https://auth.example/token')).toEqual([])
  })

  it('refuses a callback with a wrong state', async () => {
    const lab = await newLab()
    const callback = await spaToCallback(lab)
    callback.searchParams.set('state', 'forged')
    await lab.browser.navigate(callback.toString())
    const result = await lab.spa.handleCallback()
    expect(!result.ok && result.error).toBe('state_mismatch')
    expect(lab.spa.session().error?.error).toBe('state_mismatch')
    expect(exchangesTo(lab, 'POST https://auth.example/token')).toEqual([])
    expect(lab.browser.storage(SPA).state).toBeUndefined()
  })

  it('does nothing while the browser is not on the SPA', async () => {
    const lab = await newLab()
    await lab.browser.navigate('https://client.example/')
    expect(await lab.spa.handleCallback()).toMatchObject({ ok: false, error: 'not_on_page' })
    expect(await lab.spa.callApi()).toMatchObject({ ok: false, error: 'not_on_page' })
  })
})

describe('when the browser keeps cookies', () => {
  const SITE = 'https://shop.example'

  /** A site that sets one cookie per SameSite value, and whatever else it is told to. */
  async function cookieLab(extra: string[] = []) {
    const lab = await newLab()
    lab.world.route(SITE, 'client', async () =>
      response(200, [
        ['Content-Type', 'text/html'],
        ['Set-Cookie', 'lax=1; Path=/; Secure; HttpOnly; SameSite=Lax'],
        ['Set-Cookie', 'strict=1; Path=/; Secure; SameSite=Strict'],
        ['Set-Cookie', 'none=1; Path=/; Secure; SameSite=None'],
        ...extra.map((c): [string, string] => ['Set-Cookie', c]),
      ]),
    )
    await lab.browser.navigate(`${SITE}/`)
    return lab
  }

  function cookieSent(lab: Lab): string[] {
    const ex = lab.exchanges.at(-1)
    return (hdr(ex?.request, 'cookie') ?? '').split('; ').filter(Boolean).sort()
  }

  it('stores them per origin with their attributes', async () => {
    const lab = await newLab()
    await webSignIn(lab)
    const jar = lab.world.state.browser.cookies
    expect(Object.keys(jar).sort()).toEqual(['https://auth.example', 'https://client.example'])
    expect(jar['https://client.example']?.client_session).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      path: '/',
      expiresAt: null,
    })
    expect(jar['https://auth.example']?.as_session).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      expiresAt: T0 + 8 * 3600 * 1000,
    })
    expect(jar['https://client.example']?.as_session).toBeUndefined()
  })

  it.each([
    ['a same-site POST', 'POST', SITE, ['lax=1', 'none=1', 'strict=1']],
    ['a same-site GET', 'GET', SITE, ['lax=1', 'none=1', 'strict=1']],
    ['a cross-site top-level GET', 'GET', 'https://attacker.example', ['lax=1', 'none=1']],
    ['a cross-site POST', 'POST', 'https://attacker.example', ['none=1']],
    ['a navigation typed in the address bar', 'GET', null, ['lax=1', 'none=1', 'strict=1']],
  ])('sends by SameSite on %s', async (_kind, method, initiator, expected) => {
    const lab = await cookieLab()
    await lab.browser.navigate(`${SITE}/next`, {
      method,
      initiator,
      body: '',
      contentType: 'text/plain',
    })
    expect(cookieSent(lab)).toEqual(expected)
  })

  it('sends the Lax session cookie on the cross-site redirect back to the callback', async () => {
    const lab = await newLab()
    await webToCallback(lab)
    await lab.browser.followRedirect()
    const [cb] = exchangesTo(lab, 'GET https://client.example/callback')
    expect(hdr(cb?.request, 'cookie')).toMatch(/^client_session=/)
    expect(hdr(cb?.request, 'referer')).toBe('https://auth.example/')
  })

  it('does not send the Lax session cookie on a forged cross-site POST', async () => {
    const lab = await newLab()
    await webSignIn(lab)
    const res = await lab.browser.navigate('https://client.example/logout', {
      method: 'POST',
      initiator: 'https://attacker.example',
      body: '',
      contentType: 'application/x-www-form-urlencoded',
    })
    const [logout] = exchangesTo(lab, 'POST https://client.example/logout')
    expect(hdr(logout?.request, 'cookie')).toBeNull()
    expect(hdr(logout?.request, 'origin')).toBe('https://attacker.example')
    expect(res.status).toBe(303)
    expect(webSession(lab).tokens).not.toBeNull()
    expect(exchangesTo(lab, 'POST https://auth.example/revoke')).toEqual([])
  })

  it('deletes a cookie set with Max-Age=0', async () => {
    const lab = await cookieLab()
    lab.world.route(SITE, 'client', async () =>
      response(200, [['Set-Cookie', 'lax=; Path=/; Max-Age=0']]),
    )
    await lab.browser.navigate(`${SITE}/clear`)
    expect(Object.keys(lab.world.state.browser.cookies[SITE] ?? {}).sort()).toEqual([
      'none',
      'strict',
    ])
    await lab.browser.navigate(`${SITE}/again`)
    expect(cookieSent(lab)).toEqual(['none=1', 'strict=1'])
  })

  it('expires cookies with the simulated clock', async () => {
    const lab = await cookieLab(['short=1; Path=/; Max-Age=60'])
    lab.clock.advance(59)
    await lab.browser.navigate(`${SITE}/`)
    expect(cookieSent(lab)).toContain('short=1')
    lab.clock.advance(60)
    await lab.browser.navigate(`${SITE}/`)
    expect(cookieSent(lab)).not.toContain('short=1')
  })

  it('lets the authorization server session lapse after 8 hours', async () => {
    const lab = await newLab()
    await lab.browser.authorize(await authorizationUrl(lab))
    // Signed in: the next authorization request goes straight to consent.
    await lab.browser.navigate(await authorizationUrl(lab))
    expect(screen(lab).kind).toBe('consent')
    lab.clock.advance(8 * 3600)
    await lab.browser.navigate(await authorizationUrl(lab))
    expect(hdr(lab.exchanges.at(-1)?.request, 'cookie')).toBeNull()
    expect(screen(lab).kind).toBe('login')
    expect(lab.world.state.browser.cookies['https://auth.example']).toEqual({})
  })
})

describe('when page code fetches across origins', () => {
  it('yields a CORS failure for a server without CORS headers, and the exchange is still recorded', async () => {
    const lab = await newLab()
    const result = await fetchFromSpaPage(lab, 'https://client.example/')
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error).toMatch(/^CORS/)
    const ex = lab.exchanges.at(-1)
    expect(ex && path(ex)).toBe('GET https://client.example/')
    expect(ex?.from).toBe('client')
    expect(ex?.channel).toBe('direct')
    expect(ex?.fromOrigin).toBe(SPA)
    expect(hdr(ex?.request, 'origin')).toBe(SPA)
    expect(ex?.response?.status).toBe(200)
  })

  it('refuses a preflight that the server does not allow', async () => {
    const lab = await newLab()
    const result = await fetchFromSpaPage(lab, 'https://client.example/photos', [
      ['Authorization', 'Bearer x'],
    ])
    expect(!result.ok && result.error).toMatch(/^CORS/)
    expect(lab.exchanges.map(path).at(-1)).toBe('OPTIONS https://client.example/photos')
  })

  it('sends no cookies across origins', async () => {
    const lab = await newLab()
    await lab.browser.authorize(await authorizationUrl(lab))
    await fetchFromSpaPage(lab, 'https://auth.example/jwks')
    expect(hdr(lab.exchanges.at(-1)?.request, 'cookie')).toBeNull()
  })
})

describe('when lab.browser.authorize is used', () => {
  it('resolves at the redirect URI without requesting it', async () => {
    const lab = await newLab()
    const url = await lab.browser.authorize(await authorizationUrl(lab))
    const redirect = new URL(url)
    expect(`${redirect.origin}${redirect.pathname}`).toBe(CALLBACK)
    expect(redirect.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(redirect.searchParams.get('state')).toBe('state-123')
    expect(lab.exchanges.map(path)).toEqual([
      'GET https://auth.example/authorize',
      'POST https://auth.example/login',
      'POST https://auth.example/consent',
    ])
    expect(lab.world.state.browser.pendingRedirect).toBe(url)
  })

  it('resolves with access_denied when the user denies', async () => {
    const lab = await newLab()
    const url = new URL(
      await lab.browser.authorize(await authorizationUrl(lab), { consent: 'deny' }),
    )
    expect(url.searchParams.get('error')).toBe('access_denied')
    expect(lab.exchanges.at(-1) && path(lab.exchanges.at(-1) as Exchange)).toBe(
      'POST https://auth.example/consent',
    )
  })

  it.each([
    ['a wrong password', { password: 'nope' }, 'LOGIN_FAILED', 200],
    ['an unknown user', { username: 'mallory' }, 'LOGIN_FAILED', 200],
  ])('rejects for %s', async (_kind, options, code, status) => {
    const lab = await newLab()
    await expect(lab.browser.authorize(await authorizationUrl(lab), options)).rejects.toMatchObject(
      {
        name: 'BrowserFlowError',
        code,
        status,
      },
    )
  })

  it('rejects with the error page status when the redirect URI is not registered', async () => {
    const lab = await newLab()
    const url = await authorizationUrl(lab, { redirect_uri: 'https://attacker.example/callback' })
    await expect(lab.browser.authorize(url)).rejects.toMatchObject({
      name: 'BrowserFlowError',
      code: 'ERROR_PAGE',
      status: 400,
    })
  })
})
