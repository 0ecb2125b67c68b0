/**
 * Reading a message: an HTTP request or response split into the parts a learner reads (request
 * line, query parameters, headers with Basic credentials decoded, a form or JSON body, a
 * redirect's parameters, the JWTs it carries), as plain data the Message view renders.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-6
 */
import type { Exchange, HeaderList, HttpRequest, HttpResponse } from '../../protocol/index.ts'
import { getHeader, mediaType } from '../../protocol/http.ts'
import { rawRequest, rawResponse } from './curl.ts'
import { findJwts, isJwt, type JwtOccurrence } from './jwt.ts'
import { reasonPhrase } from '../../protocol/reasonPhrase.ts'

/** One name/value pair as sent: a query parameter, a form field or a header. */
export interface MessageField {
  name: string
  value: string
  /**
   * The name occurs more than once in its list: a request parameter must not
   * (RFC 6749 §3.1), and a server may refuse it.
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1
   */
  repeated: boolean
  /** The value is a compact JWT (decoded with the exchange's JWTs). */
  jwt: boolean
}

/** Why an `Authorization: Basic` header could not be read as client credentials. */
export type BasicProblem = 'not-base64' | 'no-colon' | 'bad-percent-encoding'

/**
 * What an `Authorization` header carries, decoded.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export type AuthorizationView =
  | { type: 'basic'; client_id: string; client_secret: string }
  | { type: 'basic-invalid'; problem: BasicProblem }
  | { type: 'bearer'; token: string; jwt: boolean }

/** A header, with what its value carries when that needs decoding. */
export interface HeaderField extends MessageField {
  /** Set on an `Authorization` header with the Basic or Bearer scheme. */
  authorization: AuthorizationView | null
}

/** A message body, by what it is. */
export type BodyView =
  | { type: 'empty' }
  /** `application/x-www-form-urlencoded`, as rows. */
  | { type: 'form'; fields: MessageField[] }
  /** JSON, pretty-printed with two-space indentation. */
  | { type: 'json'; pretty: string }
  /** An HTML page: the Browser tab draws it. */
  | { type: 'html'; title: string | null; length: number }
  /** Anything else, as sent; `invalidJson` when it says it is JSON and is not. */
  | { type: 'text'; text: string; mediaType: string | null; invalidJson: boolean }

/** A URL split for reading: origin, path, and its query and fragment parameters. */
export interface UrlView {
  url: string
  /** `https://auth.example`, or null when the URL is not absolute. */
  origin: string | null
  /** `/token`; the whole text when it is not a URL. */
  path: string
  query: MessageField[]
  /** Parameters after `#` (an implicit or fragment response), when the fragment has any. */
  fragment: MessageField[]
}

/** A request, for reading. */
export interface RequestView {
  method: string
  target: UrlView
  headers: HeaderField[]
  body: BodyView
  /** The request as raw HTTP/1.1 text. */
  raw: string
}

/** A response, for reading. */
export interface ResponseView {
  status: number
  /** `OK`, `Found`, … ('' for a status without one). */
  reason: string
  headers: HeaderField[]
  /** Where a redirect sends the browser, with its parameters (`code`, `state`, `iss`, `error`). */
  location: UrlView | null
  body: BodyView
  raw: string
}

/** An exchange, for reading: its request, its response once it came, and the JWTs in both. */
export interface ExchangeView {
  request: RequestView
  /** null while the request is still on its way. */
  response: ResponseView | null
  jwts: JwtOccurrence[]
}

function fieldsOf(pairs: readonly (readonly [string, string])[]): MessageField[] {
  const count = new Map<string, number>()
  for (const [name] of pairs) count.set(name, (count.get(name) ?? 0) + 1)
  return pairs.map(([name, value]) => ({
    name,
    value,
    repeated: (count.get(name) ?? 0) > 1,
    jwt: isJwt(value),
  }))
}

/**
 * A URL split into origin, path and parameters; `base` resolves a relative one (a `Location`).
 * @see https://url.spec.whatwg.org/#concept-url-parser
 */
export function urlView(url: string, base?: string): UrlView {
  let u: URL
  try {
    u = new URL(url, base)
  } catch {
    return { url, origin: null, path: url, query: [], fragment: [] }
  }
  const fragment = u.hash.length > 1 ? fieldsOf([...new URLSearchParams(u.hash.slice(1))]) : []
  return {
    url,
    origin: u.origin === 'null' ? null : u.origin,
    path: u.pathname,
    query: fieldsOf([...u.searchParams]),
    // A fragment that is not parameters (`#section`) reads as one nameless row: leave it out.
    fragment: fragment.every((f) => f.value === '' && !u.hash.includes('=')) ? [] : fragment,
  }
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

function percentDecode(part: string): string | null {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '))
  } catch {
    return null
  }
}

