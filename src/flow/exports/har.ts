/**
 * The exchanges seen at a step as an HTTP Archive (HAR 1.2), the format browsers' network panels
 * import and export. Times come from the simulated clock, never the real one.
 * @see http://www.softwareishard.com/blog/har-12-spec/
 */
import {
  getHeader,
  type Exchange,
  type HeaderList,
  type HttpRequest,
  type HttpResponse,
  type Role,
} from '../../protocol/index.ts'
import type { Channel } from '../../protocol/index.ts'
import { CHANNEL_NAMES } from '../views/diagram.ts'
import { ROLE_NAMES } from '../roles.ts'
import { reasonPhrase } from '../../protocol/reasonPhrase.ts'
import type { Step } from '../types.ts'
import { visibleExchanges } from '../views/visible.ts'
import { CREATOR, exportTitle, isoTime, stepOnScreen, type ExportSource } from './source.ts'

/** A name/value pair: a header, a query parameter, a form field. @see http://www.softwareishard.com/blog/har-12-spec/#headers */
export interface HarNameValue {
  name: string
  value: string
}

/** A cookie sent (`Cookie`) or set (`Set-Cookie`). @see http://www.softwareishard.com/blog/har-12-spec/#cookies */
export interface HarCookie {
  name: string
  value: string
  path?: string
  domain?: string
  /** ISO 8601, from `Max-Age` (counted from the simulated time of the response) or `Expires`. */
  expires?: string
  httpOnly?: boolean
  secure?: boolean
}

/** A request's body. @see http://www.softwareishard.com/blog/har-12-spec/#postData */
export interface HarPostData {
  mimeType: string
  /** Form fields, for an `application/x-www-form-urlencoded` body. */
  params?: HarNameValue[]
  text: string
}

/** A request as sent. @see http://www.softwareishard.com/blog/har-12-spec/#request */
export interface HarRequest {
  method: string
  url: string
  httpVersion: string
  cookies: HarCookie[]
  headers: HarNameValue[]
  queryString: HarNameValue[]
  postData?: HarPostData
  headersSize: number
  bodySize: number
}

/** A response's body. @see http://www.softwareishard.com/blog/har-12-spec/#content */
export interface HarContent {
  size: number
  mimeType: string
  text?: string
}

/** A response as received; status 0 while none has come. @see http://www.softwareishard.com/blog/har-12-spec/#response */
export interface HarResponse {
  status: number
  statusText: string
  httpVersion: string
  cookies: HarCookie[]
  headers: HarNameValue[]
  content: HarContent
  redirectURL: string
  headersSize: number
  bodySize: number
  comment?: string
}

/** Milliseconds of simulated time: the network is instant, the server's time is `wait`. @see http://www.softwareishard.com/blog/har-12-spec/#timings */
export interface HarTimings {
  send: number
  wait: number
  receive: number
}

/**
 * One exchange. The `_` fields are the lab's own (HAR allows custom fields starting with `_`).
 * @see http://www.softwareishard.com/blog/har-12-spec/#entries
 */
export interface HarEntry {
  pageref?: string
  startedDateTime: string
  time: number
  request: HarRequest
  response: HarResponse
  cache: Record<string, never>
  timings: HarTimings
  comment: string
  /** The exchange's id in the run. */
  _id: number
  _channel: Channel
  _from: Role
  /** null when nothing answers at the request's origin. */
  _to: Role | null
  /** The learner edited this request before it was sent (Edit and resend). */
  _edited?: true
  /** The learner sent this request again from the log (Replay). */
  _replayed?: true
}

/** The run the entries belong to. @see http://www.softwareishard.com/blog/har-12-spec/#pages */
export interface HarPage {
  startedDateTime: string
  id: string
  title: string
  pageTimings: { onContentLoad: number; onLoad: number }
}

/** A HAR 1.2 document. @see http://www.softwareishard.com/blog/har-12-spec/#log */
export interface Har {
  log: {
    version: '1.2'
    creator: { name: string; version: string }
    pages: HarPage[]
    entries: HarEntry[]
    comment: string
  }
}

