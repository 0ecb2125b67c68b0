import type { JWK } from 'jose'
import { useState } from 'react'
import type { Exchange, HeaderList, HttpRequest, HttpResponse } from '../../protocol/index.ts'

/** The value kept while `same` says a new one reads alike, so memoized views skip the render. */
function useSame<T>(value: T, same: (a: T, b: T) => boolean): T {
  const [kept, setKept] = useState(value)
  if (kept === value || same(kept, value)) return kept
  setKept(value)
  return value
}

const sameKeys = (a: readonly JWK[], b: readonly JWK[]) => keysId(a) === keysId(b)

function keysId(keys: readonly JWK[]): string {
  return keys.map((k) => `${k.kid ?? ''}:${k.n ?? k.x ?? ''}`).join('|')
}

/**
 * The public keys, the same array while their content is the same: every step's snapshot has
 * its own copy, and an open JWT's signature check should not run again for each of them.
 */
export function useSameKeys(keys: readonly JWK[]): readonly JWK[] {
  return useSame(keys, sameKeys)
}

const sameOrNone = (a: Exchange | null, b: Exchange | null) =>
  a === b || (a !== null && b !== null && sameExchange(a, b))

/** The exchange, the same object while it reads the same (each step's snapshot has a copy). */
export function useSameExchange(exchange: Exchange | null): Exchange | null {
  return useSame(exchange, sameOrNone)
}

function sameHeaders(a: HeaderList, b: HeaderList): boolean {
  return a.length === b.length && a.every(([n, v], i) => n === b[i]?.[0] && v === b[i]?.[1])
}

function sameMessage(
  a: HttpRequest | HttpResponse | null,
  b: HttpRequest | HttpResponse | null,
): boolean {
  if (a === b) return true
  if (a === null || b === null) return false
  if (a.body !== b.body || !sameHeaders(a.headers, b.headers)) return false
  if ('method' in a || 'method' in b)
    return 'method' in a && 'method' in b && a.method === b.method && a.url === b.url
  return a.status === b.status
}

/**
 * Whether two exchanges read the same. Each step's snapshot holds its own copy of every exchange,
 * so a view compares what it shows to skip work when the step changes and the message does not.
 * (Here rather than in flow/views/message.ts: the panes load at first paint, the message model later.)
 */
export function sameExchange(a: Exchange, b: Exchange): boolean {
  return (
    a === b ||
    (a.id === b.id &&
      a.from === b.from &&
      a.to === b.to &&
      a.channel === b.channel &&
      sameMessage(a.request, b.request) &&
      sameMessage(a.response, b.response))
  )
}
