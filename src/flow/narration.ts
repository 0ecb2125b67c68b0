/**
 * Says what each step is and why it matters, with its phase letter and RFC links. Pure functions
 * of the exchange, the configuration and the world snapshot.
 */
import type { Exchange, HttpRequest, HttpResponse, Role, WorldState } from '../protocol/index.ts'
import type { FlowConfig, Phase, RfcLink, UserAction } from './types.ts'

const RFC = 'https://www.rfc-editor.org/rfc'
/** Links to the sections the narration cites. */
export const LINKS = {
  figure1: { label: 'RFC 6749 §1.2 (protocol flow)', href: `${RFC}/rfc6749#section-1.2` },
  authRequest: { label: 'RFC 6749 §4.1.1', href: `${RFC}/rfc6749#section-4.1.1` },
  authResponse: { label: 'RFC 6749 §4.1.2', href: `${RFC}/rfc6749#section-4.1.2` },
  authError: { label: 'RFC 6749 §4.1.2.1', href: `${RFC}/rfc6749#section-4.1.2.1` },
  tokenRequest: { label: 'RFC 6749 §4.1.3', href: `${RFC}/rfc6749#section-4.1.3` },
  tokenResponse: { label: 'RFC 6749 §5.1', href: `${RFC}/rfc6749#section-5.1` },
  tokenError: { label: 'RFC 6749 §5.2', href: `${RFC}/rfc6749#section-5.2` },
  clientAuth: { label: 'RFC 6749 §2.3.1', href: `${RFC}/rfc6749#section-2.3.1` },
  refresh: { label: 'RFC 6749 §6', href: `${RFC}/rfc6749#section-6` },
  csrf: { label: 'RFC 6749 §10.12', href: `${RFC}/rfc6749#section-10.12` },
  pkce: { label: 'RFC 7636 §4', href: `${RFC}/rfc7636#section-4` },
  bearer: { label: 'RFC 6750 §2.1', href: `${RFC}/rfc6750#section-2.1` },
  bearerError: { label: 'RFC 6750 §3', href: `${RFC}/rfc6750#section-3` },
  jwtAt: { label: 'RFC 9068 §4', href: `${RFC}/rfc9068#section-4` },
  revoke: { label: 'RFC 7009 §2', href: `${RFC}/rfc7009#section-2` },
  introspect: { label: 'RFC 7662 §2', href: `${RFC}/rfc7662#section-2` },
  iss: { label: 'RFC 9207', href: `${RFC}/rfc9207` },
  bcp: { label: 'RFC 9700 §2.1', href: `${RFC}/rfc9700#section-2.1` },
  rotation: { label: 'RFC 9700 §4.14.2', href: `${RFC}/rfc9700#section-4.14.2` },
  idToken: { label: 'OpenID Connect Core §3.1.3.7', href: 'https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation' },
  nonce: { label: 'OpenID Connect Core §15.5.2', href: 'https://openid.net/specs/openid-connect-core-1_0.html#NonceNotes' },
  jwks: { label: 'RFC 8414 §2 (jwks_uri)', href: `${RFC}/rfc8414#section-2` },
  cors: { label: 'Fetch standard: CORS preflight', href: 'https://fetch.spec.whatwg.org/#cors-preflight-fetch' },
} satisfies Record<string, RfcLink>

/** Display names of the lanes. */
export const ROLE_NAMES: Record<Role, string> = {
  browser: 'Browser',
  client: 'Client',
  'authorization-server': 'Authorization Server',
  'resource-server': 'Resource Server',
  attacker: 'Attacker',
}

export interface Described {
  title: string
  narration: string
  phase: Phase | null
  links: RfcLink[]
  label: string
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname
  } catch {
    return url
  }
}

function headerOf(headers: [string, string][], name: string): string | null {
  const lower = name.toLowerCase()
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1] ?? null
}

function formOf(req: HttpRequest): URLSearchParams {
  return new URLSearchParams(req.body)
}

function jsonOf(res: HttpResponse): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(res.body)
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null
  } catch {
    return null
  }
}