const HTTP_VERSION = 'HTTP/1.1'
const PAGE_ID = 'oauth-flow-lab'
const encoder = new TextEncoder()

/** Size in bytes of a body as UTF-8, as it would travel. */
function byteLength(text: string): number {
  return encoder.encode(text).length
}

function pairs(headers: HeaderList): HarNameValue[] {
  return headers.map(([name, value]) => ({ name, value }))
}

/** Cookies a request carries: `Cookie: a=1; b=2`. @see https://www.rfc-editor.org/rfc/rfc6265#section-4.2 */
export function parseCookieHeader(value: string): HarCookie[] {
  const out: HarCookie[] = []
  for (const part of value.split(';')) {
    const eq = part.indexOf('=')
    const name = (eq < 0 ? part : part.slice(0, eq)).trim()
    if (name === '') continue
    out.push({ name, value: eq < 0 ? '' : part.slice(eq + 1).trim() })
  }
  return out
}

/**
 * A cookie a response sets, with its attributes; `Max-Age` counts from `receivedAt`, the simulated
 * time of the response. A header with no `name=` gives null.
 * @see https://www.rfc-editor.org/rfc/rfc6265#section-5.2
 */
export function parseSetCookie(header: string, receivedAt: number): HarCookie | null {
  const [pair = '', ...attributes] = header.split(';')
  const eq = pair.indexOf('=')
  const name = eq < 0 ? '' : pair.slice(0, eq).trim()
  if (name === '') return null
  const cookie: HarCookie = { name, value: pair.slice(eq + 1).trim() }
  let maxAge: number | null = null
  let expires: number | null = null
  for (const attribute of attributes) {
    const at = attribute.indexOf('=')
    const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase()
    const value = at < 0 ? '' : attribute.slice(at + 1).trim()
    if (key === 'path' && value) cookie.path = value
    else if (key === 'domain' && value) cookie.domain = value.replace(/^\./, '')
    else if (key === 'httponly') cookie.httpOnly = true
    else if (key === 'secure') cookie.secure = true
    else if (key === 'max-age' && /^-?\d+$/.test(value)) maxAge = Number(value)
    else if (key === 'expires' && !Number.isNaN(Date.parse(value))) expires = Date.parse(value)
  }
  // Max-Age wins over Expires; a cookie with neither lasts the session (no `expires`).
  const at = maxAge !== null ? receivedAt + maxAge * 1000 : expires
  if (at !== null && Number.isFinite(at)) cookie.expires = isoTime(at)
  return cookie
}

function queryOf(url: string): HarNameValue[] {
  try {
    return Array.from(new URL(url).searchParams, ([name, value]) => ({ name, value }))
  } catch {
    return []
  }
}

function isForm(mimeType: string): boolean {
  return mimeType.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded'
}

function harRequest(request: HttpRequest): HarRequest {
  const cookie = getHeader(request.headers, 'cookie')
  const out: HarRequest = {
    method: request.method,
    url: request.url,
    httpVersion: HTTP_VERSION,
    cookies: cookie === null ? [] : parseCookieHeader(cookie),
    headers: pairs(request.headers),
    queryString: queryOf(request.url),
    headersSize: -1,
    bodySize: byteLength(request.body),
  }
  if (request.body !== '') {
    const mimeType = getHeader(request.headers, 'content-type') ?? ''
    out.postData = isForm(mimeType)
      ? {
          mimeType,
          params: Array.from(new URLSearchParams(request.body), ([name, value]) => ({
            name,
            value,
          })),
          text: request.body,
        }
      : { mimeType, text: request.body }
  }
  return out
}

function redirectUrl(response: HttpResponse, requestUrl: string): string {
  const location = getHeader(response.headers, 'location')
  if (location === null) return ''
  try {
    return new URL(location, requestUrl).toString()
  } catch {
    return location
  }
}

