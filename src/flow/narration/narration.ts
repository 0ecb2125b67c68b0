/**
 * Says what each step is and why it matters, with its phase letter and RFC links. Pure functions
 * of the exchange, the configuration and the world snapshot.
 */
import { getHeader, ORIGINS, pageKindOfHtml, textById, type Exchange, type HttpRequest, type HttpResponse, type WorldState } from '../../protocol/index.ts'
import { jsonObject } from '../../protocol/wire.ts'
import { ROLE_NAMES } from '../roles.ts'
import { describeMixUpExchange } from '../scenarios/mix-up/words.ts'
import { formatDuration } from '../views/time.ts'
import type { AttackerMove, FlowConfig, Phase, RfcLink, UserAction } from '../types.ts'
import { own } from '../../protocol/records.ts'

const RFC = 'https://www.rfc-editor.org/rfc'
const OIDC = 'https://openid.net/specs/openid-connect-core-1_0.html#'
/** A link to an RFC or one of its sections: `RFC 6749 §4.1.1`, with a note in brackets if given. */
const rfc = (rfcNumber: number, section?: string, note?: string): RfcLink => ({
  label: `RFC ${rfcNumber}${section ? ` §${section}` : ''}${note ? ` (${note})` : ''}`,
  href: `${RFC}/rfc${rfcNumber}${section ? `#section-${section}` : ''}`,
})
/** Links to the sections the narration cites. */
export const LINKS = {
  figure1: rfc(6749, '1.2', 'protocol flow'),
  figure2: rfc(6749, '1.5', 'refresh token'),
  opaque: rfc(9068, '6', 'the client treats it as opaque'),
  implicit: rfc(9700, '2.1.2', 'implicit grant'),
  delegation: rfc(6749, '1', 'delegated, limited access'),
  authRequest: rfc(6749, '4.1.1'),
  authResponse: rfc(6749, '4.1.2'),
  authError: rfc(6749, '4.1.2.1'),
  tokenRequest: rfc(6749, '4.1.3'),
  tokenResponse: rfc(6749, '5.1'),
  tokenError: rfc(6749, '5.2'),
  clientAuth: rfc(6749, '2.3.1'),
  refresh: rfc(6749, '6'),
  csrf: rfc(6749, '10.12'),
  pkce: rfc(7636, '4'),
  bearer: rfc(6750, '2.1'),
  bearerError: rfc(6750, '3'),
  jwtAt: rfc(9068, '4'),
  revoke: rfc(7009, '2'),
  introspect: rfc(7662, '2'),
  iss: rfc(9207),
  bcp: rfc(9700, '2.1'),
  rotation: rfc(9700, '4.14.2'),
  idToken: { label: 'OpenID Connect Core §3.1.3.7', href: `${OIDC}IDTokenValidation` },
  nonce: { label: 'OpenID Connect Core §15.5.2', href: `${OIDC}NonceNotes` },
  jwks: rfc(8414, '2', 'jwks_uri'),
  cors: { label: 'Fetch standard: CORS preflight', href: 'https://fetch.spec.whatwg.org/#cors-preflight-fetch' },
  userinfo: { label: 'OpenID Connect Core §5.3 (UserInfo)', href: `${OIDC}UserInfo` },
  redirectUri: rfc(9700, '4.1', 'redirect URI validation'),
  csrfBcp: rfc(9700, '4.7', 'CSRF'),
  mixUp: rfc(9700, '4.4', 'mix-up'),
  codeInjection: rfc(9700, '4.5', 'code injection'),
  history: rfc(9700, '4.3', 'leakage via browser history'),
  refreshProtection: rfc(9700, '4.14', 'refresh token protection'),
} satisfies Record<string, RfcLink>

export { ROLE_NAMES }

export interface Described {
  title: string
  narration: string
  /** The rest of the narration, behind "More". */
  more?: string
  phase: Phase | null
  links: RfcLink[]
  label: string
}

/** A step's words: its title, narration and arrow label, with its phase and links. */
export function described(title: string, narration: string, label: string, phase: Phase | null = null, links: RfcLink[] = [], more?: string): Described {
  return { title, narration, phase, links, label, ...(more ? { more } : {}) }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname
  } catch {
    return url
  }
}

/** A list in words: `code`, `code and iss`, `code, state and iss`. */
export function listed(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? ''
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

/** The names of a URL's query parameters, in order, each once: what the message really carries. */
export function paramNames(url: string): string[] {
  try {
    return [...new Set(new URL(url).searchParams.keys())]
  } catch {
    return []
  }
}

/** The code a redirect carries, as the authorization server recorded it, or null. */
function codeRecordOf(world: WorldState, url: string) {
  try {
    const code = new URL(url).searchParams.get('code')
    return code !== null ? (own(world.as.codes, code) ?? null) : null
  } catch {
    return null
  }
}

/** Whether the browser got here by following a redirect to this very URL (else a page or a script sent it). */
function followedRedirect(world: WorldState, x: Exchange): boolean {
  const before = world.exchanges.filter((e) => e.id < x.id && e.from === x.from && e.channel === 'front' && e.response)
  const last = before.at(-1)
  return last?.response ? getHeader(last.response.headers, 'location') === x.request.url : false
}

function formOf(req: HttpRequest): URLSearchParams {
  return new URLSearchParams(req.body)
}

/** The `error_description` of a JSON error body, or nothing. */
const descriptionOf = (body: Record<string, unknown> | null): string => (typeof body?.error_description === 'string' ? body.error_description : '')

const jsonOf = (res: HttpResponse) => jsonObject(res.body)

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
  const location = getHeader(res.headers, 'location')
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
    if ('sub' in body) return `${res.status} {sub…}`
  }
  const kind = pageKindOfHtml(res.body)
  if (kind) return `${res.status} ${kind.replace(/^(client|attacker)-/, '')} page`
  return `${res.status}`
}