function pageKindOf(res: HttpResponse): string | null {
  return /<meta name="oauth-lab-page" content="([^"]*)">/.exec(res.body)?.[1] ?? null
}

function textOfId(html: string, id: string): string | null {
  const m = new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</`).exec(html)
  return m?.[1] === undefined ? null : m[1].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
}

/** Shortens a URL for an arrow: path plus `?…` when there is a query. */
export function shortUrl(url: string): string {
  try {
    const u = new URL(url)
    return `${u.pathname}${u.search ? '?…' : ''}`
  } catch {
    return url.slice(0, 40)
  }
}

/** The arrow label of a request. */
export function requestLabel(req: HttpRequest): string {
  return `${req.method} ${shortUrl(req.url)}`
}

/** The arrow label of a response: `302 → /authorize?…`, `200 {access_token…}`, `400 invalid_grant`. */
export function responseLabel(res: HttpResponse): string {
  const location = headerOf(res.headers, 'location')
  if (location && res.status >= 300 && res.status < 400) {
    try {
      const u = new URL(location)
      const err = u.searchParams.get('error')
      if (err) return `${res.status} → ${u.pathname}?error=${err}`
      if (u.searchParams.get('code')) return `${res.status} → ${u.pathname}?code=…`
    } catch {
      // relative location: fall through
    }
    return `${res.status} → ${shortUrl(location)}`
  }
  const body = jsonOf(res)
  if (body) {
    if (typeof body.error === 'string') return `${res.status} ${body.error}`
    if ('access_token' in body) return `${res.status} {access_token…}`
    if ('active' in body) return `${res.status} {active: ${String(body.active)}}`
    if ('keys' in body) return `${res.status} JWKS`
    if ('photos' in body) return `${res.status} {photos…}`
  }
  const kind = pageKindOf(res)
  if (kind) return `${res.status} ${kind.replace(/^client-/, '')} page`
  return `${res.status}`
}

function clientSession(world: WorldState, config: FlowConfig) {
  const c = config.clientType === 'confidential' ? world.web : world.spa
  return Object.values(c.sessions)[0] ?? null
}

/** Describes a request or response step. */
export function describeExchange(x: Exchange, dir: 'request' | 'response', config: FlowConfig, world: WorldState): Described {
  const req = x.request
  const res = x.response
  const path = pathOf(req.url)
  const spa = config.clientType === 'public'
  const label = dir === 'request' || !res ? requestLabel(req) : responseLabel(res)
  const d = (title: string, narration: string, phase: Phase | null, links: RfcLink[] = []): Described => ({ title, narration, phase, links, label })
  const key = `${x.to ?? '?'} ${req.method} ${path}`

  if (dir === 'request') {
    switch (key) {
      case 'client GET /':
        return spa
          ? d('The browser loads the single-page app', 'Alice opens the Demo Photo SPA at spa.example. Its host serves only static files: all of the app’s logic — and its tokens — will live in the browser.', null, [LINKS.bcp])
          : d('The browser opens the app', 'Alice opens the Demo Photo App at client.example. She is not signed in there, so the app has no tokens yet.', null, [LINKS.figure1])
      case 'client GET /login':
        return d('Alice clicks “Sign in with auth.example”', 'The browser asks the app to start a sign-in. The app has a server of its own, so it will keep every secret of this flow there.', 'A', [LINKS.authRequest])
      case 'authorization-server GET /authorize': {
        const p = new URL(req.url).searchParams
        const parts = ['response_type=code', 'client_id', 'redirect_uri', 'scope']
        if (p.get('state')) parts.push('state')
        if (p.get('code_challenge')) parts.push('code_challenge (S256)')
        if (p.get('nonce')) parts.push('nonce')
        return d(
          'Authorization request (front channel)',
          `The browser follows the redirect to the authorization endpoint, carrying ${parts.join(', ')} in the URL. The authorization server checks client_id and that redirect_uri exactly matches the registration before anything else: if either is wrong it must show an error itself and never redirect.`,
          'A',
          [LINKS.authRequest, LINKS.authError],
        )
      }
      case 'authorization-server POST /login':
        return d('The browser posts the login form', 'Alice’s username and password go to auth.example only — the app never sees her password. That is the point of OAuth.', 'A', [LINKS.figure1])
      case 'authorization-server POST /consent': {
        const decision = formOf(req).get('decision')
        return d(
          decision === 'deny' ? 'The browser sends “Deny”' : 'The browser sends “Allow”',
          `The consent form goes back to auth.example with Alice’s answer: ${decision ?? 'none'}.`,
          'A',
          [LINKS.authResponse],
        )
      }
      case 'client GET /callback': {
        // A refusal (access_denied…) comes back with error instead of a code.
        const error = new URL(req.url).searchParams.get('error')
        if (error) return d(`Redirect back to the ${spa ? 'SPA' : 'app'} with error=${error}`, `The browser delivers error, state and iss to the ${spa ? 'SPA' : 'app'}’s redirect_uri — and no code: there is nothing to exchange for tokens.`, 'B', [LINKS.authError, LINKS.iss])
        return spa
          ? d('Redirect back to the SPA with the code', 'The browser loads the SPA’s callback page; the code, state and iss are in its URL, where the app’s code can read them.', 'B', [LINKS.authResponse, LINKS.iss])
          : d(
              'Redirect back to the app with the code',
              'The browser delivers code, state and iss to the app’s redirect_uri. This is the front channel: the code passes through the browser, its history and its address bar — which is why it is short-lived, single-use and, with PKCE, useless without the verifier.',
              'B',
              [LINKS.authResponse, LINKS.iss],
            )
      }
      case 'authorization-server POST /token': {
        const f = formOf(req)
        if (f.get('grant_type') === 'refresh_token') {
          return d('Refresh: a new access token', `The ${spa ? 'SPA' : 'app'} presents its refresh token to get a new access token, without bothering Alice.`, 'C', [LINKS.refresh])
        }
        const basic = /^basic /i.test(headerOf(req.headers, 'authorization') ?? '')
        const auth = spa
          ? 'its client_id only — a public client has no secret it could keep'
          : basic
            ? 'its client_secret in an HTTP Basic Authorization header'
            : 'its client_secret in the form body (client_secret_post)'
        const verifier = f.get('code_verifier') ? ', and the code_verifier that only it knows' : ''
        return d(
          spa ? 'Token request from the browser' : 'Token request on the back channel',
          `${spa ? 'The SPA’s code calls the token endpoint with fetch' : 'The app’s server calls the token endpoint directly, server to server — the browser never sees this'}: grant_type=authorization_code, the code, the same redirect_uri${verifier}. It authenticates with ${auth}.`,
          'C',
          [LINKS.tokenRequest, LINKS.clientAuth, ...(verifier ? [LINKS.pkce] : [])],
        )
      }
      case 'authorization-server GET /jwks':
        return d(
          `${x.from === 'resource-server' ? 'The API' : 'The client'} fetches the signing keys`,
          'To check a JWT’s signature, it fetches the authorization server’s public keys from its jwks_uri, once, and caches them.',
          null,
          [LINKS.jwks],
        )
      case 'resource-server OPTIONS /photos':
        return d('CORS preflight', 'Before page code may send an Authorization header to another origin, the browser asks api.example whether spa.example is allowed to.', 'E', [LINKS.cors])
      case 'resource-server GET /photos':
      case 'resource-server POST /photos':
        return d(
          'API request with the bearer token',
          `The ${spa ? 'SPA' : 'app'} calls ${req.method} https://api.example/photos with “Authorization: Bearer <access token>”. Whoever holds a bearer token can use it — so it must never leak.`,
          'E',
          [LINKS.bearer],
        )
      case 'authorization-server POST /introspect':
        return d('The API asks the authorization server about the token', 'Introspection: instead of trusting the JWT alone, the API asks whether it is still active.', 'E', [LINKS.introspect])
      case 'authorization-server POST /revoke':
        return d('Revocation request', `The ${spa ? 'SPA' : 'app'} tells the authorization server it no longer needs its refresh token.`, null, [LINKS.revoke])
      case 'client POST /refresh':
        return d('Alice asks the app to refresh', 'She clicks “Refresh the token”. The app’s server will use its refresh token on the back channel.', null, [LINKS.refresh])
      case 'client POST /logout':
        return d('Alice signs out', 'The app will revoke its tokens at the authorization server and end its own session.', null, [LINKS.revoke])
      case 'client GET /photos':
        return d('Alice asks the app for her photos', 'The app’s server will call the API with its access token.', null, [LINKS.bearer])
    }
    return d(`${req.method} ${shortUrl(req.url)}`, `${ROLE_NAMES[x.from]} sends ${req.method} ${req.url}.`, null)
  }

  // responses
  const r = res as HttpResponse
  const body = jsonOf(r)
  const kind = pageKindOf(r)
  const location = headerOf(r.headers, 'location') ?? ''
  const err = typeof body?.error === 'string' ? body.error : null
  switch (key) {
    case 'client GET /':
      return spa
        ? d('The SPA is loaded', 'The app shows its “Sign in” button. Its code is now running in Alice’s browser.', null)
        : d('The app’s start page', 'The app offers “Sign in with auth.example”.', null)
    case 'client GET /login': {
      const u = location ? new URL(location) : null
      const extras = [
        u?.searchParams.get('state') ? 'a random state, kept in Alice’s session, to tie the answer to this browser (against CSRF)' : 'no state — nothing will tie the answer to this browser',
        u?.searchParams.get('code_challenge') ? 'a secret code_verifier, of which it sends only the SHA-256 hash, the code_challenge (PKCE)' : 'no PKCE — a stolen code would be enough to get tokens',
        ...(u?.searchParams.get('nonce') ? ['a nonce that the ID token must carry back'] : []),
      ]
      return d('The app redirects to the authorization server', `The app answers 302 with the authorization request in the Location URL. It made ${extras.join('; ')}. It sets its own session cookie to remember them.`, 'A', [LINKS.authRequest, LINKS.csrf, LINKS.pkce])
    }
    case 'authorization-server GET /authorize':
      if (kind === 'login') return d('The login page', 'Alice has no session at auth.example, so it shows its own login page. She types her password here, at the authorization server, never at the app.', 'A', [LINKS.figure1])
      if (kind === 'consent') return d('The consent page', 'Alice is already signed in at auth.example (its session cookie came along), so it goes straight to asking for consent.', 'A', [LINKS.figure1])
      if (kind === 'error') return d('The authorization server shows an error page', `${textOfId(r.body, 'error-message') ?? 'The request is refused.'} It does not redirect: the redirect_uri or client can’t be trusted with the answer.`, 'A', [LINKS.authError])
      if (location.includes('error=')) return d('The authorization server refuses the request', `It redirects back with error=${new URL(location).searchParams.get('error') ?? '?'}: ${new URL(location).searchParams.get('error_description') ?? ''}`, 'B', [LINKS.authError])
      break
    case 'authorization-server POST /login':
      if (kind === 'consent') return d('Signed in: the consent page', 'The password is right. auth.example starts a session (cookie as_session: HttpOnly, Secure, SameSite=Lax) and asks Alice whether the app may have the scopes it asked for, in plain words.', 'A', [LINKS.figure1])
      if (kind === 'login') return d('Wrong password: the login page again', `${textOfId(r.body, 'login-error') ?? 'The sign-in failed.'} Nothing is sent to the app; Alice can try again.`, 'A')
      break
    case 'authorization-server POST /consent':
      if (location.includes('error=access_denied')) return d('Denied: back to the app with access_denied', 'Alice said no. The authorization server redirects back with error=access_denied (and the state and iss), and issues no code.', 'B', [LINKS.authError])
      if (location.includes('code=')) return d('Authorization code grant: redirect back with the code', 'Consent given. The authorization server issues an authorization code — random, single use, valid 10 minutes, bound to this client, its redirect_uri, the scopes, the code_challenge and the nonce — and sends the browser back to the app with code, state and iss.', 'B', [LINKS.authResponse, LINKS.iss])
      break
    case 'client GET /callback': {
      const s = clientSession(world, config)
      if (r.status === 200 && kind === 'client-home') return d('The app shows Alice’s photos', 'Signed in. The app’s server holds the access, refresh and ID tokens in its session; the browser only ever had a session cookie.', 'F', [LINKS.figure1])
      if (s?.error) return d('The app refuses', `The app shows an error: ${s.error.error} — ${s.error.description}`, 'B', [s.error.error.startsWith('state') ? LINKS.csrf : s.error.error.startsWith('iss') ? LINKS.iss : LINKS.authError])
      if (spa) return d('The callback page is loaded', 'The SPA’s code reads code, state and iss from the address bar.', 'B', [LINKS.authResponse])
      break
    }
    case 'authorization-server POST /token':
      if (r.status === 200 && body) {
        const parts = ['an access token (a signed JWT, RFC 9068)']
        if (body.refresh_token) parts.push('a refresh token')
        if (body.id_token) parts.push('an ID token (OpenID Connect)')
        if (formOf(req).get('grant_type') === 'refresh_token') {
          return d('New tokens, and a new refresh token', 'The old refresh token is now spent: rotation. If anyone presents it again, the authorization server will revoke the whole token family.', 'D', [LINKS.refresh, LINKS.rotation])
        }
        return d(
          'Token response',
          `The authorization server checked the client${spa ? '' : '’s secret'}, that the code is unused, unexpired, issued to this client for this redirect_uri${formOf(req).get('code_verifier') ? ', and that SHA-256(code_verifier) equals the code_challenge' : ''}. It marks the code used and returns ${parts.join(', ')} — with Cache-Control: no-store.`,
          'D',
          [LINKS.tokenResponse, LINKS.jwtAt, ...(formOf(req).get('code_verifier') ? [LINKS.pkce] : [])],
        )
      }
      return d(`The token request is refused: ${err ?? r.status}`, `${typeof body?.error_description === 'string' ? body.error_description : ''} No tokens are issued.`, 'D', [LINKS.tokenError])
    case 'authorization-server GET /jwks':
      return d('The public keys (JWKS)', 'Public keys only: anyone may verify the authorization server’s signatures; only it can make them.', null, [LINKS.jwks])
    case 'resource-server OPTIONS /photos':
      return d('Preflight allowed', 'api.example allows spa.example to send GET with an Authorization header. Now the real request can go.', 'E', [LINKS.cors])
    case 'resource-server GET /photos':
    case 'resource-server POST /photos': {
      const v = world.rs.lastValidation
      if (r.status < 300) return d('Protected resource', `The API checked the JWT’s signature against the JWKS, its typ (at+jwt), iss, aud, exp, and that its scope covers the request. ${v?.reason ?? ''}`, 'F', [LINKS.jwtAt])
      return d(`The API refuses: ${r.status}`, `${headerOf(r.headers, 'www-authenticate') ?? ''} — ${v?.reason ?? ''}`, 'F', [LINKS.bearerError])
    }
    case 'authorization-server POST /introspect':
      return d(`Introspection: active ${String(body?.active)}`, 'The authorization server knows about revocation; the JWT alone does not.', 'E', [LINKS.introspect])
    case 'authorization-server POST /revoke':
      return d(
        r.status === 200 ? 'Revoked' : `Revocation refused: ${err ?? r.status}`,
        r.status === 200 ? 'The refresh token, and the access tokens of the same grant, are revoked at the authorization server. Honest caveat: the API validates JWTs locally, so an access token already issued keeps working there until it expires.' : '',
        null,
        [LINKS.revoke],
      )
    case 'client POST /refresh':
      return d(r.status === 200 ? 'The app has fresh tokens' : 'The refresh failed', r.status === 200 ? 'The app shows the new token’s expiry.' : (clientSession(world, config)?.error?.description ?? ''), null)
    case 'client POST /logout':
      return d('Signed out', 'The app forgot its tokens and ended its session; the authorization server revoked them.', null, [LINKS.revoke])
  }
  return d(`${r.status} from ${x.to ? ROLE_NAMES[x.to] : 'nowhere'}`, `${ROLE_NAMES[x.to ?? 'browser']} answers ${r.status}.`, null)
}