/**
 * An `Authorization` header's value decoded: Basic client credentials (Base64 of the
 * form-urlencoded `client_id`, a colon, the form-urlencoded secret), or a Bearer token; null for
 * any other scheme. Never throws: what cannot be read says why.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @see https://www.rfc-editor.org/rfc/rfc7617#section-2
 */
export function decodeAuthorization(value: string): AuthorizationView | null {
  const basic = /^basic(?:\s+(.*))?$/is.exec(value.trim())
  if (basic) {
    const token = (basic[1] ?? '').trim()
    let decoded: string
    if (!BASE64.test(token) || token.length % 4 === 1)
      return { type: 'basic-invalid', problem: 'not-base64' }
    try {
      // RFC 6749 sends only form-urlencoded ASCII; a client that sent raw UTF-8 (RFC 7617's
      // charset) still reads as it meant.
      const binary = atob(token)
      decoded = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))
    } catch {
      return { type: 'basic-invalid', problem: 'not-base64' }
    }
    const colon = decoded.indexOf(':')
    if (colon < 0) return { type: 'basic-invalid', problem: 'no-colon' }
    const id = percentDecode(decoded.slice(0, colon))
    const secret = percentDecode(decoded.slice(colon + 1))
    if (id === null || secret === null)
      return { type: 'basic-invalid', problem: 'bad-percent-encoding' }
    return { type: 'basic', client_id: id, client_secret: secret }
  }
  const bearer = /^bearer\s+(\S+)$/i.exec(value.trim())
  if (bearer?.[1]) return { type: 'bearer', token: bearer[1], jwt: isJwt(bearer[1]) }
  return null
}

function headersOf(headers: HeaderList): HeaderField[] {
  return fieldsOf(headers).map((f) => ({
    ...f,
    authorization: f.name.toLowerCase() === 'authorization' ? decodeAuthorization(f.value) : null,
  }))
}

function titleOf(html: string): string | null {
  const m = /<title[^>]*>([^<]*)<\/title>/i.exec(html)
  if (!m?.[1]) return null
  const text = m[1]
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .trim()
  return text || null
}

function isJsonType(type: string | null): boolean {
  return type === 'application/json' || (type?.endsWith('+json') ?? false)
}

/**
 * A body by its `Content-Type`: form fields as rows, JSON pretty-printed (JSON that does not
 * parse is shown as sent), an HTML page noted, anything else as text.
 * @see https://www.rfc-editor.org/rfc/rfc8259
 */
export function bodyView(headers: HeaderList, body: string): BodyView {
  if (body === '') return { type: 'empty' }
  const type = mediaType(headers)
  if (type === 'application/x-www-form-urlencoded')
    return { type: 'form', fields: fieldsOf([...new URLSearchParams(body)]) }
  if (type === 'text/html') return { type: 'html', title: titleOf(body), length: body.length }
  const looksJson = type === null && /^\s*[[{]/.test(body)
  if (isJsonType(type) || looksJson) {
    try {
      return { type: 'json', pretty: JSON.stringify(JSON.parse(body), null, 2) }
    } catch {
      return { type: 'text', text: body, mediaType: type, invalidJson: isJsonType(type) }
    }
  }
  return { type: 'text', text: body, mediaType: type, invalidJson: false }
}

/** A request split for reading. */
export function requestView(request: HttpRequest): RequestView {
  return {
    method: request.method,
    target: urlView(request.url),
    headers: headersOf(request.headers),
    body: bodyView(request.headers, request.body),
    raw: rawRequest(request),
  }
}

/**
 * A response split for reading; `requestUrl` resolves a relative `Location`.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.2
 */
export function responseView(response: HttpResponse, requestUrl?: string): ResponseView {
  const location = getHeader(response.headers, 'location')
  return {
    status: response.status,
    reason: reasonPhrase(response.status),
    headers: headersOf(response.headers),
    location: location === null ? null : urlView(location, requestUrl),
    body: bodyView(response.headers, response.body),
    raw: rawResponse(response),
  }
}

/** An exchange split for reading: request, response (null while in flight), JWTs. */
export function exchangeView(exchange: Pick<Exchange, 'request' | 'response'>): ExchangeView {
  const { request, response } = exchange
  return {
    request: requestView(request),
    response: response ? responseView(response, request.url) : null,
    jwts: findJwts(request, response),
  }
}
