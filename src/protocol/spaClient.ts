/**
 * The public single-page app at `https://spa.example`: static files from its host, and code that
 * runs in the browser. It has no secret, so it must use PKCE; it keeps `state` and the
 * `code_verifier` in `sessionStorage` and its tokens in page memory, and calls the token endpoint
 * and the API with `fetch` under CORS.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-browser-based-apps
 */
import type { Browser } from './browser.ts'
import {
  buildAuthorizationUrl,
  callApi,
  newClientSession,
  processAuthorizationResponse,
  redeemCode,
  refreshTokens,
  revokeTokens,
  type Outcome,
  type Transport,
} from './clientCore.ts'
import { htmlPage, htmlResponse } from './http.ts'
import { ORIGINS, SPA_SESSION, type ClientSession } from './state.ts'
import type { Handler, World } from './world.ts'
import { ownOr } from './records.ts'

export { SPA_SESSION }

/** The static host of the SPA: every path serves the same app shell. */
export function createSpaHost(): Handler {
  return async (request) =>
    request.method === 'GET' || request.method === 'HEAD'
      ? htmlResponse(
          200,
          htmlPage('Demo Photo SPA', '<div id="app">Demo Photo SPA</div>\n<script type="module" src="/app.js"></script>', 'spa'),
          [['Cache-Control', 'no-cache']],
        )
      : htmlResponse(405, htmlPage('Method not allowed', '<p>Static files only.</p>', 'spa-error'), [['Allow', 'GET, HEAD']])
}

/** What the SPA's code does in the page, one user-visible action per method. */
export interface SpaApp {
  /** Opens the app: loads `https://spa.example/`. */
  open(): Promise<void>
  /** "Sign in": generates state, verifier and nonce, saves them, navigates to `/authorize`. */
  startLogin(): Promise<string>
  /** On the callback page: checks the response, redeems the code with the verifier. */
  handleCallback(): Promise<Outcome<object>>
  callApi(method?: 'GET' | 'POST', body?: unknown): Promise<Outcome<{ status: number; data: unknown }>>
  refresh(): Promise<Outcome<object>>
  revoke(): Promise<Outcome<object>>
  session(): ClientSession
}

/** Creates the SPA's in-browser code. */
export function createSpaApp(world: World, browser: Browser): SpaApp {
  const client = () => world.state.spa
  const send: Transport = (request) => browser.pageFetch(request)
  const STORAGE_KEYS = ['state', 'code_verifier', 'nonce'] as const

  function session(): ClientSession {
    return ownOr(client().sessions, SPA_SESSION, () => newClientSession(SPA_SESSION))
  }
  function onSpa(): boolean {
    return world.state.browser.url.startsWith(`${ORIGINS.spaClient}/`)
  }
  /** sessionStorage survives the trip to the authorization server; page memory does not. */
  function save(s: ClientSession) {
    const st = browser.storage(ORIGINS.spaClient)
    for (const k of STORAGE_KEYS) {
      const v = s[k]
      if (v === null) delete st[k]
      else st[k] = v
    }
  }
  function load(s: ClientSession) {
    const st = browser.storage(ORIGINS.spaClient)
    s.state = st.state ?? null
    s.code_verifier = st.code_verifier ?? null
    s.nonce = st.nonce ?? null
  }
  const notHere: Outcome<never> = { ok: false, error: 'not_on_page', description: 'The browser is not showing the SPA.' }

  return {
    async open() {
      await browser.navigate(`${ORIGINS.spaClient}/`)
    },
    async startLogin() {
      if (!onSpa()) await browser.navigate(`${ORIGINS.spaClient}/`)
      const s = session()
      const url = await buildAuthorizationUrl(world, client(), s)
      save(s)
      await browser.navigate(url, { initiator: ORIGINS.spaClient })
      return url
    },
    async handleCallback() {
      if (!onSpa()) return notHere
      const s = session()
      load(s)
      const result = processAuthorizationResponse(client(), s, new URL(world.state.browser.url))
      if (!result.ok) {
        s.error = { error: result.error, description: result.description }
        s.state = null
        s.code_verifier = null
        save(s)
        return result
      }
      const redeemed = await redeemCode(world, client(), s, result.code, send)
      save(s)
      if (!redeemed.ok) s.error = { error: redeemed.error, description: redeemed.description }
      return redeemed
    },
    async callApi(method = 'GET', body) {
      if (!onSpa()) return notHere
      const r = await callApi(session(), send, method, body)
      // The page shows the last outcome: a success clears an earlier refusal.
      session().error = r.ok ? null : { error: r.error, description: r.description }
      return r
    },
    async refresh() {
      if (!onSpa()) return notHere
      const r = await refreshTokens(world, client(), session(), send)
      // The page shows the last outcome: a success clears an earlier refusal.
      session().error = r.ok ? null : { error: r.error, description: r.description }
      return r
    },
    async revoke() {
      if (!onSpa()) return notHere
      const r = await revokeTokens(client(), session(), send)
      // The page shows the last outcome: a success clears an earlier refusal.
      session().error = r.ok ? null : { error: r.error, description: r.description }
      return r
    },
    session,
  }
}
