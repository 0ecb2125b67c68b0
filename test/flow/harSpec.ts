/**
 * A structural check of a HAR document against the HAR 1.2 specification: every required field
 * present with its type, optional fields typed when present, no field outside the specification
 * unless it starts with `_` (custom fields), ISO 8601 dates, non-negative timings whose sum is the
 * entry's time. Returns the problems found (none: valid). Shared by the flow and e2e tests.
 * @see http://www.softwareishard.com/blog/har-12-spec/
 */

type Obj = Record<string, unknown>
type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'iso'

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function kindOk(v: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'array':
      return Array.isArray(v)
    case 'object':
      return isObj(v)
    case 'iso':
      return typeof v === 'string' && ISO.test(v) && !Number.isNaN(Date.parse(v))
    case 'number':
      return typeof v === 'number' && Number.isFinite(v)
    default:
      return typeof v === kind
  }
}

/** Fields of an object: name → [kind, required]. */
type Shape = Record<string, [Kind, boolean]>

const SHAPES = {
  log: {
    version: ['string', true],
    creator: ['object', true],
    browser: ['object', false],
    pages: ['array', false],
    entries: ['array', true],
    comment: ['string', false],
  },
  creator: { name: ['string', true], version: ['string', true], comment: ['string', false] },
  page: {
    startedDateTime: ['iso', true],
    id: ['string', true],
    title: ['string', true],
    pageTimings: ['object', true],
    comment: ['string', false],
  },
  pageTimings: {
    onContentLoad: ['number', false],
    onLoad: ['number', false],
    comment: ['string', false],
  },
  entry: {
    pageref: ['string', false],
    startedDateTime: ['iso', true],
    time: ['number', true],
    request: ['object', true],
    response: ['object', true],
    cache: ['object', true],
    timings: ['object', true],
    serverIPAddress: ['string', false],
    connection: ['string', false],
    comment: ['string', false],
  },
  request: {
    method: ['string', true],
    url: ['string', true],
    httpVersion: ['string', true],
    cookies: ['array', true],
    headers: ['array', true],
    queryString: ['array', true],
    postData: ['object', false],
    headersSize: ['number', true],
    bodySize: ['number', true],
    comment: ['string', false],
  },
  response: {
    status: ['number', true],
    statusText: ['string', true],
    httpVersion: ['string', true],
    cookies: ['array', true],
    headers: ['array', true],
    content: ['object', true],
    redirectURL: ['string', true],
    headersSize: ['number', true],
    bodySize: ['number', true],
    comment: ['string', false],
  },
  cookie: {
    name: ['string', true],
    value: ['string', true],
    path: ['string', false],
    domain: ['string', false],
    expires: ['iso', false],
    httpOnly: ['boolean', false],
    secure: ['boolean', false],
    comment: ['string', false],
  },
  pair: { name: ['string', true], value: ['string', true], comment: ['string', false] },
  postData: {
    mimeType: ['string', true],
    params: ['array', false],
    text: ['string', false],
    comment: ['string', false],
  },
  param: {
    name: ['string', true],
    value: ['string', false],
    fileName: ['string', false],
    contentType: ['string', false],
    comment: ['string', false],
  },
  content: {
    size: ['number', true],
    compression: ['number', false],
    mimeType: ['string', true],
    text: ['string', false],
    encoding: ['string', false],
    comment: ['string', false],
  },
  cache: {
    beforeRequest: ['object', false],
    afterRequest: ['object', false],
    comment: ['string', false],
  },
  timings: {
    blocked: ['number', false],
    dns: ['number', false],
    connect: ['number', false],
    send: ['number', true],
    wait: ['number', true],
    receive: ['number', true],
    ssl: ['number', false],
    comment: ['string', false],
  },
} satisfies Record<string, Shape>

function check(v: unknown, shape: Shape, where: string, problems: string[]): Obj {
  if (!isObj(v)) {
    problems.push(`${where}: expected an object`)
    return {}
  }
  for (const [name, [kind, required]] of Object.entries(shape)) {
    if (!(name in v) || v[name] === undefined) {
      if (required) problems.push(`${where}.${name}: missing`)
    } else if (!kindOk(v[name], kind)) {
      problems.push(`${where}.${name}: expected ${kind}, got ${JSON.stringify(v[name])}`)
    }
  }
  for (const name of Object.keys(v))
    if (!(name in shape) && !name.startsWith('_'))
      problems.push(`${where}.${name}: not in HAR 1.2 (custom fields start with _)`)
  return v
}

function each(v: unknown, shape: Shape, where: string, problems: string[]): Obj[] {
  return Array.isArray(v) ? v.map((x, i) => check(x, shape, `${where}[${i}]`, problems)) : []
}

/** The problems of a HAR 1.2 document; an empty list when it is valid. */
export function harProblems(doc: unknown): string[] {
  const problems: string[] = []
  const root = check(doc, { log: ['object', true] }, 'har', problems)
  const log = check(root.log, SHAPES.log, 'log', problems)
  if (log.version !== '1.2')
    problems.push(`log.version: expected "1.2", got ${JSON.stringify(log.version)}`)
  check(log.creator, SHAPES.creator, 'log.creator', problems)
  const pages = each(log.pages, SHAPES.page, 'log.pages', problems)
  pages.forEach((p, i) =>
    check(p.pageTimings, SHAPES.pageTimings, `log.pages[${i}].pageTimings`, problems),
  )
  const pageIds = new Set(pages.map((p) => p.id))
  each(log.entries, SHAPES.entry, 'log.entries', problems).forEach((e, i) => {
    const at = `log.entries[${i}]`
    if (e.pageref !== undefined && !pageIds.has(e.pageref))
      problems.push(`${at}.pageref: no page ${JSON.stringify(e.pageref)}`)
    const req = check(e.request, SHAPES.request, `${at}.request`, problems)
    const res = check(e.response, SHAPES.response, `${at}.response`, problems)
    check(e.cache, SHAPES.cache, `${at}.cache`, problems)
    const t = check(e.timings, SHAPES.timings, `${at}.timings`, problems)
    for (const part of [req, res]) {
      const name = part === req ? 'request' : 'response'
      each(part.cookies, SHAPES.cookie, `${at}.${name}.cookies`, problems)
      each(part.headers, SHAPES.pair, `${at}.${name}.headers`, problems)
    }
    each(req.queryString, SHAPES.pair, `${at}.request.queryString`, problems)
    if (req.postData !== undefined) {
      const post = check(req.postData, SHAPES.postData, `${at}.request.postData`, problems)
      each(post.params, SHAPES.param, `${at}.request.postData.params`, problems)
    }
    check(res.content, SHAPES.content, `${at}.response.content`, problems)
    if (typeof req.url === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(req.url))
      problems.push(`${at}.request.url: not absolute: ${req.url}`)
    // Timings: -1 means "does not apply"; send, wait and receive may not be -1; time is their sum.
    let sum = 0
    for (const [name, value] of Object.entries(t)) {
      if (typeof value !== 'number' || name.startsWith('_') || name === 'comment') continue
      const required = name === 'send' || name === 'wait' || name === 'receive'
      if (value < 0 && (required || value !== -1))
        problems.push(`${at}.timings.${name}: ${value} is negative`)
      if (value >= 0 && name !== 'ssl') sum += value // ssl is included in connect
    }
    if (typeof e.time === 'number' && Math.abs(e.time - sum) > 1e-6)
      problems.push(`${at}.time: ${e.time} is not the sum of its timings (${sum})`)
  })
  return problems
}
