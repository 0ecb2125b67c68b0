/**
 * The mix-up scenario's words for its exchanges: Alice's pick of evil-as.example, evil-as passing
 * her on, the app sending the code to the wrong token endpoint, and the attacker injecting that
 * code into a sign-in of its own. Every list of parameters is read from the message it describes.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.4
 */
import {
  CLIENT_SESSION_COOKIE,
  getHeader,
  ORIGINS,
  pageKindOfHtml,
  textById,
  type Exchange,
  type WorldState,
} from '../../../protocol/index.ts'
import { unescapeHtml } from '../../../protocol/html.ts'
import { jsonObject } from '../../../protocol/wire.ts'
import type { Described } from '../../narration/narration.ts'
import type { Phase, RfcLink } from '../../types.ts'
import { bcp } from '../common.ts'
import { attackerWebSessionOf, tokenOwnerOf } from '../helpers.ts'
import { own } from '../../../protocol/records.ts'

/** Makes a step's words (narration.ts passes its own, with the arrow's label). */
export type Make = (
  title: string,
  narration: string,
  phase: Phase | null,
  links?: RfcLink[],
) => Described

const RFC = 'https://www.rfc-editor.org/rfc'
const LINKS = {
  mixUp: bcp('4.4', 'mix-up'),
  mixUpDefence: bcp('4.4.2', 'mix-up countermeasures'),
  codeInjection: bcp('4.5', 'code injection'),
  iss: { label: 'RFC 9207 §2.4 (iss)', href: `${RFC}/rfc9207#section-2.4` },
  authRequest: { label: 'RFC 6749 §4.1.1', href: `${RFC}/rfc6749#section-4.1.1` },
  authResponse: { label: 'RFC 6749 §4.1.2', href: `${RFC}/rfc6749#section-4.1.2` },
  tokenRequest: { label: 'RFC 6749 §4.1.3', href: `${RFC}/rfc6749#section-4.1.3` },
  tokenResponse: { label: 'RFC 6749 §5.1', href: `${RFC}/rfc6749#section-5.1` },
  bearer: { label: 'RFC 6750 §2.1', href: `${RFC}/rfc6750#section-2.1` },
} satisfies Record<string, RfcLink>