function clientSession(world: WorldState, config: FlowConfig) {
  const c = config.clientType === 'confidential' ? world.web : world.spa
  return Object.values(c.sessions)[0] ?? null
}

type Make = (title: string, narration: string, phase: Phase | null, links?: RfcLink[]) => Described

function hostPath(url: string): string {
  try {
    const u = new URL(url)
    return `${u.host}${u.pathname}`
  } catch {
    return url
  }
}

/** The exchanges of an attack: the attacker's own browser and requests, its sites, evil-as.example. */
function describeAttackerExchange(x: Exchange, dir: 'request' | 'response', world: WorldState, d: Make): Described | null {
  const req = x.request
  const res = x.response
  const url = new URL(req.url)
  const path = url.pathname
  const form = formOf(req)
  const location = res ? (getHeader(res.headers, 'location') ?? '') : ''
  const kind = res ? pageKindOfHtml(res.body) : null
  const body = res ? jsonOf(res) : null
  const err = typeof body?.error === 'string' ? body.error : null
  const status = res?.status ?? 0

  // The attacker's own browser, signing in to its own account at the honest server.
  if (x.from === 'attacker' && x.channel === 'front' && x.to === 'authorization-server') {
    switch (`${req.method} ${path} ${dir}`) {
      case 'GET /authorize request':
        return d(
          'Mallory starts a sign-in of her own',
          `In her own browser, Mallory opens auth.example’s authorization endpoint for ${url.searchParams.get('client_id') ?? 'the app'}: response_type=code, client_id, redirect_uri, scope — and no state, no PKCE. The callback she is after must work in someone else’s browser.`,
          'A',
          [LINKS.authRequest, LINKS.csrfBcp],
        )
      case 'GET /authorize response':
        return d('auth.example shows Mallory its login page', 'An ordinary sign-in: auth.example cannot know what Mallory plans.', 'A', [LINKS.figure1])
      case 'POST /login request':
        return d('Mallory signs in — to her own account', `${form.get('username') ?? 'mallory'} / ••••: a real account at auth.example, as anyone can have.`, 'A', [LINKS.figure1])
      case 'POST /login response':
        return d('Mallory’s consent page', 'auth.example asks whether the app may see her photos and add to them. She allows.', 'A', [LINKS.figure1])
      case 'POST /consent request':
        return d('Mallory clicks Allow', 'Her answer goes to auth.example like anyone’s.', 'A', [LINKS.authResponse])
      case 'POST /consent response':
        return d(
          'A code for Mallory’s account',
          `auth.example redirects Mallory’s browser to ${hostPath(location)} with a code for HER account. She does not follow the redirect: she keeps the URL — a forged callback, ready to plant.`,
          'B',
          [LINKS.authResponse, LINKS.csrfBcp],
        )
    }
    return null
  }

  // The victim's browser at the attacker's sites (evil-as.example's words are in mixUpWords.ts).
  if (x.to === 'attacker') {
    if (url.searchParams.has('code')) {
      return dir === 'request'
        ? d(
            'The browser delivers the code — to the attacker',
            `${url.host} looks like the app, but it is a host under attacker.example. The code (and state) in the URL now belong to the attacker.`,
            'B',
            [LINKS.redirectUri],
          )
        : d('Caught: the attacker has the code', 'The attacker’s server records the code and shows a harmless “Thanks!” page.', 'B', [LINKS.redirectUri])
    }
    if (path === '/' && req.method === 'GET') {
      if (dir === 'request') return d('Alice opens the prize page', 'A link in an email brings Alice to attacker.example: “Win free photo prints!”', null)
      const planted = world.attacker.plantedUrl
      return d(
        'The lure page',
        planted ? `It shows a “Claim my prize” link to ${hostPath(planted)}${new URL(planted).search ? '?…' : ''}. It looks harmless; it is where the attack happens.` : 'The giveaway is not open yet: no link.',
        null,
      )
    }
    return kind === 'attacker-not-found' && dir === 'response' ? d('Nothing there', `attacker.example has nothing at ${path}: ${status}.`, null) : null
  }

  // The attacker's own requests on the back channel.
  if (x.from === 'attacker' && x.to === 'authorization-server' && path === '/token') {
    const clientId = form.get('client_id') ?? '?'
    if (form.get('grant_type') === 'refresh_token') {
      if (dir === 'request') return d('The attacker presents the copied refresh token', `It posts the refresh token it copied to auth.example’s token endpoint, as ${clientId}. The SPA has refreshed since: this token was already used once.`, 'G', [LINKS.refresh, LINKS.rotation])
      return status === 200
        ? d('The attacker has fresh tokens', 'The copied refresh token was accepted: new tokens for Alice, in the attacker’s hands.', 'H', [LINKS.rotation])
        : d(
            `Reuse detected: ${err ?? status}`,
            `${descriptionOf(body)} That refresh token was already rotated, so someone holds a copy: auth.example refuses it and revokes the whole token family — the attacker’s copy and the SPA’s newest tokens alike.`,
            'H',
            [LINKS.rotation, LINKS.tokenError],
          )
    }
    if (dir === 'request') {
      return d(
        'The attacker redeems the stolen code',
        `It posts the code to auth.example’s token endpoint as ${clientId} — a public client has no secret to stop it — ${form.has('code_verifier') ? 'with a code_verifier it made itself' : 'with no code_verifier: it never had one'}.`,
        'C',
        [LINKS.tokenRequest, LINKS.codeInjection],
      )
    }
    if (status === 200) {
      return d(
        'The attacker has Alice’s tokens',
        `auth.example cannot tell the attacker from the app: the code was valid${form.has('code_verifier') ? ', and the verifier matched the challenge — the attacker’s own' : ' and nothing bound it to the SPA'}. Access, refresh and ID tokens for Alice’s account are now the attacker’s.`,
        'D',
        [LINKS.tokenResponse, LINKS.codeInjection],
      )
    }
    return d(`The attacker is refused: ${err ?? status}`, `${descriptionOf(body)} No tokens for the attacker.`, 'D', [LINKS.tokenError])
  }
  if (x.from === 'attacker' && x.to === 'resource-server') {
    if (dir === 'request') return d('The attacker calls the API with the stolen token', 'Authorization: Bearer <Alice’s access token>. A bearer token works for whoever holds it.', 'E', [LINKS.bearer])
    const photos = Array.isArray(body?.photos) ? (body.photos as { title?: unknown }[]).map((p) => String(p.title)).join(', ') : ''
    return status === 200
      ? d('The attacker sees Alice’s photos', `The API checked the token — genuine, unexpired, the right scope — and answered: ${photos || 'the photos'}.`, 'F', [LINKS.bearer])
      : d(`The API refuses the attacker: ${status}`, getHeader(res?.headers ?? [], 'www-authenticate') ?? '', 'F', [LINKS.bearerError])
  }
  return null
}

