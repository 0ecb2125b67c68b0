/**
 * Shared test helpers: one RS256 key for the whole test file (key generation is the slow part),
 * a fixed clock start, and drivers for the usual flows.
 */
import {
  createLab,
  generateSigningKey,
  type Lab,
  type LabOptions,
  type SigningKey,
} from '../../src/index.ts'
import { expect } from 'vitest'
import { s256Challenge } from '../../src/protocol/crypto.ts'
import type { HttpRequest, HttpResponse } from '../../src/protocol/types.ts'

let keys: Promise<SigningKey[]> | null = null
/** One signing key per test process. */
export function sharedKeys(): Promise<SigningKey[]> {
  keys ??= generateSigningKey('test-key').then((k) => [k])
  return keys
}

/** The one shared signing key itself. */
export async function sharedKey(): Promise<SigningKey> {
  const [key] = await sharedKeys()
  if (!key) throw new Error('no key')
  return key
}

/** 2026-01-01T00:00:00Z: a fixed start so tests are deterministic. */
export const T0 = Date.UTC(2026, 0, 1)

/** A fresh lab with the shared key, a fixed seed and clock. */
export async function newLab(options: LabOptions = {}): Promise<Lab> {
  return createLab({ seed: 'test', now: T0, keys: await sharedKeys(), ...options })
}

export const VERIFIER = 'dBjftJeZ4CVP-mJ92K1ppO9nB3RnF0ZzK8YjZcVRRcnGVxOkdFAGc7HyBs2XSYK4'

/** Builds an authorization URL for a demo client. */
export async function authorizationUrl(
  lab: Lab,
  params: Record<string, string | undefined> & { client?: 'confidential' | 'public' } = {},
): Promise<string> {
  const { client = 'confidential', ...rest } = params
  const c = client === 'confidential' ? lab.clients.confidential : lab.clients.public
  const url = new URL(`${lab.issuer}/authorize`)
  const defaults: Record<string, string> = {
    response_type: 'code',
    client_id: c.client_id,
    redirect_uri: c.redirect_uri,
    scope: 'openid profile photos.read',
    state: 'state-123',
    code_challenge: await s256Challenge(VERIFIER),
    code_challenge_method: 'S256',
    nonce: 'nonce-123',
  }
  for (const [k, v] of Object.entries({ ...defaults, ...rest }))
    if (v !== undefined) url.searchParams.set(k, v)
  return url.toString()
}

/** Runs the browser through login and consent and returns the code from the redirect. */
export async function getCode(
  lab: Lab,
  params: Parameters<typeof authorizationUrl>[1] = {},
): Promise<{ code: string; redirect: URL }> {
  const redirect = new URL(await lab.browser.authorize(await authorizationUrl(lab, params)))
  const code = redirect.searchParams.get('code')
  if (!code) throw new Error(`no code in ${redirect}`)
  return { code, redirect }
}

/** A code redemption as a client with HTTP Basic sends it: a request with headers and a body. */
export const TOKEN_REQUEST: HttpRequest = {
  method: 'POST',
  url: 'https://auth.example/token',
  headers: [
    ['Content-Type', 'application/x-www-form-urlencoded'],
    ['Authorization', 'Basic ZGVtbzpzZWNyZXQ='],
  ],
  body: 'grant_type=authorization_code&code=abc',
}

/** HTTP Basic credentials for the confidential client. */
export function basic(id: string, secret: string): string {
  return `Basic ${btoa(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`)}`
}

/** POSTs a form to the token endpoint (or another AS path) through lab.fetch. */
export async function postForm(
  lab: Lab,
  path: string,
  fields: Record<string, string | undefined>,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) body.append(k, v)
  return fetchJson(lab, `${lab.issuer}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body,
  })
}

/** A response as the tests read it: status, headers and the body parsed (`{ raw }` if not JSON). */
export interface JsonResponse {
  status: number
  headers: Headers
  body: Record<string, unknown>
}