const EVIL = ORIGINS.maliciousAuthorizationServer
const host = (origin: string) => origin.replace(/^https:\/\//, '')

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/** `a, b and c`. */
function and(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`
}

/** The names of the parameters a query or form carries, in order: `response_type, client_id, …`. */
function names(params: URLSearchParams): string {
  return and([...new Set(params.keys())])
}

/** What an authorization request lacks of what binds a code to one sign-in: `no PKCE and no nonce`. */
function lacks(params: URLSearchParams): string[] {
  const out: string[] = []
  if (!params.has('state')) out.push('no state')
  if (!params.has('code_challenge')) out.push('no PKCE')
  if (!params.has('nonce')) out.push('no nonce')
  return out
}

/** The “Sign in with …” links of a page, as their words. */
function signInLinks(html: string): string[] {
  return [...html.matchAll(/<a id="sign-in[^"]*" href="[^"]*">([^<]*)<\/a>/g)].map((m) =>
    unescapeHtml(m[1] ?? ''),
  )
}

/** The code of a form body or query, when it is one the attacker caught at evil-as.example. */
function stolen(world: WorldState, code: string | null): boolean {
  return (
    code !== null &&
    world.attacker.stolenCodes.some((c) => c.code === code && c.via === 'token-request')
  )
}

/** Whether a request carries the access token of the app's session in the attacker's browser. */
function forAttackerSession(world: WorldState, authorization: string | null): boolean {
  const token = attackerWebSessionOf(world)?.tokens?.access_token
  return token !== undefined && authorization === `Bearer ${token}`
}

/**
 * The words for an exchange of the mix-up, or null for one it has no words of its own for.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.4.1
 */
export function describeMixUpExchange(
  x: Exchange,
  dir: 'request' | 'response',
  world: WorldState,
  d: Make,
): Described | null {
  const req = x.request
  const res = dir === 'response' ? x.response : null
  const url = parse(req.url)
  if (!url) return null
  const path = url.pathname
  const location = res ? (getHeader(res.headers, 'location') ?? '') : ''
  const next = location ? parse(location) : null
  const form = new URLSearchParams(req.body)
  const body = res ? jsonObject(res.body) : null
  const err = typeof body?.error === 'string' ? body.error : null
  const kind = res ? pageKindOfHtml(res.body) : null

  // evil-as.example: the attacker's authorization server.
  if (url.origin === EVIL && x.to === 'attacker') {
    if (path === '/authorize') {
      if (dir === 'request') {
        return d(
          `The browser goes to ${host(EVIL)}`,
          `It carries the app’s authorization request — ${names(url.searchParams)} — to the server Alice picked.`,
          'A',
          [LINKS.mixUp],
        )
      }
      if (!next) return null
      const changed = [...url.searchParams.keys()].filter(
        (k) => next.searchParams.get(k) !== url.searchParams.get(k),
      )
      const swap =
        changed.length === 0
          ? `every parameter as it came (the app’s client_id is ${next.searchParams.get('client_id') ?? '?'} at both servers)`
          : `changing ${and(changed)}`
      return d(
        `${host(EVIL)} sends Alice on to ${next.host}`,
        `It redirects her to ${next.host}${next.pathname} with the app’s request, ${swap}. Alice will see ${next.host}’s real login page: nothing looks wrong.`,
        'A',
        [LINKS.mixUp],
      )
    }
    if (path === '/token') {
      const basic = /^basic /i.test(getHeader(req.headers, 'authorization') ?? '')
      const credentials = basic
        ? ' and, in its Authorization header, the credentials evil-as.example gave it'
        : ''
      if (dir === 'request') {
        return d(
          `The app sends the code to ${host(EVIL)}`,
          `The app believes the code came from ${host(EVIL)}, where it sent Alice, so it redeems it there: ${names(form)}${credentials}. Nothing looked at the callback’s iss parameter, which named another server.`,
          'C',
          [LINKS.mixUp, LINKS.iss],
        )
      }
      const verifier = form.has('code_verifier')
      return d(
        `${host(EVIL)} keeps the code`,
        `It answers ${res?.status ?? '?'}${err ? ` ${err}` : ''}: it has no tokens to give. Alice’s code${verifier ? ' and its code_verifier were' : ' was'} the prize.`,
        'D',
        [LINKS.mixUp],
      )
    }
    return null
  }

  // The honest server's code for Alice, in the world where the app knows two servers.
  if (
    x.to === 'authorization-server' &&
    path === '/consent' &&
    next?.searchParams.has('code') &&
    Object.keys(world.web.issuers ?? {}).length > 0
  ) {
    const record = own(world.as.codes, next.searchParams.get('code') ?? '')
    if (!record) return null
    const bound = ['this client', 'its redirect_uri', 'the scopes']
    if (record.code_challenge) bound.push('the code_challenge')
    if (record.nonce) bound.push('the nonce')
    // Seconds, as the server keeps them.
    const minutes = Math.round((record.expiresAt - record.issuedAt) / 60)
    return d(
      'auth.example sends Alice back with a code',
      `Consent given. auth.example issues an authorization code — single use, valid ${minutes} minutes, bound to ${and(bound)} — and sends the browser back to the app with ${names(next.searchParams)}. It cannot know that Alice started at ${host(EVIL)}.`,
      'B',
      [LINKS.authResponse, LINKS.iss],
    )
  }

  const toApp = x.to === 'client' && url.origin === ORIGINS.webClient
  // Alice at the app: the start page, her pick, the redirect to evil-as.example, her callback.
  if (toApp && x.from === 'browser') {
    if (path === '/' && res && kind === 'client-start') {
      const links = signInLinks(res.body)
      if (links.length < 2) return null
      return d(
        'The app’s start page: two providers',
        `The app offers ${and(links.map((l) => `“${l}”`))}: it is registered at both servers. Nothing on the page says which one the attacker runs.`,
        null,
        [LINKS.mixUp],
      )
    }
    if (path === '/login') {
      const as = url.searchParams.get('as')
      if (dir === 'request') {
        if (!as) return null
        return d(
          `Alice clicks “Sign in with ${as}”`,
          `She picks ${as}, a provider the app is registered at — which, unknown to her and to the app, the attacker runs. The app will remember where it sent her.`,
          'A',
          [LINKS.mixUp],
        )
      }
      if (!next || next.origin === ORIGINS.authorizationServer) return null
      const missing = lacks(next.searchParams)
      return d(
        `The app redirects to ${next.host}`,
        `It answers ${res?.status ?? '?'} with its authorization request for ${next.host}: ${names(next.searchParams)}${missing.length ? ` — ${and(missing)}` : ''}. It remembers that this sign-in went to ${next.origin}; what it does with that memory decides the attack.`,
        'A',
        [LINKS.authRequest, LINKS.mixUp],
      )
    }
    if (path === '/callback' && res) {
      const code = textById(res.body, 'error-code')
      const iss = url.searchParams.get('iss')
      if (code === 'iss_mismatch' || code === 'iss_missing') {
        return d(
          `The app refuses: ${code}`,
          `The response says iss=${iss ?? '(none)'}, but this sign-in went to another server. The app refuses it before any token request and shows Alice its refusal page: the code goes nowhere.`,
          'B',
          [LINKS.iss, LINKS.mixUpDefence],
        )
      }
      if (
        kind === 'client-error' &&
        world.attacker.stolenCodes.some((c) => c.code === url.searchParams.get('code'))
      ) {
        return d(
          'Alice sees an error page',
          `The app shows “Sign-in did not complete”: ${code ?? res.status}, as ${host(EVIL)} answered. To Alice it looks like a glitch. Her code is in the attacker’s hands, and auth.example still counts it unused.`,
          'B',
          [LINKS.mixUp],
        )
      }
    }
    return null
  }

  // The attacker's own browser at the app: a sign-in of its own, then the stolen code injected.
  if (toApp && x.from === 'attacker') {
    if (path === '/login') {
      if (dir === 'request') {
        return d(
          'The attacker starts a sign-in at the app',
          `In its own browser, the attacker — who runs ${host(EVIL)} — clicks the app’s “Sign in with auth.example”. It wants what the app gives every new sign-in: a session cookie, and the state tied to it.`,
          'A',
          [LINKS.codeInjection],
        )
      }
      if (!next) return null
      const missing = lacks(next.searchParams)
      const cookie = (res?.headers ?? []).some(
        ([n, v]) => n.toLowerCase() === 'set-cookie' && v.startsWith(`${CLIENT_SESSION_COOKIE}=`),
      )
      return d(
        'The app gives the attacker a sign-in of its own',
        `${res?.status ?? '?'} to ${next.host}${next.pathname} with ${names(next.searchParams)}${missing.length ? ` — ${and(missing)}` : ''}${cookie ? ', and a session cookie' : ''}. The attacker does not follow the redirect: it keeps the cookie and the state.`,
        'A',
        [LINKS.codeInjection, LINKS.authRequest],
      )
    }
    if (path === '/callback') {
      if (dir === 'request') {
        const mine = stolen(world, url.searchParams.get('code'))
        return d(
          mine
            ? 'The attacker delivers Alice’s code to the app'
            : 'The attacker delivers a code to the app',
          `To the app’s redirect_uri, from its own browser: ${names(url.searchParams)}. ${mine ? `The code is Alice’s, caught at ${host(EVIL)}’s token endpoint; the state is the one the app made for the attacker’s own sign-in` : 'The state is the one the app made for the attacker’s own sign-in'}${url.searchParams.has('iss') ? `, and iss=${url.searchParams.get('iss') ?? ''} is true of that sign-in too` : ''}. This is code injection.`,
          'B',
          [LINKS.codeInjection],
        )
      }
      if (!res) return null
      const session = attackerWebSessionOf(world)
      const owner = tokenOwnerOf(world, session)
      const alice = world.as.users.alice
      if (res.status === 200 && kind === 'client-home' && alice && owner === alice.sub) {
        const data = session?.resource as { photos?: unknown } | null
        const photos = Array.isArray(data?.photos)
          ? (data.photos as { title?: unknown }[]).map((p) => `“${String(p.title)}”`)
          : []
        return d(
          'The attacker is signed in as Alice',
          `The app’s page, in the attacker’s browser, is Alice’s account${photos.length ? `: her photos ${and(photos)}` : ''}. The app keeps Alice’s tokens in the attacker’s session.`,
          'F',
          [LINKS.codeInjection],
        )
      }
      const code = textById(res.body, 'error-code')
      return d(
        `The app refuses the attacker: ${code ?? res.status}`,
        `${textById(res.body, 'error-message') ?? ''} The attacker’s session gets no tokens.`,
        'B',
        [LINKS.codeInjection],
      )
    }
    return null
  }

  // The app's server, working for the attacker's session: the injected code, then the API.
  if (
    x.from === 'client' &&
    x.to === 'authorization-server' &&
    path === '/token' &&
    stolen(world, form.get('code'))
  ) {
    if (dir === 'request') {
      return d(
        'The app redeems Alice’s code — for the attacker',
        `The app’s server posts the injected code to ${url.host}${url.pathname}: ${names(form)}, with its client secret. ${form.has('code_verifier') ? 'Its code_verifier is the attacker’s session’s.' : 'No code_verifier: nothing ties the code to the browser that started this sign-in.'}`,
        'C',
        [LINKS.tokenRequest, LINKS.codeInjection],
      )
    }
    if (res?.status === 200 && body) {
      const parts = ['an access token']
      if (typeof body.refresh_token === 'string') parts.push('a refresh token')
      if (typeof body.id_token === 'string') parts.push('an ID token')
      return d(
        'auth.example issues Alice’s tokens',
        `The code is genuine: issued to this client, for this redirect_uri, unused and unexpired. auth.example returns ${and(parts)} for Alice’s account — into the attacker’s session at the app.`,
        'D',
        [LINKS.tokenResponse, LINKS.codeInjection],
      )
    }
    return d(
      `The injected code is refused: ${err ?? res?.status ?? '?'}`,
      `${typeof body?.error_description === 'string' ? body.error_description : ''} No tokens for the attacker’s session.`,
      'D',
      [LINKS.codeInjection],
    )
  }
  if (
    x.from === 'client' &&
    x.to === 'resource-server' &&
    forAttackerSession(world, getHeader(req.headers, 'authorization'))
  ) {
    if (dir === 'request')
      return d(
        'The app fetches Alice’s photos — for the attacker',
        `${req.method} ${url.host}${url.pathname} with Alice’s access token, to fill the attacker’s page.`,
        'E',
        [LINKS.bearer],
      )
    return d(
      res?.status === 200
        ? 'Alice’s photos, for the attacker'
        : `The API answers ${res?.status ?? '?'}`,
      res?.status === 200
        ? 'The token is genuine, so the API answers with Alice’s photos.'
        : (getHeader(res?.headers ?? [], 'www-authenticate') ?? ''),
      'F',
      [LINKS.bearer],
    )
  }
  return null
}