/** Describes a user step. */
export function describeUser(action: UserAction, config: FlowConfig, values?: { username?: string }): Described {
  const spa = config.clientType === 'public'
  switch (action) {
    case 'open':
      return { title: 'Alice opens the app', narration: `She types ${spa ? 'spa.example' : 'client.example'} in the address bar.`, phase: null, links: [], label: 'opens the app' }
    case 'click-sign-in':
      return { title: 'Alice clicks “Sign in”', narration: 'The SPA’s code makes a state, a code_verifier and its code_challenge, and a nonce; it keeps them in sessionStorage, which survives the trip to the authorization server.', phase: 'A', links: [LINKS.pkce, LINKS.csrf], label: 'clicks Sign in' }
    case 'sign-in':
      return { title: 'Alice types her username and password', narration: `She signs in as “${values?.username ?? 'alice'}” on auth.example’s own page.`, phase: 'A', links: [], label: 'types credentials' }
    case 'allow':
      return { title: 'Alice clicks Allow', narration: 'She agrees to give the app the listed scopes — and nothing more.', phase: 'A', links: [], label: 'clicks Allow' }
    case 'deny':
      return { title: 'Alice clicks Deny', narration: 'She refuses. Watch what the authorization server and the app do now.', phase: 'A', links: [], label: 'clicks Deny' }
  }
}

