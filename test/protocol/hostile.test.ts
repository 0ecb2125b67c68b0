/**
 * Hostile input, as a permanent family (issue 17): every endpoint of the world gets requests built
 * from prototype names, control characters, huge and empty values and wrong shapes, in every
 * parameter, cookie and credential it reads. Whatever comes, no handler throws, nothing answers
 * 500, Object.prototype is unchanged afterwards, and every error is the RFC's own.
 * The seed is the project's (test/setup/fastCheck.ts); the run count is below.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { HttpRequest } from '../../src/protocol/index.ts'
import { newLab } from './helpers.ts'

/** Runs of the property (each sends one request to each endpoint below). */
const RUNS = 100

const PROTO = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '__defineGetter__']

/** A hostile value: a prototype name, control characters, huge, empty, or anything. */
const hostile = fc.oneof(
  fc.constantFrom(...PROTO),
  fc.constantFrom('', ' ', '\u0000', '\u001b[201~\u007f', '\r\n', '%00', '%', '\ud800', 'a'.repeat(20_000)),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('alice', 'demo-web-app', 'demo-spa', 'openid', 'authorization_code', 'refresh_token'),
)

/** The errors the RFCs define for these endpoints (RFC 6749 §4.1.2.1, §5.2; 6750 §3.1; 7009; 7662). */
const RFC_ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_token',
  'insufficient_scope',
  'unsupported_token_type',
  'access_denied',
  'unsupported_response_type',
  'temporarily_unavailable',
])

const AS = 'https://auth.example'
/** Each endpoint and the parameters it reads. */
const ENDPOINTS: { method: 'GET' | 'POST'; url: string; params: string[] }[] = [
  { method: 'GET', url: `${AS}/authorize`, params: ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method', 'nonce', 'prompt'] },
  { method: 'POST', url: `${AS}/login`, params: ['request_id', 'username', 'password'] },
  { method: 'POST', url: `${AS}/consent`, params: ['request_id', 'decision'] },
  { method: 'POST', url: `${AS}/token`, params: ['grant_type', 'code', 'redirect_uri', 'client_id', 'client_secret', 'code_verifier', 'refresh_token', 'scope'] },
  { method: 'POST', url: `${AS}/revoke`, params: ['token', 'token_type_hint', 'client_id'] },
  { method: 'POST', url: `${AS}/introspect`, params: ['token', 'token_type_hint'] },
  { method: 'GET', url: `${AS}/userinfo`, params: ['access_token'] },
  { method: 'GET', url: `${AS}/.well-known/openid-configuration`, params: ['x'] },
  { method: 'GET', url: 'https://api.example/photos', params: ['access_token'] },
  { method: 'GET', url: 'https://client.example/callback', params: ['code', 'state', 'iss', 'error', 'error_description'] },
  { method: 'GET', url: 'https://client.example/login', params: ['as'] },
  { method: 'GET', url: 'https://client.example/', params: ['x'] },
]

/** Form-encoded (a lone surrogate becomes U+FFFD, as a browser sends it). */
const form = (pairs: [string, string][]) => new URLSearchParams(pairs).toString()

/** Base64 of the text's UTF-8 bytes. */
const base64 = (text: string) => btoa(Array.from(new TextEncoder().encode(text), (b) => String.fromCharCode(b)).join(''))

/** Object.prototype's own properties, with their values: to tell it was not changed. */
function prototypeNow(): string {
  return Object.getOwnPropertyNames(Object.prototype)
    .sort()
    .map((n) => `${n}:${typeof (Object.prototype as Record<string, unknown>)[n]}`)
    .join(',')
}

describe('hostile input at every endpoint', () => {
  it(`never throws, never answers 500, leaves Object.prototype alone, and errs in the RFC's words (${RUNS} runs)`, async () => {
    const lab = await newLab()
    const before = prototypeNow()
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          values: fc.array(hostile, { minLength: 12, maxLength: 12 }),
          cookie: hostile,
          basicId: hostile,
          basicSecret: hostile,
          bearer: hostile,
          headerValue: hostile,
        }),
        async ({ values, cookie, basicId, basicSecret, bearer, headerValue }) => {
          for (const [n, endpoint] of ENDPOINTS.entries()) {
            const pairs = endpoint.params.map((p, i): [string, string] => [p, values[(i + n) % values.length]!])
            const headers: [string, string][] = [
              ['Cookie', `client_session=${cookie}; as_session=${cookie}; ${cookie}=${cookie}`],
              ['X-Hostile', headerValue],
            ]
            if (n % 3 === 0) headers.push(['Authorization', `Basic ${base64(`${basicId}:${basicSecret}`)}`])
            else if (n % 3 === 1) headers.push(['Authorization', `Bearer ${bearer}`])
            const request: HttpRequest =
              endpoint.method === 'GET'
                ? { method: 'GET', url: `${endpoint.url}?${form(pairs)}`, headers, body: '' }
                : {
                    method: 'POST',
                    url: endpoint.url,
                    headers: [...headers, ['Content-Type', 'application/x-www-form-urlencoded']],
                    body: form(pairs),
                  }
            const res = await lab.world.send('client', 'back', request)
            expect(res.status, `${request.method} ${endpoint.url}: ${res.body.slice(0, 200)}`).toBeLessThan(500)
            if (res.headers.some(([k, v]) => k.toLowerCase() === 'content-type' && v.startsWith('application/json')) && res.status >= 400) {
              const error = (JSON.parse(res.body) as { error?: unknown }).error
              expect(RFC_ERRORS.has(String(error)), `${endpoint.url} answered error ${String(error)}`).toBe(true)
            }
            expect(prototypeNow()).toBe(before)
            expect(({} as Record<string, unknown>).state).toBeUndefined()
          }
        },
      ),
      { numRuns: RUNS },
    )
    expect(prototypeNow()).toBe(before)
  }, 120_000)
})
