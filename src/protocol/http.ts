/**
 * Small helpers over plain HTTP messages: headers, forms, cookies, HTML escaping and the
 * boundary with the Fetch API's `Request`/`Response`.
 */
import type { HeaderList, HttpRequest, HttpResponse } from './types.ts'
import { put } from './records.ts'

/**
 * What the URL helpers remember of the URLs they have parsed: a world has its own (`world.urls`),
 * so two labs on one page, or a hostile learner's URLs in one of them, share nothing. Without
 * one, the helpers parse every time.
 */
export interface UrlMemo {
  /** The origin of each `http(s)://` authority seen (at most 256). */
  origins: Map<string, string | null>
  /** Whether each base URL is already what the parser writes (at most 64). */
  plainBases: Map<string, boolean>
}

export function createUrlMemo(): UrlMemo {
  return { origins: new Map(), plainBases: new Map() }
}

/**
 * Where the authority of an `http(s)://` URL ends (at its first `/`, `\`, `?` or `#`, or the end,
 * where the WHATWG parser ends it), or -1 for a URL the fast paths below leave to the parser: another
 * scheme, a run of slashes after the scheme (the parser skips them), or a space or control in the
 * authority (trimmed or dropped by the parser depending on where it is).
 */
function authorityEnd(url: string): number {
  // Typed as a string, but a learner's edited request may carry anything: the parser judges it.
  if (typeof url !== 'string') return -1
  const start = url.startsWith('https://') ? 8 : url.startsWith('http://') ? 7 : -1
  if (start < 0 || url[start] === '/' || url[start] === '\\') return -1
  let end = start
  while (end < url.length) {
    const c = url.charCodeAt(end)
    if (c === 0x2f || c === 0x5c || c === 0x3f || c === 0x23) break // / \ ? #
    if (c <= 0x20) return -1
    end++
  }
  return end
}

/**
 * The origin of an absolute URL (`new URL(url).origin`), or null when it does not parse. The
 * network and the browser ask it several times per request, always of a few origins: with the
 * world's `memo`, the authority of an `http(s)://` URL is parsed once and remembered; what follows
 * it can change neither the origin nor whether the URL parses.
 */
export function originOf(url: string, memo?: UrlMemo): string | null {
  const end = authorityEnd(url)
  if (end < 0 || !memo) return parseOrigin(url)
  const authority = url.slice(0, end)
  let origin = memo.origins.get(authority)
  if (origin === undefined) {
    origin = parseOrigin(`${authority}/`)
    if (memo.origins.size >= 256) memo.origins.clear()
    memo.origins.set(authority, origin)
  }
  return origin
}

function parseOrigin(url: string): string | null {
  try {
    return new URL(url).origin
  } catch {
    return null
  }
}

/** A path the parser keeps as it is: no percent sign, backslash, space, control or other character it would encode. */
const PLAIN_PATH = /^\/[A-Za-z0-9\-._~/]*$/
/** A `.` or `..` segment, which the parser resolves. */
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/

/**
 * The path of an absolute URL (`new URL(url).pathname`), or null when it does not parse. Each
 * server routes every request by it: a plain path after a valid authority is read off the string.
 */
export function pathOf(url: string): string | null {
  const end = authorityEnd(url)
  if (end >= 0 && url[end] !== '\\' && originOf(url) !== null) {
    if (end === url.length || url[end] === '?' || url[end] === '#') return '/'
    const q = url.indexOf('?', end)
    const h = url.indexOf('#', end)
    const stop = q < 0 ? (h < 0 ? url.length : h) : h < 0 ? q : Math.min(q, h)
    const path = url.slice(end, stop)
    if (PLAIN_PATH.test(path) && !DOT_SEGMENT.test(path)) return path
  }
  try {
    return new URL(url).pathname
  } catch {
    return null
  }
}