function harResponse(response: HttpResponse, requestUrl: string, receivedAt: number): HarResponse {
  const size = byteLength(response.body)
  return {
    status: response.status,
    statusText: reasonPhrase(response.status),
    httpVersion: HTTP_VERSION,
    cookies: response.headers
      .filter(([n]) => n.toLowerCase() === 'set-cookie')
      .map(([, v]) => parseSetCookie(v, receivedAt))
      .filter((c): c is HarCookie => c !== null),
    headers: pairs(response.headers),
    content: {
      size,
      mimeType: getHeader(response.headers, 'content-type') ?? 'x-unknown',
      text: response.body,
    },
    redirectURL: redirectUrl(response, requestUrl),
    headersSize: -1,
    bodySize: size,
  }
}

/** What stands in for the response of a request still on its way at the step on screen. */
function pendingResponse(): HarResponse {
  return {
    status: 0,
    statusText: '',
    httpVersion: HTTP_VERSION,
    cookies: [],
    headers: [],
    content: { size: 0, mimeType: 'x-unknown' },
    redirectURL: '',
    headersSize: -1,
    bodySize: -1,
    comment: 'No response yet at this step: the request is still on its way.',
  }
}

/** `Browser → Authorization Server, front channel`, and what the learner did to it. */
function routeComment(x: Exchange, step: Step | undefined): string {
  const to = x.to ? ROLE_NAMES[x.to] : 'nobody (nothing answers at that origin)'
  const notes = [`${ROLE_NAMES[x.from]} → ${to}, ${CHANNEL_NAMES[x.channel]}`]
  if (step?.edited) notes.push('edited by the learner before it was sent')
  if (step?.replayed) notes.push('sent again by the learner (Replay)')
  if (x.response === null) notes.push('waiting for the response at this step')
  return notes.join('; ')
}

function harEntry(x: Exchange, requestStep: Step | undefined): HarEntry {
  const receivedAt = x.response && x.receivedAt !== null ? x.receivedAt : null
  const wait = receivedAt === null ? 0 : Math.max(0, receivedAt - x.sentAt) || 0
  const entry: HarEntry = {
    pageref: PAGE_ID,
    startedDateTime: isoTime(x.sentAt),
    time: wait,
    request: harRequest(x.request),
    response: x.response
      ? harResponse(x.response, x.request.url, receivedAt ?? x.sentAt)
      : pendingResponse(),
    cache: {},
    timings: { send: 0, wait, receive: 0 },
    comment: routeComment(x, requestStep),
    _id: x.id,
    _channel: x.channel,
    _from: x.from,
    _to: x.to,
  }
  if (requestStep?.edited) entry._edited = true
  if (requestStep?.replayed) entry._replayed = true
  return entry
}

/**
 * The exchanges visible at the step on screen, in the order sent, as a HAR 1.2 log: one entry
 * each, with `_channel`, `_from` and `_to`; a request still waiting for its response has status 0.
 * @see http://www.softwareishard.com/blog/har-12-spec/#log
 */
export function toHar(source: ExportSource): Har {
  const step = stepOnScreen(source)
  const exchanges = step ? visibleExchanges(source.steps, step.index) : []
  const requestSteps = new Map<number, Step>()
  for (const s of source.steps.slice(0, (step?.index ?? -1) + 1))
    if (s.kind.type === 'request') requestSteps.set(s.kind.exchangeId, s)
  const title = exportTitle(source)
  return {
    log: {
      version: '1.2',
      creator: { name: CREATOR.name, version: CREATOR.version },
      pages: [
        {
          startedDateTime: isoTime(source.config.now),
          id: PAGE_ID,
          title: `OAuth Flow Lab: ${title}`,
          pageTimings: { onContentLoad: -1, onLoad: -1 },
        },
      ],
      entries: exchanges.map((x) => harEntry(x, requestSteps.get(x.id))),
      comment: `Simulated exchanges of OAuth Flow Lab (${title}); times are the simulated clock's, seed ${JSON.stringify(source.config.seed)}.`,
    },
  }
}
