/**
 * Plain, serializable data that travels on the simulated network and makes up the world.
 * Nothing here holds a class instance, so a snapshot of the world is a `structuredClone`.
 */

/** A header list as it travels on the wire: names keep their case, order is kept. */
export type HeaderList = [name: string, value: string][]

/** An HTTP request as plain data. @see https://www.rfc-editor.org/rfc/rfc9110#section-9 */
export interface HttpRequest {
  method: string
  /** Absolute URL, e.g. `https://auth.example/token`. */
  url: string
  headers: HeaderList
  /** Body as text ('' when there is none). */
  body: string
}

/** An HTTP response as plain data. @see https://www.rfc-editor.org/rfc/rfc9110#section-15 */
export interface HttpResponse {
  status: number
  headers: HeaderList
  body: string
}

/** The roles of RFC 6749 §1.1 as lanes, plus the attacker of later scenarios. */
export type Role = 'browser' | 'client' | 'authorization-server' | 'resource-server' | 'attacker'

/**
 * `front`: carried by the user's browser (navigations, redirects, requests made by page code);
 * `back`: server to server, never seen by the browser.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-1.2
 */
/**
 * How a message travels. `front`: through the browser's address bar — redirects, links, form
 * posts — so its parameters sit in URLs and history. `back`: server to server. `direct`: the
 * page's own code calls a server with fetch (the SPA): from the browser, but no redirect and
 * nothing in the address bar or history.
 */
export type Channel = 'front' | 'back' | 'direct'

/** One request and its response on the simulated network, recorded in the order sent. */
export interface Exchange {
  id: number
  from: Role
  /** null when nothing answers at the request's origin (the network answers 502). */
  to: Role | null
  /** Origin of the sender when it is a server or a page (`https://client.example`), else null. */
  fromOrigin: string | null
  channel: Channel
  request: HttpRequest
  /** null while the request is still in flight. */
  response: HttpResponse | null
  /** Simulated time (ms since the epoch) when the request was sent and when the response came. */
  sentAt: number
  receivedAt: number | null
}

declare const brand: unique symbol
/** A string that has been checked to be of a kind, so a raw string can't stand in for it. */
export type Brand<T, B extends string> = T & { readonly [brand]: B }
export type AuthorizationCode = Brand<string, 'AuthorizationCode'>
export type CodeVerifier = Brand<string, 'CodeVerifier'>
export type CodeChallenge = Brand<string, 'CodeChallenge'>
export type AccessToken = Brand<string, 'AccessToken'>
export type RefreshToken = Brand<string, 'RefreshToken'>