/** Describes a request or response step. */
export function describeExchange(x: Exchange, dir: 'request' | 'response', config: FlowConfig, world: WorldState): Described {
  const req = x.request
  const res = x.response
  const path = pathOf(req.url)
  const spa = config.clientType === 'public'
  const app = spa ? 'SPA' : 'app'
  const label = dir === 'request' || !res ? requestLabel(req) : responseLabel(res)
  const d = (title: string, narration: string, phase: Phase | null, links: RfcLink[] = []) => described(title, narration, label, phase, links)
  const key = `${x.to ?? '?'} ${req.method} ${path}`
  const query = () => new URL(req.url).searchParams
  const mixUp = describeMixUpExchange(x, dir, world, d)
  if (mixUp) return mixUp
  if (x.from === 'attacker' || x.to === 'attacker') {
    const a = describeAttackerExchange(x, dir, world, d)
    if (a) return a
  }

  if (dir === 'request') {
    switch (key) {
      case 'client GET /':
        return spa
          ? d('The browser loads the single-page app', 'Alice opens the Demo Photo SPA at spa.example. Its host serves only static files: all of the app’s logic — and its tokens — will live in the browser.', null, [LINKS.bcp])
          : d('The browser opens the app', 'Alice opens the Demo Photo App at client.example. She is not signed in there, so the app has no tokens yet.', null, [LINKS.figure1])
      case 'client GET /login': {
        return d('Alice clicks “Sign in with auth.example”', 'The browser asks the app to start a sign-in. The app has a server of its own, so it will keep every secret of this flow there.', 'A', [LINKS.authRequest])
      }
      case 'authorization-server GET /authorize': {
        const p = query()
        const redirectUri = p.get('redirect_uri')
        if (redirectUri !== null && redirectUri !== world.web.redirect_uri && redirectUri !== world.spa.redirect_uri) {
          return d(
            'A tampered authorization request',
            `Alice’s browser opens a real auth.example authorization request for ${p.get('client_id') ?? '?'} — but its redirect_uri is ${redirectUri}, not the one the client registered. Will auth.example send the answer there?`,
            'A',
            [LINKS.authRequest, LINKS.redirectUri],
          )
        }
        const how = followedRedirect(world, x)
          ? 'The browser follows the redirect to the authorization endpoint'
          : spa
            ? 'After the click, the SPA’s code sends the browser to the authorization endpoint'
            : 'The browser opens the authorization endpoint'
        const matching = world.as.settings.redirectUriMatching === 'exact' ? 'exactly matches' : 'starts like'
        return d(
          'Authorization request (front channel)',
          `${how}, carrying ${listed(paramNames(req.url))} in the URL. The authorization server checks client_id, and that redirect_uri ${matching} the registered one, before anything else: if either is wrong it must show an error itself and never redirect.`,
          'A',
          [LINKS.authRequest, LINKS.authError],
        )
      }
      case 'authorization-server POST /login':
        return d('The browser posts the login form', 'Alice’s username and password go to auth.example only: the app never sees her password. What the app will get instead is delegated access — a token limited to the scopes she allows, that expires and can be revoked.', 'A', [LINKS.figure1, LINKS.delegation])
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
        if ((getHeader(req.headers, 'referer') ?? '').startsWith(`${ORIGINS.attacker}/`)) {
          return d(
            'Alice’s browser opens the planted callback',
            `The prize link is the app’s own redirect_uri, carrying ${query().has('state') ? 'a code and a state' : 'a code and no state'} that Mallory got for her own account. A cross-site top-level GET: the browser sends the app’s SameSite=Lax cookies, if it has any.`,
            'B',
            [LINKS.csrf, LINKS.csrfBcp],
          )
        }
        // A refusal (access_denied…) comes back with error instead of a code.
        const error = query().get('error')
        const carried = listed(paramNames(req.url))
        if (error) return d(`Redirect back to the ${app} with error=${error}`, `The browser delivers ${carried} to the ${app}’s redirect_uri — and no code: there is nothing to exchange for tokens.`, 'B', [LINKS.authError, LINKS.iss])
        const record = codeRecordOf(world, req.url)
        const guards = [
          'short-lived',
          ...(record && world.as.settings.singleUseCodes ? ['single-use'] : []),
          ...(record?.code_challenge ? ['useless without the PKCE verifier'] : []),
        ]
        return spa
          ? d('Redirect back to the SPA with the code', `The browser loads the SPA’s callback page; ${carried} are in its URL, where the app’s code can read them.`, 'B', [LINKS.authResponse, LINKS.iss])
          : d(
              'Redirect back to the app with the code',
              `The browser delivers ${carried} to the app’s redirect_uri. This is the front channel: the code passes through the browser, its history and its address bar — which is why it is ${listed(guards)}.`,
              'B',
              [LINKS.authResponse, ...(paramNames(req.url).includes('iss') ? [LINKS.iss] : [])],
            )
      }
      case 'authorization-server POST /token': {
        const f = formOf(req)
        if (f.get('grant_type') === 'refresh_token') {
          return d('Refresh: a new access token', `The ${app} presents its refresh token to get a new access token, without bothering Alice.`, 'G', [LINKS.refresh, LINKS.figure2])
        }
        const basic = /^basic /i.test(getHeader(req.headers, 'authorization') ?? '')
        const auth = spa
          ? 'It sends its client_id, which names it; a public client has no secret it could keep, so it does not authenticate.'
          : basic
            ? 'It authenticates with its client_secret in an HTTP Basic Authorization header.'
            : f.has('client_secret')
              ? 'It authenticates with its client_secret in the form body (client_secret_post).'
              : 'It sends no client_secret: it does not authenticate.'
        const verifier = f.get('code_verifier') ? ', and the code_verifier that only it knows' : ''
        const redirect = f.has('redirect_uri') ? ', the same redirect_uri' : ''
        return d(
          spa ? 'Token request from the browser' : 'Token request on the back channel',
          `${spa ? 'The SPA’s code calls the token endpoint directly with fetch — no redirect, nothing in the address bar' : 'The app’s server calls the token endpoint directly, server to server — the browser never sees this'}: grant_type=authorization_code, the code${redirect}${verifier}. ${auth}`,
          'C',
          [LINKS.tokenRequest, LINKS.clientAuth, ...(verifier ? [LINKS.pkce] : [])],
        )
      }
      case 'authorization-server GET /jwks':
        return x.from === 'resource-server'
          ? d('The API fetches the signing keys', 'To check the access token’s signature, the API fetches the authorization server’s public keys from its jwks_uri, once, and caches them.', null, [LINKS.jwks, LINKS.jwtAt])
          : d(
              'The client fetches the signing keys',
              `To check the ID token’s signature, the ${app} fetches auth.example’s public keys from its jwks_uri, once, and caches them. The access token it does not check: to a client it is opaque, for the API to read.`,
              null,
              [LINKS.jwks, LINKS.idToken, LINKS.opaque],
            )
      case 'resource-server OPTIONS /photos':
        return d('CORS preflight', 'Before page code may send an Authorization header to another origin, the browser asks api.example whether spa.example is allowed to.', null, [LINKS.cors])
      case 'authorization-server OPTIONS /userinfo':
        return d('CORS preflight', 'Before page code may send an Authorization header to auth.example, the browser asks whether spa.example is allowed to.', null, [LINKS.cors])
      case 'authorization-server GET /userinfo':
        return d(
          'UserInfo request',
          `The ${app} asks auth.example’s UserInfo endpoint who signed in, with “Authorization: Bearer <access token>”. UserInfo is OpenID Connect’s: the token must carry the openid scope.`,
          'E',
          [LINKS.userinfo, LINKS.bearer],
        )
      case 'resource-server GET /photos':
      case 'resource-server POST /photos':
        return d(
          'API request with the bearer token',
          `The ${app} calls ${req.method} https://api.example/photos with “Authorization: Bearer <access token>”. Whoever holds a bearer token can use it — so it must never leak.`,
          'E',
          [LINKS.bearer],
        )
      case 'authorization-server POST /introspect':
        if (x.from === 'client') return d('A look at what auth.example knows: introspection', 'The lab lets the app ask auth.example whether its access token is still active, to show what the server knows. Introspection (RFC 7662) is meant for resource servers; a real client treats its access token as opaque and simply uses it.', null, [LINKS.introspect, LINKS.opaque])
        return d('The API asks the authorization server about the token', 'Introspection: instead of trusting the JWT alone, the API asks whether it is still active.', null, [LINKS.introspect])
      case 'authorization-server POST /revoke':
        return d('Revocation request', `The ${app} tells the authorization server it no longer needs its refresh token.`, null, [LINKS.revoke])
      case 'client POST /refresh':
        return d('Alice asks the app to refresh', 'She clicks “Refresh the token”. The app’s server will use its refresh token on the back channel.', null, [LINKS.refresh])
      case 'client POST /logout':
        return d('Alice signs out', 'The app will revoke its tokens at the authorization server and end its own session.', null, [LINKS.revoke])
      case 'client GET /photos':
        return d('Alice asks the app for her photos', 'The app’s server will call the API with its access token.', null, [LINKS.bearer])
      case 'client POST /photos':
        return d('Alice adds a photo', 'The browser posts the form to the app; the app’s server will call POST https://api.example/photos with its access token.', null, [LINKS.bearer])
    }
    return d(`${req.method} ${shortUrl(req.url)}`, `${ROLE_NAMES[x.from]} sends ${req.method} ${req.url}.`, null)
  }

  // responses
  const r = res as HttpResponse
  const body = jsonOf(r)
  const kind = pageKindOfHtml(r.body)
  const location = getHeader(r.headers, 'location') ?? ''
  const err = typeof body?.error === 'string' ? body.error : null
  switch (key) {
    case 'client GET /':
      return spa
        ? d('The SPA is loaded', 'The app shows its “Sign in” button. Its code is now running in Alice’s browser.', null)
        : d('The app’s start page', 'The app offers “Sign in with auth.example”.', null)
    case 'client GET /login': {
      const u = location ? new URL(location) : null
      const has = (name: string) => u?.searchParams.has(name) === true
      const kept = [...(has('state') ? ['state'] : []), ...(has('code_challenge') ? ['the code_verifier'] : []), ...(has('nonce') ? ['nonce'] : [])]
      const why = [
        has('state') ? 'state is random and ties the answer to this browser (against CSRF).' : 'No state: nothing will tie the answer to this browser.',
        has('code_challenge') ? 'The code_verifier is a secret; only its SHA-256 hash, the code_challenge, leaves (PKCE), so a stolen code is useless without it.' : 'No PKCE: a stolen code would be enough to get tokens.',
        ...(has('nonce') ? ['The nonce comes back inside the ID token, if one is issued, tying it to this sign-in.'] : []),
      ]
      return described(
        'The app redirects to the authorization server',
        `The app answers 302 with the authorization request in the Location URL: ${listed(paramNames(location))}.${kept.length ? ` It keeps ${listed(kept)} in Alice’s session, behind its own cookie.` : ''}`,
        label,
        'A',
        [LINKS.authRequest, LINKS.csrf, LINKS.pkce],
        why.join(' '),
      )
    }
    case 'authorization-server GET /authorize':
      if (kind === 'login') return d('The login page', 'Alice has no session at auth.example, so it shows its own login page. She types her password here, at the authorization server, never at the app.', 'A', [LINKS.figure1])
      if (kind === 'consent') return d('The consent page', 'Alice is already signed in at auth.example (its session cookie came along), so it goes straight to asking for consent.', 'A', [LINKS.figure1])
      if (kind === 'error') return d('The authorization server shows an error page', `${textById(r.body, 'error-message') ?? 'The request is refused.'} It does not redirect: the redirect_uri or client can’t be trusted with the answer.`, 'A', [LINKS.authError])
      if (location.includes('error=')) return d('The authorization server refuses the request', `It redirects back with error=${new URL(location).searchParams.get('error') ?? '?'}: ${new URL(location).searchParams.get('error_description') ?? ''}`, 'B', [LINKS.authError])
      break
    case 'authorization-server POST /login':
      if (kind === 'consent') return d('Signed in: the consent page', 'The password is right. auth.example starts a session (cookie as_session: HttpOnly, Secure, SameSite=Lax) and asks Alice whether the app may have the scopes it asked for, in plain words.', 'A', [LINKS.figure1])
      if (kind === 'login') return d('Wrong password: the login page again', `${textById(r.body, 'login-error') ?? 'The sign-in failed.'} Nothing is sent to the app; Alice can try again.`, 'A')
      break
    case 'authorization-server POST /consent':
      if (location.includes('code=') && ![ORIGINS.webClient, ORIGINS.spaClient].includes(new URL(location).origin as never)) {
        return d(
          'The code goes to the look-alike host',
          `Consent given — to the real client. auth.example issues the code and redirects to the request’s redirect_uri, which its lax rule let through: ${new URL(location).origin}${new URL(location).pathname}. The browser will carry the code there.`,
          'B',
          [LINKS.authResponse, LINKS.redirectUri],
        )
      }
      if (location.includes('error=access_denied')) return d('Denied: back to the app with access_denied', `Alice said no. The authorization server redirects back with ${listed(paramNames(location))}, and issues no code.`, 'B', [LINKS.authError])
      if (location.includes('code=')) {
        const record = codeRecordOf(world, location)
        const lifetime = record ? `valid ${formatDuration(Math.round(record.expiresAt - record.issuedAt))}` : ''
        const traits = ['random', ...(world.as.settings.singleUseCodes ? ['single use'] : ['reusable (this server does not enforce single use)']), ...(lifetime ? [lifetime] : [])]
        const bound = ['this client', 'its redirect_uri', 'the scopes', ...(record?.code_challenge ? ['the code_challenge'] : []), ...(record?.nonce ? ['the nonce'] : [])]
        return d(
          'Authorization code grant: redirect back with the code',
          `Consent given. The authorization server issues an authorization code — ${traits.join(', ')}, bound to ${listed(bound)} — and sends the browser back to the app with ${listed(paramNames(location))}.`,
          'B',
          [LINKS.authResponse, ...(paramNames(location).includes('iss') ? [LINKS.iss] : [])],
        )
      }
      break
    case 'client GET /callback': {
      const s = clientSession(world, config)
      const alice = world.as.users.alice?.sub
      if (r.status === 200 && kind === 'client-home' && s?.user && alice !== undefined && s.user.sub !== alice) {
        const name = typeof s.user.name === 'string' ? s.user.name : String(s.user.sub)
        return d(`Signed in — as ${name}`, `The app redeemed the code on the back channel and opened a session for the account it belongs to: ${name}’s. Alice’s browser now shows “Signed in as ${name}” — if she notices at all.`, 'F', [LINKS.csrf, LINKS.csrfBcp])
      }
      if (r.status === 200 && kind === 'client-home') {
        const t = s?.tokens
        const held = t ? ['access', ...(t.refresh_token ? ['refresh'] : []), ...(t.id_token ? ['ID'] : [])] : []
        const holds = held.length ? `The app’s server holds the ${listed(held)} token${held.length > 1 ? 's' : ''} in its session; the browser only ever had a session cookie.` : ''
        return t?.id_token
          ? d('The app shows Alice’s photos', `Signed in: the ID token told the app who she is. ${holds}`, 'F', [LINKS.figure1])
          : d('The app shows Alice’s photos', `The app may now read her photos, but it does not know who she is: OAuth gives it access, not a sign-in (OpenID Connect would add that, with an ID token). ${holds}`, 'F', [LINKS.figure1])
      }
      if (s?.error) return d('The app refuses', `The app shows an error: ${s.error.error} — ${s.error.description}`, 'B', [s.error.error.startsWith('state') ? LINKS.csrf : s.error.error.startsWith('iss') ? LINKS.iss : LINKS.authError])
      if (spa) return d('The callback page is loaded', 'The SPA’s code reads code, state and iss from the address bar.', 'B', [LINKS.authResponse])
      if (kind === 'client-error') {
        const code = textById(r.body, 'error-code') ?? String(r.status)
        return d(`The app refuses: ${code}`, `${textById(r.body, 'error-message') ?? ''} It redeems nothing.`, 'B', [LINKS.csrf, LINKS.csrfBcp])
      }
      break
    }
    case 'authorization-server POST /token':
      if (r.status === 200 && body) {
        const parts = ['an access token (a signed JWT, RFC 9068)']
        if (body.refresh_token) parts.push('a refresh token')
        if (body.id_token) parts.push('an ID token (OpenID Connect)')
        if (formOf(req).get('grant_type') === 'refresh_token') {
          if (!body.refresh_token) {
            return d('A new access token, the same refresh token', 'No new refresh token in the response: this authorization server does not rotate, so the client keeps the one it has (RFC 6749 §6 allows it) and that token stays valid. Anyone holding a copy can keep refreshing, and nobody will notice.', 'H', [LINKS.refresh, LINKS.rotation])
          }
          return d('New tokens, and a new refresh token', 'The old refresh token is now spent: rotation. If anyone presents it again, the authorization server will revoke the whole token family.', 'H', [LINKS.refresh, LINKS.rotation])
        }
        const f = formOf(req)
        const basic = /^basic /i.test(getHeader(req.headers, 'authorization') ?? '')
        const who = basic || f.has('client_secret') ? 'authenticated the client by its secret' : 'identified the client by its client_id'
        const checks = [...(world.as.settings.singleUseCodes ? ['unused'] : []), 'unexpired', `issued to this client${f.has('redirect_uri') ? ' for this redirect_uri' : ''}`]
        return d(
          'Token response',
          `The authorization server ${who}, checked that the code is ${listed(checks)}${f.get('code_verifier') ? ', and that SHA-256(code_verifier) equals the code_challenge' : ''}. It ${world.as.settings.singleUseCodes ? 'marks the code used and ' : ''}returns ${listed(parts)}${getHeader(r.headers, 'cache-control') ? ` — with Cache-Control: ${getHeader(r.headers, 'cache-control')}` : ''}.`,
          'D',
          [LINKS.tokenResponse, LINKS.jwtAt, ...(formOf(req).get('code_verifier') ? [LINKS.pkce] : [])],
        )
      }
      return d(`The token request is refused: ${err ?? r.status}`, `${descriptionOf(body)} No tokens are issued.`, formOf(req).get('grant_type') === 'refresh_token' ? 'H' : 'D', [LINKS.tokenError])
    case 'authorization-server GET /jwks':
      return d('The public keys (JWKS)', 'Public keys only: anyone may verify the authorization server’s signatures; only it can make them.', null, [LINKS.jwks])
    case 'resource-server OPTIONS /photos':
      return d('Preflight allowed', 'api.example allows spa.example to send GET with an Authorization header. Now the real request can go.', null, [LINKS.cors])
    case 'resource-server GET /photos':
    case 'resource-server POST /photos': {
      const v = world.rs.lastValidation
      if (r.status < 300) {
        return world.rs.settings.tokenValidation === 'introspection'
          ? d('Protected resource', `The API asked auth.example about the token (introspection) instead of trusting the JWT alone, and checked that its scope covers the request. ${v?.reason ?? ''}`, 'F', [LINKS.introspect])
          : d('Protected resource', `The API checked the JWT’s signature against the JWKS, its typ (at+jwt), iss, aud, exp, and that its scope covers the request. ${v?.reason ?? ''}`, 'F', [LINKS.jwtAt])
      }
      return d(`The API refuses: ${r.status}`, `${getHeader(r.headers, 'www-authenticate') ?? ''} — ${v?.reason ?? ''}`, 'F', [LINKS.bearerError])
    }
    case 'authorization-server OPTIONS /userinfo':
      return d('Preflight allowed', 'auth.example allows spa.example to send the Authorization header. Now the real request can go.', null, [LINKS.cors])
    case 'authorization-server GET /userinfo': {
      if (r.status === 200 && body) {
        const claims = Object.entries(body).map(([k, v]) => `${k}: ${String(v)}`).join(', ')
        return d('UserInfo: the claims about the user', `auth.example checked the access token (issued by it, not revoked, not expired, with openid) and answers with the claims the scopes allow — ${claims}.`, 'F', [LINKS.userinfo])
      }
      const challenge = getHeader(r.headers, 'www-authenticate') ?? ''
      const description = /error_description="([^"]*)"/.exec(challenge)?.[1] ?? ''
      return d(`UserInfo refuses: ${r.status} ${err ?? /error="([^"]*)"/.exec(challenge)?.[1] ?? ''}`.trim(), `${description} auth.example keeps track of what it revoked; its own endpoints refuse such a token at once.`, 'F', [LINKS.userinfo, LINKS.bearerError])
    }
    case 'client GET /photos':
    case 'client POST /photos':
      if (r.status === 200) return d(req.method === 'POST' ? 'The photo is added' : 'The app shows the photos', `The app’s page lists what the API returned${req.method === 'POST' ? ', the new photo included' : ''}.`, 'F', [LINKS.bearer])
      return d(`The app shows the refusal: ${textById(r.body, 'error-code') ?? r.status}`, textById(r.body, 'error-message') ?? `The app answers ${r.status}.`, 'F', [LINKS.bearerError])
    case 'authorization-server POST /introspect':
      return d(`Introspection: active ${String(body?.active)}`, 'The authorization server knows about revocation; the JWT alone does not.', null, [LINKS.introspect])
    case 'authorization-server POST /revoke':
      return d(
        r.status === 200 ? 'Revoked' : `Revocation refused: ${err ?? r.status}`,
        r.status === 200
          ? world.rs.settings.tokenValidation === 'introspection'
            ? 'The refresh token, and the access tokens of the same grant, are revoked at the authorization server. The API asks auth.example about every token (introspection), so they stop working there at once.'
            : 'The refresh token, and the access tokens of the same grant, are revoked at the authorization server. Honest caveat: the API validates JWTs locally, so an access token already issued keeps working there until it expires.'
          : descriptionOf(body),
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
      return described('Alice opens the app', `She types ${spa ? 'spa.example' : 'client.example'} in the address bar.`, 'opens the app')
    case 'click-sign-in': {
      const made = [...(config.state ? ['a state'] : []), ...(config.pkce ? ['a code_verifier and its code_challenge'] : []), ...(config.oidc ? ['a nonce'] : [])]
      return described(
        'Alice clicks “Sign in”',
        made.length
          ? `The SPA’s code makes ${listed(made)}; it keeps them in sessionStorage, which survives the trip to the authorization server.`
          : 'The SPA’s code builds the authorization request: no state, no PKCE, no nonce.',
        'clicks Sign in',
        'A',
        [...(config.pkce ? [LINKS.pkce] : []), ...(config.state ? [LINKS.csrf] : [])],
      )
    }
    case 'sign-in':
      return described('Alice types her username and password', `She signs in as “${values?.username ?? 'alice'}” on auth.example’s own page.`, 'types credentials', 'A')
    case 'allow':
      return described('Alice clicks Allow', 'She agrees to give the app the listed scopes — and nothing more.', 'clicks Allow', 'A')
    case 'deny':
      return described('Alice clicks Deny', 'She refuses. Watch what the authorization server and the app do now.', 'clicks Deny', 'A')
    case 'visit-lure':
      return described('Alice opens a link from an email', '“You have won 100 free photo prints!” The link goes to attacker.example.', 'opens the prize email')
    case 'follow-link':
      return described('Alice clicks “Claim my prize”', 'The link goes wherever the attacker wants — here, to a real, familiar address.', 'clicks the prize link')
    case 'upload':
      return described('Alice clicks “Add a photo”', 'She uploads a photo from the app’s page.', 'clicks Add a photo', null, [LINKS.bearer])
  }
}