/** The first value of a header, case-insensitively, or null. */
export function getHeader(headers: HeaderList, name: string): string | null {
  const lower = name.toLowerCase()
  // An index walk: header lists come empty or not, in several array shapes.
  for (let i = 0; i < headers.length; i++) {
    const [n, v] = headers[i]!
    if (n.toLowerCase() === lower) return v
  }
  return null
}

/** The media type of a `Content-Type` header, lower-cased, without parameters. */
export function mediaType(headers: HeaderList): string | null {
  const ct = getHeader(headers, 'content-type')
  if (ct === null) return null
  return (ct.split(';')[0] ?? '').trim().toLowerCase()
}

/** What the urlencoded serializer writes as it is. */
const FORM_SAFE = /^[A-Za-z0-9*\-._]*$/
/** What encodeURIComponent leaves as it is but the urlencoded serializer escapes. */
const FORM_EXTRA = /[!'()~]/g

/** One name or value as the urlencoded serializer writes it, or null when only URLSearchParams will do. */
function formEncode(value: string): string | null {
  if (typeof value !== 'string') return null
  if (FORM_SAFE.test(value)) return value
  let encoded: string
  try {
    encoded = encodeURIComponent(value)
  } catch {
    return null // a lone surrogate: URLSearchParams writes U+FFFD for it
  }
  // Every '%' encodeURIComponent writes starts an escape, so "%20" is always a space.
  return encoded
    .replace(/%20/g, '+')
    .replace(FORM_EXTRA, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** Name/value pairs as the urlencoded serializer writes them, or null when only URLSearchParams will do. */
function encodePairs(pairs: readonly (readonly [string, string])[]): string | null {
  const parts: string[] = []
  for (const [k, v] of pairs) {
    const name = formEncode(k)
    const value = formEncode(v)
    if (name === null || value === null) return null
    parts.push(`${name}=${value}`)
  }
  return parts.join('&')
}

/**
 * `application/x-www-form-urlencoded` encoding, what `URLSearchParams` writes (it is done by hand
 * for every form and token request, and URLSearchParams itself takes any value it cannot).
 * @see https://url.spec.whatwg.org/#urlencoded-serializing
 */
export function encodeForm(fields: Record<string, string | undefined | null>): string {
  const pairs: [string, string][] = []
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) pairs.push([k, v])
  return encodePairs(pairs) ?? encodeFormBySearchParams(fields)
}

/** Whether a URL string is already what the parser writes for it, with no query and no fragment. */
function isPlainBase(base: string, memo?: UrlMemo): boolean {
  let plain = memo?.plainBases.get(base)
  if (plain === undefined) {
    let href: string | null
    try {
      href = new URL(base).href
    } catch {
      href = null
    }
    plain = href === base && !base.includes('?') && !base.includes('#')
    if (memo) {
      if (memo.plainBases.size >= 64) memo.plainBases.clear()
      memo.plainBases.set(base, plain)
    }
  }
  return plain
}

/**
 * `base` with these parameters put in its query: what `url.searchParams.append(name, value)` (or
 * `set`) for each, then `url.toString()`, gives for `url = new URL(base)`. A base the parser writes
 * as it is, without a query, just gets `?` and the pairs, encoded as URLSearchParams would.
 * `memo`: the world's, to remember which bases are plain.
 */
export function withQuery(
  base: string,
  pairs: readonly (readonly [string, string])[],
  mode: 'append' | 'set' = 'append',
  memo?: UrlMemo,
): string {
  // With set, a name given twice keeps one place: leave that to URLSearchParams.
  const distinct = mode === 'append' || new Set(pairs.map(([k]) => k)).size === pairs.length
  if (pairs.length > 0 && distinct && isPlainBase(base, memo)) {
    const query = encodePairs(pairs)
    if (query !== null) return `${base}?${query}`
  }
  const url = new URL(base)
  for (const [k, v] of pairs) {
    if (mode === 'set') url.searchParams.set(k, v)
    else url.searchParams.append(k, v)
  }
  return url.toString()
}

function encodeFormBySearchParams(fields: Record<string, string | undefined | null>): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) p.append(k, v)
  return p.toString()
}

