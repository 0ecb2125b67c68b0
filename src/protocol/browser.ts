/**
 * The user's browser (the user-agent of RFC 6749): an address bar, a cookie jar per origin with
 * `SameSite` rules, `sessionStorage` per origin, top-level navigations that show a page or a
 * redirect to follow, form submission, and `fetch` from page code with CORS checks.
 */
import { getHeader, mediaType, encodeForm, originOf } from './http.ts'
import { findForm, pageKind, parseForms, textById, type ParsedForm } from './html.ts'
import type { BrowserState, Cookie } from './state.ts'
import type { HeaderList, HttpRequest, HttpResponse, Role } from './types.ts'
import type { World } from './world.ts'
import { drop, own, ownOr, put } from './records.ts'

/** Why `authorize` stopped short of the redirect URI. */
export class BrowserFlowError extends Error {
  override readonly name = 'BrowserFlowError'
  constructor(
    readonly code: 'ERROR_PAGE' | 'LOGIN_FAILED' | 'UNEXPECTED_PAGE' | 'TOO_MANY_REDIRECTS',
    readonly status: number,
    message: string,
    readonly url: string,
  ) {
    super(message)
  }
}

/** What page code gets from `fetch`: a response, or a network error when CORS blocks it. */
export type PageFetchResult = { ok: true; response: HttpResponse } | { ok: false; error: string }

export interface AuthorizeOptions {
  username?: string
  password?: string
  consent?: 'allow' | 'deny'
}

export interface Browser {
  /** Top-level navigation: one request, the page shown or a redirect pending. */
  navigate(url: string, init?: { method?: string; body?: string; contentType?: string; initiator?: string | null }): Promise<HttpResponse>
  /** Follows the pending redirect, if any (one request). */
  followRedirect(): Promise<HttpResponse | null>
  /** The forms of the page on screen. */
  forms(): ParsedForm[]
  /** Submits a form of the page on screen, with field values filled in and the button pressed. */
  submit(formId: string, values?: Record<string, string>, button?: { name: string; value: string }): Promise<HttpResponse>
  /** `fetch()` from the code of the page on screen: `Origin`, no cookies across origins, CORS. */
  pageFetch(request: HttpRequest): Promise<PageFetchResult>
  /** Opens `url`, signs in, answers consent, follows redirects; resolves with the redirect to the client. */
  authorize(url: string, options?: AuthorizeOptions): Promise<string>
  /** The page's `sessionStorage`. */
  storage(origin: string): Record<string, string>
}

/** A `Set-Cookie` header as the jar keeps it, or null when it has no `name=`. */
export function parseSetCookie(header: string, now: number): Cookie | null {
  const [pair, ...attrs] = header.split(';')
  const eq = pair?.indexOf('=') ?? -1
  if (!pair || eq <= 0) return null
  const cookie: Cookie = {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    expiresAt: null,
    httpOnly: false,
    secure: false,
    sameSite: 'Lax',
    path: '/',
  }
  for (const a of attrs) {
    // The attribute's name, and its value up to a second '=' if any.
    const eq1 = a.indexOf('=')
    const k = (eq1 < 0 ? a : a.slice(0, eq1)).trim()
    const eq2 = eq1 < 0 ? -1 : a.indexOf('=', eq1 + 1)
    const v = eq1 < 0 ? '' : (eq2 < 0 ? a.slice(eq1 + 1) : a.slice(eq1 + 1, eq2)).trim()
    switch (k.toLowerCase()) {
      case 'max-age': {
        const n = Number(v)
        if (Number.isFinite(n)) cookie.expiresAt = now + n * 1000
        break
      }
      case 'httponly':
        cookie.httpOnly = true
        break
      case 'secure':
        cookie.secure = true
        break
      case 'samesite':
        cookie.sameSite = /^strict$/i.test(v) ? 'Strict' : /^none$/i.test(v) ? 'None' : 'Lax'
        break
      case 'path':
        cookie.path = v || '/'
        break
    }
  }
  return cookie
}

const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']
const SAFELISTED_HEADERS = ['accept', 'accept-language', 'content-language', 'content-type']
const SAFELISTED_RESPONSE_HEADERS = ['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma']

/** Whose browser it is: where its state lives in the world, and whose lane its navigations start in. */
export interface BrowserOptions {
  /** Reads the browser's state from the world each time (the world's state is replaced on restore). Default: the user's, `world.state.browser`. */
  state?: () => BrowserState
  /** The role its top-level navigations are sent from. Default `'browser'`. */
  role?: Role
}

