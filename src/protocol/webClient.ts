/**
 * The confidential web app at `https://client.example`: a server with a session cookie that
 * starts the sign-in, receives the callback, redeems the code with its secret on the back channel
 * and calls the API. Tokens never reach the browser.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 */
import {
  buildAuthorizationUrl,
  callApi,
  issuerConfig,
  newClientSession,
  processAuthorizationResponse,
  redeemCode,
  refreshTokens,
  revokeTokens,
  type ClientError,
  type Transport,
} from './clientCore.ts'
import { escapeHtml as e, getHeader, htmlPage, htmlResponse, mediaType, parseCookieHeader, pathOf, redirectResponse } from './http.ts'
import { ORIGINS, type ClientSession } from './state.ts'
import type { HeaderList, HttpRequest, HttpResponse } from './types.ts'
import type { Handler, World } from './world.ts'
import { drop, own, put } from './records.ts'

/** Name of the web app's session cookie. */
export const CLIENT_SESSION_COOKIE = 'client_session'

/** Creates the web app's handler on the world's network. */
export function createWebClient(world: World): Handler {
  const client = () => world.state.web
  const send: Transport = async (request) => ({
    ok: true,
    response: await world.send('client', 'back', request, ORIGINS.webClient),
  })

  function sessionOf(request: HttpRequest): ClientSession | null {
    const sid = parseCookieHeader(getHeader(request.headers, 'cookie'))[CLIENT_SESSION_COOKIE]
    return sid ? (own(client().sessions, sid) ?? null) : null
  }

  function newSession(): { session: ClientSession; cookie: HeaderList } {
    const sid = world.randomToken(18)
    const session = newClientSession(sid)
    put(client().sessions, sid, session)
    return { session, cookie: [['Set-Cookie', `${CLIENT_SESSION_COOKIE}=${sid}; Path=/; Secure; HttpOnly; SameSite=Lax`]] }
  }

  function page(status: number, title: string, body: string, kind: string, headers: HeaderList = []): HttpResponse {
    return htmlResponse(status, htmlPage(`${e(title)} – Demo Photo App`, `<main>\n<h1>${e(title)}</h1>\n${body}\n</main>`, kind), [['Cache-Control', 'no-store'], ...headers])
  }

  function accountPanel(session: ClientSession): string {
    const name = typeof session.user?.name === 'string' ? session.user.name : typeof session.user?.sub === 'string' ? session.user.sub : 'you'
    const data = session.resource as { photos?: { title: string }[] } | null
    const photos = Array.isArray(data?.photos)
      ? `<ul id="photos">${data.photos.map((p) => `<li>${e(String(p.title))}</li>`).join('')}</ul>`
      : '<p id="photos">No photos loaded.</p>'
    return `<p>Signed in as <strong id="user-name">${e(name)}</strong>.</p>
${photos}
<form id="photos-form" method="get" action="/photos"><button type="submit">Load my photos</button></form>
<form id="upload-form" method="post" action="/photos"><input name="title" value="New photo"><button type="submit">Add a photo</button></form>
<form id="refresh-form" method="post" action="/refresh"><button type="submit">Refresh the token</button></form>
<form id="logout-form" method="post" action="/logout"><button type="submit">Sign out (revoke)</button></form>`
  }

  /**
   * The start page: a “Sign in with …” link for auth.example, and one for each other issuer the app
   * is registered at (`?as=` names it), so the user picks the provider.
   * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.4.1
   */
  function startBody(): string {
    const others = Object.values(client().issuers ?? {}).map((i) => i.issuer.replace(/^https:\/\//, ''))
    const links = [
      '<p><a id="sign-in" href="/login">Sign in with auth.example</a></p>',
      ...others.map((host) => `<p><a id="sign-in-${e(host)}" href="/login?as=${encodeURIComponent(host)}">Sign in with ${e(host)}</a></p>`),
    ]
    const intro = others.length === 0 ? 'Sign in with your auth.example account to see your photos.' : 'Sign in with one of your accounts to see your photos.'
    return `<p>${intro}</p>\n${links.join('\n')}`
  }

  function failure(err: ClientError, status = 400, headers: HeaderList = []): HttpResponse {
    // A response from a server other than the one this sign-in went to is refused, not failed.
    const refused = err.error === 'iss_mismatch' || err.error === 'iss_missing'
    return page(
      status,
      refused ? 'Sign-in refused: wrong server' : 'Sign-in did not complete',
      `<p id="error-message">${e(err.description)}</p>\n<p>Error: <code id="error-code">${e(err.error)}</code></p>\n<p><a href="/login">Try again</a></p>`,
      'client-error',
      headers,
    )
  }

  async function callback(request: HttpRequest): Promise<HttpResponse> {
    let session = sessionOf(request)
    let cookie: HeaderList = []
    if (!session) {
      if (client().settings.useState) {
        return failure({ error: 'no_session', description: 'This browser has no sign-in in progress here; the callback is refused.' })
      }
      // WARNING: without state, a callback with no session is accepted — login CSRF (RFC 9700 §4.7).
      ;({ session, cookie } = newSession())
    }
    const result = processAuthorizationResponse(client(), session, new URL(request.url))
    if (!result.ok) {
      session.error = { error: result.error, description: result.description }
      session.state = null
      session.code_verifier = null
      const denied = result.error === 'access_denied'
      return failure(result, denied ? 200 : /^(state|iss)/.test(result.error) ? 403 : 400, cookie)
    }
    const redeemed = await redeemCode(world, client(), session, result.code, send)
    if (!redeemed.ok) {
      session.error = { error: redeemed.error, description: redeemed.description }
      return failure(redeemed, 400, cookie)
    }
    const api = await callApi(session, send)
    if (!api.ok) session.error = { error: api.error, description: api.description }
    return page(200, 'Signed in', accountPanel(session), 'client-home', cookie)
  }

  return async (request) => {
    const path = pathOf(request.url)
    if (path === null) return page(400, 'Bad request', '<p id="error-message">The request URL is not valid.</p>', 'client-error')
    const session = sessionOf(request)
    switch (`${request.method} ${path}`) {
      case 'GET /':
        return session?.tokens
          ? page(200, 'Demo Photo App', accountPanel(session), 'client-home')
          : page(200, 'Demo Photo App', startBody(), 'client-start')
      case 'GET /login': {
        // `?as=evil-as.example` picks another issuer the app is registered at (the mix-up setting).
        const asParam = new URL(request.url).searchParams.get('as')
        const issuerName = asParam === null || asParam === '' ? ORIGINS.authorizationServer : asParam.includes('://') ? asParam : `https://${asParam}`
        const issuer = issuerConfig(client(), issuerName)
        if (!issuer) {
          return failure({ error: 'unknown_issuer', description: `This app is not registered at "${asParam ?? ''}"; it can sign you in with auth.example.` })
        }
        const fresh = session ? { session, cookie: [] as HeaderList } : newSession()
        const url = await buildAuthorizationUrl(world, client(), fresh.session, issuer)
        return redirectResponse(url, 302, [['Cache-Control', 'no-store'], ...fresh.cookie])
      }
      case 'GET /callback':
        return callback(request)
      case 'GET /photos':
      case 'POST /photos': {
        if (!session?.tokens) return failure({ error: 'not_signed_in', description: 'Sign in first.' }, 401)
        let title = 'New photo'
        if (request.method === 'POST' && mediaType(request.headers) === 'application/x-www-form-urlencoded') {
          title = new URLSearchParams(request.body).get('title') ?? title
        }
        const api = request.method === 'GET' ? await callApi(session, send) : await callApi(session, send, 'POST', { title })
        if (!api.ok) {
          session.error = { error: api.error, description: api.description }
          return failure(api, api.error === 'insufficient_scope' ? 403 : 502)
        }
        if (request.method === 'POST') await callApi(session, send)
        return page(200, 'Your photos', accountPanel(session), 'client-home')
      }
      case 'POST /refresh': {
        if (!session?.tokens) return failure({ error: 'not_signed_in', description: 'Sign in first.' }, 401)
        const r = await refreshTokens(world, client(), session, send)
        if (!r.ok) {
          session.error = { error: r.error, description: r.description }
          return failure(r, 400)
        }
        return page(200, 'Token refreshed', accountPanel(session), 'client-home')
      }
      case 'POST /logout': {
        if (!session) return redirectResponse('/', 303)
        const r = session.tokens ? await revokeTokens(client(), session, send) : { ok: true as const }
        if (!r.ok) session.error = { error: r.error, description: r.description }
        drop(client().sessions, session.sid)
        return page(200, 'Signed out', '<p>Your tokens were revoked and your session here ended.</p>\n<p><a id="sign-in" href="/login">Sign in again</a></p>', 'client-start', [
          ['Set-Cookie', `${CLIENT_SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0`],
        ])
      }
      default:
        return page(404, 'Not found', `<p id="error-message">Nothing at ${e(path)}.</p>`, 'client-error')
    }
  }
}