/** One name or value as the urlencoded parser reads it, or null when only URLSearchParams will do. */
function formDecode(raw: string): string | null {
  const text = raw.includes('+') ? raw.replace(/\+/g, ' ') : raw
  if (!text.includes('%')) return text
  try {
    // Throws on a malformed escape or bytes that are not UTF-8, which the parser keeps or replaces.
    return decodeURIComponent(text)
  } catch {
    return null
  }
}

/** Surrogates: URLSearchParams replaces a lone one, decodeURIComponent would keep it. */
const SURROGATE = /[\uD800-\uDFFF]/

/**
 * A form body's parameters: `paramsOf(new URLSearchParams(body))`, read by hand (every form and
 * token request is parsed this way); a body with a leading '?', a surrogate, or an escape that
 * is not UTF-8 goes to URLSearchParams itself.
 * @see https://url.spec.whatwg.org/#urlencoded-parsing
 */
export function formParamsOf(body: string): Map<string, string[]> {
  if (typeof body !== 'string' || body.startsWith('?') || SURROGATE.test(body))
    return paramsOf(new URLSearchParams(body))
  const out = new Map<string, string[]>()
  for (const part of body.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const k = formDecode(eq < 0 ? part : part.slice(0, eq))
    const v = formDecode(eq < 0 ? '' : part.slice(eq + 1))
    if (k === null || v === null) return paramsOf(new URLSearchParams(body))
    const list = out.get(k)
    if (list) list.push(v)
    else out.set(k, [v])
  }
  return out
}

/**
 * Parameters as a name → values map, so a repeated parameter can be told apart.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1 (parameters MUST NOT be repeated)
 */
export function paramsOf(search: URLSearchParams): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const [k, v] of search) {
    const list = out.get(k)
    if (list) list.push(v)
    else out.set(k, [v])
  }
  return out
}

/** What the URL parser leaves as it is in a special URL's query: no space, control, quote, `<`, `>` or non-ASCII. */
const PLAIN_QUERY = /^[\x21\x24-\x26\x28-\x3B\x3D\x3F-\x7E]*$/

/**
 * A URL's query parameters: `paramsOf(new URL(url).searchParams)`. The query of a valid
 * `http(s)://` URL made only of characters the parser keeps is read as the text it is (the parser
 * would hand URLSearchParams the same text); anything else goes through new URL.
 */
export function queryParamsOf(url: string): Map<string, string[]> {
  const end = authorityEnd(url)
  if (end >= 0 && originOf(url) !== null) {
    const q = url.indexOf('?', end)
    const h = url.indexOf('#', end)
    // No '?' before the fragment (or at all): no query.
    if (q < 0 || (h >= 0 && h < q)) return new Map()
    const query = url.slice(q + 1, h < 0 ? url.length : h)
    // (A leading '?' is a name's first character here, where URLSearchParams(string) would drop it.)
    if (!query.startsWith('?') && PLAIN_QUERY.test(query)) return formParamsOf(query)
  }
  return paramsOf(new URL(url).searchParams)
}

/** The single value of a parameter, or undefined when absent; `repeated` when given twice. */
export function single(params: Map<string, string[]>, name: string): string | undefined {
  const v = params.get(name)
  return v === undefined ? undefined : v[0]
}

/** Names of parameters that appear more than once. */
export function repeatedParams(params: Map<string, string[]>): string[] {
  return [...params].filter(([, v]) => v.length > 1).map(([k]) => k)
}

/** Parses a `Cookie` request header into name → value. */
export function parseCookieHeader(header: string | null): Record<string, string> {
  const out: Record<string, string> = {}
  if (!header) return out
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    const name = part.slice(0, eq).trim()
    if (name && !Object.hasOwn(out, name)) put(out, name, part.slice(eq + 1).trim())
  }
  return out
}