/**
 * Describes a clock step: time passes and nothing is sent.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export function describeTime(seconds: number, reason: string): Described {
  const span = formatDuration(seconds)
  return described(`Time passes: ${span}`, `${reason} Nothing is sent: the simulated clock jumps ahead.`, `+${span}`)
}

/**
 * Describes one of the attacker's moves that sends nothing (its requests are described as exchanges).
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4
 */
export function describeAttackerMove(move: AttackerMove, world: WorldState, config: FlowConfig): Described {
  const planted = world.attacker.plantedUrl
  const stolen = world.attacker.stolenCodes.at(-1)
  const make = (title: string, narration: string, label: string, links: RfcLink[]) => described(title, narration, label, null, links)
  switch (move) {
    case 'obtain-own-code':
      return make('Mallory gets a code for her own account', 'In her own browser, she signs in to auth.example and stops at the redirect.', 'gets her own code', [LINKS.csrfBcp])
    case 'plant-forged-callback':
      return make(
        'Mallory plants the forged callback',
        `She puts the callback URL — a code for HER account${planted && new URL(planted).searchParams.has('state') ? '' : ', and no state'} — behind a “Claim my prize” link on attacker.example${planted ? `: ${hostPath(planted)}?…` : ''}. Whoever clicks it delivers Mallory’s code to the Demo Photo App.`,
        'plants the link',
        [LINKS.csrfBcp, LINKS.csrf],
      )
    case 'craft-authorization-request': {
      const p = planted ? new URL(planted).searchParams : null
      return make(
        'The attacker crafts an authorization request',
        `A real auth.example link for ${p?.get('client_id') ?? (config.clientType === 'public' ? 'demo-spa' : 'demo-web-app')}: response_type=code, its client_id, a scope — but redirect_uri=${p?.get('redirect_uri') ?? '?'}, on a host the attacker owns, and a code_challenge of the attacker’s own making, so PKCE will not stand in its way. The link goes behind “Claim my prize” on attacker.example.`,
        'crafts a link',
        [LINKS.redirectUri, LINKS.authRequest],
      )
    }
    case 'intercept-code':
      return make(
        'The attacker intercepts the code',
        `The redirect to ${stolen ? hostPath(stolen.url) : 'the callback'}?code=… is seen by more than the SPA: a malicious app registered for the same redirect, a browser extension, a proxy log. The attacker copies the code and races the SPA to the token endpoint.`,
        'intercepts the code',
        [LINKS.codeInjection, LINKS.pkce],
      )
    case 'copy-code':
      return make(
        'The attacker copies a used code',
        'The callback URL, code and all, is still in Alice’s browser history (and perhaps in a proxy log). The SPA redeemed that code moments ago; the attacker tries it anyway.',
        'copies the used code',
        [LINKS.history, LINKS.authResponse],
      )
    case 'copy-refresh-token':
      return make(
        'A script copies the refresh token',
        'Suppose a malicious script runs on spa.example — an XSS hole, a compromised dependency. It reads the refresh token from the SPA’s memory and sends it to the attacker, who keeps it for later.',
        'copies the refresh token',
        [LINKS.refreshProtection],
      )
    case 'redeem-code':
      return make('The attacker redeems the stolen code', 'It posts the code to the token endpoint.', 'redeems the code', [LINKS.tokenRequest])
    case 'call-api':
      return make('The attacker calls the API', 'It uses the stolen access token.', 'calls the API', [LINKS.bearer])
    case 'replay-refresh-token':
      return make('The attacker presents the copied refresh token', 'It posts the refresh token to the token endpoint.', 'replays the refresh token', [LINKS.rotation])
    case 'inject-stolen-code':
      return make('The attacker injects the stolen code', 'In its own browser, it delivers the code to the app’s callback.', 'injects the code', [LINKS.codeInjection])
    default: {
      const never: never = move
      return make(String(never), '', String(never), [])
    }
  }
}