/** Creates a browser over the world's `browser` state, or over the state `options.state` reads (the attacker's own browser). */
export function createBrowser(world: World, options: BrowserOptions = {}): Browser {
  const st = options.state ?? (() => world.state.browser)
  const role: Role = options.role ?? 'browser'

  function cookieHeader(origin: string, initiator: string | null, topLevelGet: boolean): string | null {
    const jar = own(st().cookies, origin)
    if (!jar) return null
    const sameSite = initiator === null || initiator === origin
    const now = world.now()
    const sent: string[] = []
    for (const c of Object.values(jar)) {
      if (c.expiresAt !== null && c.expiresAt <= now) {
        drop(jar, c.name)
        continue
      }
      if (!sameSite && (c.sameSite === 'Strict' || (c.sameSite === 'Lax' && !topLevelGet))) continue
      sent.push(`${c.name}=${c.value}`)
    }
    return sent.length ? sent.join('; ') : null
  }

  function storeCookies(origin: string, res: HttpResponse) {
    // Every Set-Cookie header, walked in place: no list made for every response.
    const headers = res.headers
    for (let i = 0; i < headers.length; i++) {
      if (!(i in headers)) continue
      const [name, h] = headers[i]!
      if (name.toLowerCase() !== 'set-cookie') continue
      const c = parseSetCookie(h, world.now())
      if (!c) continue
      const jar = ownOr(st().cookies, origin, () => ({}))
      if (c.expiresAt !== null && c.expiresAt <= world.now()) drop(jar, c.name)
      else put(jar, c.name, c)
    }
  }

  async function navigate(
    url: string,
    init: { method?: string; body?: string; contentType?: string; initiator?: string | null } = {},
  ): Promise<HttpResponse> {
    const method = init.method ?? 'GET'
    const origin = originOf(url, world.urls)
    const initiator = init.initiator === undefined ? null : init.initiator
    const headers: HeaderList = [['Accept', 'text/html']]
    if (origin) {
      const cookies = cookieHeader(origin, initiator, method === 'GET')
      if (cookies) headers.push(['Cookie', cookies])
    }
    if (method !== 'GET' && initiator) headers.push(['Origin', initiator])
    // Default Referrer-Policy strict-origin-when-cross-origin: only the origin crosses origins.
    const from = st().page?.url
    if (initiator && from && from !== 'about:blank') {
      headers.push(['Referer', originOf(from, world.urls) === origin ? from : `${initiator}/`])
    }
    if (init.contentType) headers.push(['Content-Type', init.contentType])
    st().pendingRedirect = null
    // The address bar shows where the browser is going while the page loads.
    st().url = url
    st().loading = url
    const res = await world.send(role, 'front', { method, url, headers, body: init.body ?? '' })
    if (origin) storeCookies(origin, res)
    st().loading = null
    st().history.push(url)
    const location = getHeader(res.headers, 'location')
    if (res.status >= 300 && res.status < 400 && location !== null) {
      let next: string | null
      try {
        next = new URL(location, url).toString()
      } catch {
        next = null
      }
      st().pendingRedirect = next
      st().page = { url, status: res.status, contentType: mediaType(res.headers), body: '' }
    } else {
      st().page = { url, status: res.status, contentType: mediaType(res.headers), body: res.body }
    }
    return res
  }

  async function followRedirect(): Promise<HttpResponse | null> {
    const next = st().pendingRedirect
    if (!next) return null
    const from = originOf(st().url, world.urls)
    return navigate(next, { initiator: from })
  }

  function forms(): ParsedForm[] {
    const page = st().page
    return page && page.contentType === 'text/html' ? parseForms(page.body) : []
  }

  async function submit(formId: string, values: Record<string, string> = {}, button?: { name: string; value: string }) {
    const page = st().page
    const form = page && page.contentType === 'text/html' ? findForm(page.body, formId) : undefined
    if (!form || !page) throw new Error(`BROWSER_NO_FORM: the page on screen has no form "${formId}"`)
    const fields: Record<string, string> = { ...form.fields, ...values }
    if (button && button.name) put(fields, button.name, button.value)
    const action = new URL(form.action || page.url, page.url).toString()
    const initiator = originOf(page.url, world.urls)
    if (form.method === 'POST') {
      return navigate(action, {
        method: 'POST',
        body: encodeForm(fields),
        contentType: 'application/x-www-form-urlencoded',
        initiator,
      })
    }
    const target = new URL(action)
    for (const [k, v] of Object.entries(fields)) target.searchParams.set(k, v)
    return navigate(target.toString(), { initiator })
  }

  async function pageFetch(request: HttpRequest): Promise<PageFetchResult> {
    const pageOrigin = originOf(st().url, world.urls)
    const target = originOf(request.url, world.urls)
    if (!pageOrigin || !target) return { ok: false, error: 'TypeError: Failed to fetch (invalid URL)' }
    const crossOrigin = pageOrigin !== target
    const headers: HeaderList = request.headers.filter(([n]) => !/^(cookie|origin|host)$/i.test(n))
    if (crossOrigin || request.method !== 'GET') headers.push(['Origin', pageOrigin])
    if (!crossOrigin) {
      const cookies = cookieHeader(target, pageOrigin, false)
      if (cookies) headers.push(['Cookie', cookies])
    }
    const sent: HttpRequest = { ...request, headers }
    const send = (r: HttpRequest) => world.send('client', 'direct', r, pageOrigin)
    if (!crossOrigin) return { ok: true, response: await send(sent) }

    const ct = mediaType(request.headers)
    const extraHeaders = request.headers
      .map(([n]) => n.toLowerCase())
      .filter((n) => !SAFELISTED_HEADERS.includes(n) || (n === 'content-type' && !SIMPLE_CONTENT_TYPES.includes(ct ?? '')))
    const simple = ['GET', 'HEAD', 'POST'].includes(request.method) && extraHeaders.length === 0
    const allowed = (res: HttpResponse) => {
      const acao = getHeader(res.headers, 'access-control-allow-origin')
      return acao === '*' || acao === pageOrigin
    }
    if (!simple) {
      // https://fetch.spec.whatwg.org/#cors-preflight-fetch
      const preHeaders: HeaderList = [
        ['Origin', pageOrigin],
        ['Access-Control-Request-Method', request.method],
      ]
      if (extraHeaders.length) preHeaders.push(['Access-Control-Request-Headers', [...new Set(extraHeaders)].sort().join(',')])
      const pre = await send({ method: 'OPTIONS', url: request.url, headers: preHeaders, body: '' })
      const allowHeaders = (getHeader(pre.headers, 'access-control-allow-headers') ?? '').toLowerCase().split(',').map((s) => s.trim())
      const allowMethods = (getHeader(pre.headers, 'access-control-allow-methods') ?? '').toUpperCase().split(',').map((s) => s.trim())
      if (pre.status < 200 || pre.status > 299 || !allowed(pre)) {
        return { ok: false, error: `CORS: the preflight to ${target} was refused (no Access-Control-Allow-Origin for ${pageOrigin}).` }
      }
      if (!['GET', 'HEAD', 'POST'].includes(request.method) && !allowMethods.includes(request.method)) {
        return { ok: false, error: `CORS: ${request.method} is not allowed by ${target}.` }
      }
      const missing = extraHeaders.find((h) => !allowHeaders.includes(h) && !allowHeaders.includes('*'))
      if (missing) return { ok: false, error: `CORS: the header ${missing} is not allowed by ${target}.` }
    }
    const res = await send(sent)
    if (!allowed(res)) {
      return { ok: false, error: `CORS: the response from ${target} has no Access-Control-Allow-Origin for ${pageOrigin}; the page cannot read it.` }
    }
    // Page code sees only the CORS-safelisted response headers and those the server exposes.
    // https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name
    const exposed = (getHeader(res.headers, 'access-control-expose-headers') ?? '').toLowerCase().split(',').map((s) => s.trim())
    const visible = res.headers.filter(([n]) => SAFELISTED_RESPONSE_HEADERS.includes(n.toLowerCase()) || exposed.includes(n.toLowerCase()) || exposed.includes('*'))
    return { ok: true, response: { ...res, headers: visible } }
  }

  function redirectTarget(url: string): string | null {
    try {
      const u = new URL(url)
      const given = u.searchParams.get('redirect_uri')
      if (given) return given
      const client = own(world.state.as.clients, u.searchParams.get('client_id') ?? '')
      return client?.redirect_uris[0] ?? null
    } catch {
      return null
    }
  }

  function atRedirectUri(location: string, redirectUri: string | null): boolean {
    try {
      const loc = new URL(location)
      const target = new URL(redirectUri ?? '')
      return loc.origin === target.origin && loc.pathname === target.pathname
    } catch {
      return false
    }
  }

  async function authorize(url: string, options: AuthorizeOptions = {}): Promise<string> {
    const username = options.username ?? 'alice'
    const password = options.password ?? 'wonderland'
    const decision = options.consent ?? 'allow'
    const stopAt = redirectTarget(url)
    let res = await navigate(url)
    let loginTried = false
    for (let hops = 0; hops < 20; hops++) {
      const pending = st().pendingRedirect
      if (pending) {
        if (atRedirectUri(pending, stopAt)) return pending
        res = (await followRedirect()) ?? res
        continue
      }
      const html = st().page?.body ?? ''
      const kind = pageKind(html)
      if (kind === 'login') {
        if (loginTried) {
          throw new BrowserFlowError('LOGIN_FAILED', res.status, textById(html, 'login-error') ?? 'Sign-in failed.', st().url)
        }
        loginTried = true
        res = await submit('login-form', { username, password })
        continue
      }
      if (kind === 'consent') {
        res = await submit('consent-form', {}, { name: 'decision', value: decision })
        continue
      }
      const message = textById(html, 'error-message') ?? (html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300) || `HTTP ${res.status}`)
      throw new BrowserFlowError(
        res.status >= 400 || kind === 'error' ? 'ERROR_PAGE' : 'UNEXPECTED_PAGE',
        res.status,
        message,
        st().url,
      )
    }
    throw new BrowserFlowError('TOO_MANY_REDIRECTS', res.status, 'Too many redirects.', st().url)
  }

  return {
    navigate,
    followRedirect,
    forms,
    submit,
    pageFetch,
    authorize,
    storage: (origin) => ownOr(st().storage, origin, () => ({})),
  }
}