const HTML_SPECIAL = /[&<>"']/

/** Escapes text for HTML content and attribute values: nothing untrusted becomes markup. */
export function escapeHtml(text: string): string {
  // Most values (tokens, names, URLs of the demo world) have nothing to escape.
  if (!HTML_SPECIAL.test(text)) return text
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** Builds a response; the body is text. */
export function response(status: number, headers: HeaderList, body = ''): HttpResponse {
  return { status, headers, body }
}

/** A JSON response with the given extra headers. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: HeaderList = [],
): HttpResponse {
  return response(status, [['Content-Type', 'application/json'], ...headers], JSON.stringify(body))
}

/** An HTML page response. */
export function htmlResponse(status: number, html: string, headers: HeaderList = []): HttpResponse {
  return response(status, [['Content-Type', 'text/html; charset=utf-8'], ...headers], html)
}

/** A redirect; 302 for navigations, 303 after a form POST. */
export function redirectResponse(
  location: string,
  status = 302,
  headers: HeaderList = [],
): HttpResponse {
  return response(status, [['Location', location], ...headers])
}

/** A whole HTML page with the house layout; `title` and `body` must already be safe HTML. */
export function htmlPage(title: string, body: string, pageKind: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width">
<meta name="oauth-lab-page" content="${escapeHtml(pageKind)}">
<title>${title}</title>
</head>
<body>
${body}
</body>
</html>
`
}

function isHeaderPair(h: unknown): h is [string, string] {
  return Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && typeof h[1] === 'string'
}

/**
 * A deep copy of a plain message, equal to `structuredClone(message)` (the network records one
 * per request and response, so it is on the path of every exchange): own enumerable fields in
 * their order, a new header list of new pairs, and strings shared (they are immutable). Anything
 * but primitives and a list of string pairs goes to `structuredClone` itself.
 */
export function copyMessage<T extends HttpRequest | HttpResponse>(message: T): T {
  const proto: unknown = Object.getPrototypeOf(message)
  if (proto !== Object.prototype && proto !== null) return structuredClone(message)
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(message)) {
    const value: unknown = (message as unknown as Record<string, unknown>)[key]
    if (
      key === 'headers' &&
      Array.isArray(value) &&
      Object.getPrototypeOf(value) === Array.prototype
    ) {
      const headers: HeaderList = new Array<[string, string]>(value.length)
      for (let i = 0; i < value.length; i++) {
        const h: unknown = value[i]
        if (!isHeaderPair(h) || Object.getPrototypeOf(h) !== Array.prototype)
          return structuredClone(message)
        headers[i] = [h[0], h[1]]
      }
      out[key] = headers
    } else if (
      value === null ||
      (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol')
    ) {
      out[key] = value
    } else {
      return structuredClone(message)
    }
  }
  return out as T
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304])

/** Converts a Fetch API `Request` (or what `fetch` accepts) into a plain message. */
export async function fromFetchRequest(
  input: RequestInfo | URL,
  init?: RequestInit,
): Promise<HttpRequest> {
  const req = input instanceof Request && init === undefined ? input : new Request(input, init)
  const headers: HeaderList = []
  req.headers.forEach((value, name) => headers.push([name, value]))
  const body = req.method === 'GET' || req.method === 'HEAD' ? '' : await req.text()
  return { method: req.method, url: req.url, headers, body }
}

/** Converts a plain message into a Fetch API `Response`. */
export function toFetchResponse(res: HttpResponse, url: string): Response {
  const headers = new Headers()
  for (const [n, v] of res.headers) {
    try {
      headers.append(n, v)
    } catch {
      // a header value the Fetch API refuses: leave it out of the Response, keep it in the log
    }
  }
  const status = res.status >= 200 && res.status <= 599 ? res.status : 500
  const out = new Response(NULL_BODY_STATUS.has(status) ? null : res.body, { status, headers })
  // Response.url is read-only and empty for constructed responses; client libraries may read it.
  try {
    Object.defineProperty(out, 'url', { value: url })
  } catch {
    // not configurable in this runtime: harmless
  }
  return out
}