/** What each lane is doing after a step: in-flight requests make their senders wait. */
export function laneStatuses(
  world: WorldState,
  current: Exchange | null,
  dir: 'request' | 'response' | null,
  awaiting: 'credentials' | 'consent' | null,
  revealed?: number,
  responded?: ReadonlySet<number>,
): Record<Role, string> {
  const out: Record<Role, string> = { browser: 'Idle', client: 'Idle', 'authorization-server': 'Idle', 'resource-server': 'Idle', attacker: 'Idle' }
  // In flight: sent by this step or before, and no response yet — or the request of this very
  // step, whose response comes in a later step.
  for (const x of world.exchanges.slice(0, revealed ?? world.exchanges.length)) {
    const inFlight = x.response === null || (dir === 'request' && x.id === current?.id) || (responded !== undefined && !responded.has(x.id))
    if (inFlight && x.to) out[x.from] = `Waiting for the ${ROLE_NAMES[x.to]}`
  }
  if (current && dir === 'request' && current.to) out[current.to] = workOf(current)
  if (current && dir === 'response') out[current.from] = readOf(current)
  if (awaiting === 'credentials') out.browser = 'Waiting for the user to sign in'
  if (awaiting === 'consent') out.browser = 'Waiting for the user to answer'
  return out
}

function workOf(x: Exchange): string {
  const path = pathOf(x.request.url)
  const grant = formOf(x.request).get('grant_type')
  switch (`${x.to} ${path}`) {
    case 'authorization-server /authorize':
      return 'Checking client_id and redirect_uri'
    case 'authorization-server /login':
      return 'Checking the password'
    case 'authorization-server /consent':
      return 'Recording consent'
    case 'authorization-server /token':
      return grant === 'refresh_token' ? 'Rotating the refresh token' : 'Validating the code'
    case 'authorization-server /jwks':
      return 'Serving its public keys'
    case 'authorization-server /revoke':
      return 'Revoking the token'
    case 'authorization-server /introspect':
      return 'Looking the token up'
    case 'resource-server /photos':
      return x.request.method === 'OPTIONS' ? 'Answering the preflight' : 'Checking the token'
    case 'client /callback':
      return 'Checking state and iss'
    case 'client /login':
      return 'Making state, PKCE and nonce'
    default:
      return 'Handling the request'
  }
}

function readOf(x: Exchange): string {
  const status = x.response?.status ?? 0
  if (x.from === 'browser') return status >= 300 && status < 400 ? 'Following a redirect' : 'Showing the page'
  if (status >= 400) return `Got ${status}`
  const path = pathOf(x.request.url)
  if (path === '/token') return 'Storing the tokens'
  if (path === '/jwks') return 'Caching the keys'
  if (path === '/photos') return x.request.method === 'OPTIONS' ? 'Cleared to call the API' : 'Got the photos'
  return 'Reading the response'
}