/** Fetches through lab.fetch and parses the answer: an empty body is `{}`, a non-JSON one `{ raw }`. */
export async function fetchJson(
  lab: Lab,
  url: string,
  init: RequestInit = {},
): Promise<JsonResponse> {
  const res = await lab.fetch(url, init)
  const text = await res.text()
  let parsed: Record<string, unknown>
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {}
  } catch {
    parsed = { raw: text }
  }
  return { status: res.status, headers: res.headers, body: parsed }
}

/** The confidential client's HTTP Basic credentials, as a header. */
export function asConfidentialClient(lab: Lab): Record<string, string> {
  const c = lab.clients.confidential
  return { Authorization: basic(c.client_id, c.client_secret) }
}

/** The resource server's HTTP Basic credentials (it may introspect every token), as a header. */
export function asResourceServer(lab: Lab): Record<string, string> {
  const rs = lab.world.state.rs
  return { Authorization: basic(rs.resourceId, rs.resourceSecret) }
}

/** An `Authorization: Bearer` header for `token`. */
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })

/** The auth-params of a `WWW-Authenticate: Bearer ...` challenge; fails unless it is one. */
export function bearerChallenge(headers: Headers): Record<string, string> {
  const value = headers.get('www-authenticate') ?? ''
  expect(value).toMatch(/^Bearer /)
  const out: Record<string, string> = {}
  for (const m of value.matchAll(/([\w-]+)="([^"]*)"/g)) out[m[1] ?? ''] = m[2] ?? ''
  return out
}

/** Redeems a code for the confidential client with HTTP Basic. */
export function redeemConfidential(
  lab: Lab,
  code: string,
  extra: Record<string, string | undefined> = {},
) {
  return postForm(
    lab,
    '/token',
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: lab.clients.confidential.redirect_uri,
      code_verifier: VERIFIER,
      ...extra,
    },
    asConfidentialClient(lab),
  )
}

/** Redeems a code for the public client (no secret). */
export function redeemPublic(
  lab: Lab,
  code: string,
  extra: Record<string, string | undefined> = {},
) {
  const c = lab.clients.public
  return postForm(lab, '/token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: c.redirect_uri,
    client_id: c.client_id,
    code_verifier: VERIFIER,
    ...extra,
  })
}

/**
 * Refreshes at the token endpoint as a demo client: the web app with HTTP Basic, the SPA with its
 * client_id (it has no secret).
 */
export function refreshAs(lab: Lab, who: 'confidential' | 'public', refreshToken: string) {
  const fields = { grant_type: 'refresh_token', refresh_token: refreshToken }
  return who === 'public'
    ? postForm(lab, '/token', { ...fields, client_id: lab.clients.public.client_id })
    : postForm(lab, '/token', fields, asConfidentialClient(lab))
}

/** The token response fields the tests use (`id_token` is 'undefined' when none was issued). */
export interface Tokens {
  access_token: string
  refresh_token: string
  id_token: string
}

/** Signs alice in for a demo client, redeems the code and returns the tokens; throws unless 200. */
export async function tokensFor(
  lab: Lab,
  who: 'confidential' | 'public' = 'confidential',
  scope?: string,
): Promise<Tokens> {
  const { code } = await getCode(lab, { client: who, ...(scope === undefined ? {} : { scope }) })
  const res =
    who === 'confidential' ? await redeemConfidential(lab, code) : await redeemPublic(lab, code)
  if (res.status !== 200)
    throw new Error(`the token request answered ${res.status}: ${JSON.stringify(res.body)}`)
  return {
    access_token: String(res.body.access_token),
    refresh_token: String(res.body.refresh_token),
    id_token: String(res.body.id_token),
  }
}

/** Parses a JSON body of a plain response. */
export function json(res: HttpResponse): Record<string, unknown> {
  return JSON.parse(res.body) as Record<string, unknown>
}
