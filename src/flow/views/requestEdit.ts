/**
 * Edit and resend, as plain data: a request split into the parts a learner edits (query
 * parameters, headers, form fields or raw body) and put back together.
 */
import type { HttpRequest } from '../../protocol/index.ts'

/** One editable name/value row. */
export interface EditRow {
  name: string
  value: string
}

/** A request as the editor shows it. */
export interface EditableRequest {
  method: string
  /** The URL without its query string (nor fragment). */
  base: string
  query: EditRow[]
  headers: EditRow[]
  /** A form body as rows, any other body as text. */
  body: { kind: 'form'; fields: EditRow[] } | { kind: 'text'; text: string }
}

function isForm(request: HttpRequest): boolean {
  const type = request.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? ''
  return type.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded'
}

function rowsOf(params: URLSearchParams): EditRow[] {
  return Array.from(params, ([name, value]) => ({ name, value }))
}

function paramsOf(rows: EditRow[]): string {
  const params = new URLSearchParams()
  for (const r of rows) if (r.name !== '') params.append(r.name, r.value)
  return params.toString()
}

/** Splits a request into its editable parts. */
export function toEditable(request: HttpRequest): EditableRequest {
  let base = request.url
  let query: EditRow[] = []
  try {
    const u = new URL(request.url)
    query = rowsOf(u.searchParams)
    base = `${u.origin}${u.pathname}`
  } catch {
    // Not a URL: edited as it is, with no parameters.
  }
  return {
    method: request.method,
    base,
    query,
    headers: request.headers.map(([name, value]) => ({ name, value })),
    body: isForm(request)
      ? { kind: 'form', fields: rowsOf(new URLSearchParams(request.body)) }
      : { kind: 'text', text: request.body },
  }
}

/** Puts the edited parts back together; rows with no name are dropped. */
export function fromEditable(e: EditableRequest): HttpRequest {
  const search = paramsOf(e.query)
  return {
    method: e.method,
    url: search ? `${e.base}?${search}` : e.base,
    headers: e.headers.filter((h) => h.name.trim() !== '').map((h) => [h.name.trim(), h.value]),
    body: e.body.kind === 'form' ? paramsOf(e.body.fields) : e.body.text,
  }
}
