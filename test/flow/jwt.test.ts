import { SignJWT, base64url, decodeJwt, decodeProtectedHeader, importJWK } from 'jose'
import { describe, expect, it } from 'vitest'
import {
  checkJwtSignature,
  decodeJwtParts,
  explainClaims,
  explainHeader,
  findJwts,
  isJwt,
} from '../../src/flow/views/jwt.ts'
import { generateSigningKey, type HttpRequest, type SigningKey } from '../../src/protocol/index.ts'
import { T0, sharedKey } from '../protocol/helpers.ts'
import { runToEnd } from './helpers.ts'

const NOW = T0 / 1000

async function sign(
  key: SigningKey,
  claims: Record<string, unknown>,
  kid = key.kid,
): Promise<string> {
  const priv = await importJWK(key.privateJwk, 'RS256')
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid }).sign(priv)
}

describe('checkJwtSignature', () => {
  it('accepts a token signed by a key in the JWKS and names the kid', async () => {
    const key = await sharedKey()
    const token = await sign(key, { iss: 'https://auth.example', sub: 'alice', exp: NOW + 3600 })
    expect(await checkJwtSignature(token, [key.publicJwk])).toEqual({
      status: 'valid',
      kid: key.kid,
    })
  })

  it('ignores the clock: an expired token still has a valid signature', async () => {
    const key = await sharedKey()
    const token = await sign(key, { exp: 1 })
    expect((await checkJwtSignature(token, [key.publicJwk])).status).toBe('valid')
  })

  it('refuses a token whose payload was altered', async () => {
    const key = await sharedKey()
    const token = await sign(key, { sub: 'alice', scope: 'photos.read' })
    const [h, , s] = token.split('.')
    const forged = `${h}.${base64url.encode(JSON.stringify({ sub: 'alice', scope: 'photos.read photos.write' }))}.${s}`
    expect(decodeJwtParts(forged).ok).toBe(true)
    expect(await checkJwtSignature(forged, [key.publicJwk])).toMatchObject({
      status: 'invalid',
      kid: key.kid,
    })
  })

  it('refuses a token signed by another key with the same kid', async () => {
    const key = await sharedKey()
    const other = await generateSigningKey(key.kid)
    const token = await sign(other, { sub: 'mallory' })
    expect((await checkJwtSignature(token, [key.publicJwk])).status).toBe('invalid')
  })

  it('says so when no key in the JWKS has the token’s kid', async () => {
    const key = await sharedKey()
    const token = await sign(key, { sub: 'alice' }, 'unknown-kid')
    expect(await checkJwtSignature(token, [key.publicJwk])).toEqual({
      status: 'no-key',
      kid: 'unknown-kid',
    })
    expect((await checkJwtSignature(token, [])).status).toBe('no-key')
  })

  it('refuses an unsigned (alg none) token', async () => {
    const key = await sharedKey()
    const none = `${base64url.encode('{"alg":"none"}')}.${base64url.encode('{"sub":"alice"}')}.`
    expect(await checkJwtSignature(none, [key.publicJwk])).toMatchObject({ status: 'invalid' })
  })

  it.each([
    '',
    'hello',
    'a.b.c',
    'not.a.jwt!',
    `${base64url.encode('{"typ":"JWT"}')}.${base64url.encode('{}')}.sig`,
  ])('calls %j malformed, not a JWT', async (text) => {
    const key = await sharedKey()
    expect(isJwt(text)).toBe(false)
    expect((await checkJwtSignature(text, [key.publicJwk])).status).toBe('malformed')
  })
})

describe('decoding a malformed JWT', () => {
  const enc = (text: string) => base64url.encode(text)
  it.each([
    ['a header that is not base64url', `AAAAA.${enc('{}')}.sig`],
    ['a header that is not JSON', `${enc('alg')}.${enc('{}')}.sig`],
    [
      'a header that is not UTF-8',
      `${base64url.encode(new Uint8Array([0xff, 0xfe]))}.${enc('{}')}.sig`,
    ],
    ['a header that is an array', `${enc('["RS256"]')}.${enc('{}')}.sig`],
    ['a payload that is not base64url', `${enc('{"alg":"RS256"}')}.AAAAA.sig`],
    ['a payload that is not JSON', `${enc('{"alg":"RS256"}')}.${enc('sub')}.sig`],
    [
      'a payload that is not UTF-8',
      `${enc('{"alg":"RS256"}')}.${base64url.encode(new Uint8Array([0xc3, 0x28]))}.sig`,
    ],
    ['a payload that is null', `${enc('{"alg":"RS256"}')}.${enc('null')}.sig`],
    ['a payload that is an array', `${enc('{"alg":"RS256"}')}.${enc('[1]')}.sig`],
  ])('gives jose’s reason for %s', (_, token) => {
    let expected: string
    try {
      decodeProtectedHeader(token)
      decodeJwt(token)
      throw new Error('jose decoded it')
    } catch (e) {
      expected = `Not a JWT: ${(e as Error).message}`
    }
    expect(decodeJwtParts(token)).toEqual({ ok: false, reason: expected })
  })
})

describe('explaining a JWT', () => {
  it('explains each claim in plain words, times absolute and relative to the simulated clock', () => {
    const lines = explainClaims(
      {
        iss: 'https://auth.example',
        sub: 'alice',
        aud: ['a', 'b'],
        exp: NOW + 3540,
        iat: NOW - 60,
        custom: 1,
      },
      T0,
    )
    const by = Object.fromEntries(lines.map((l) => [l.name, l]))
    expect(by.iss?.meaning).toMatch(/^issuer/)
    expect(by.sub?.meaning).toMatch(/^subject/)
    expect(by.aud).toMatchObject({ value: '["a","b"]', time: null })
    expect(by.aud?.meaning).toMatch(/^audience/)
    expect(by.exp?.time).toEqual({ absolute: '2026-01-01 00:59:00 UTC', relative: 'in 59 min' })
    expect(by.iat?.time?.relative).toBe('1 min ago')
    expect(by.custom?.meaning).toBe('claim')
  })

  it('tells an access token from an ID token by typ', () => {
    expect(
      explainHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'k' }).find((l) => l.name === 'typ')
        ?.meaning,
    ).toMatch(/access token.*RFC 9068/)
    expect(
      explainHeader({ alg: 'RS256', typ: 'JWT' }).find((l) => l.name === 'typ')?.meaning,
    ).toMatch(/ID token/)
  })
})

describe('findJwts', () => {
  it('finds bearer tokens, URL parameters, form fields and JSON fields, and nothing else', async () => {
    const key = await sharedKey()
    const t = await sign(key, { sub: 'alice' })
    const req: HttpRequest = {
      method: 'POST',
      url: `https://auth.example/x?id_token_hint=${t}&state=abc`,
      headers: [
        ['Authorization', `Bearer ${t}`],
        ['Content-Type', 'application/x-www-form-urlencoded'],
      ],
      body: `token=${t}&code=opaque-value`,
    }
    const res = {
      status: 200,
      headers: [['Location', `https://client.example/cb#id_token=${t}`]] as [string, string][],
      body: JSON.stringify({ access_token: t, refresh_token: 'opaque', n: 1 }),
    }
    expect(findJwts(req, res).map((f) => `${f.side}: ${f.where}`)).toEqual([
      'request: Authorization header (Bearer)',
      'request: URL parameter id_token_hint',
      'request: form field token',
      'response: Location parameter id_token',
      'response: JSON field access_token',
    ])
    expect(findJwts(req, null).every((f) => f.side === 'request')).toBe(true)
  })

  it('finds the access and ID tokens of a real token response, and their signatures check out', async () => {
    const flow = await runToEnd()
    const last = flow.steps.at(-1)?.snapshot
    if (!last) throw new Error('no snapshot')
    const token = last.exchanges.find((x) => x.request.url === 'https://auth.example/token')
    if (!token) throw new Error('no token exchange')
    const found = findJwts(token.request, token.response)
    expect(found.map((f) => f.where)).toEqual(['JSON field access_token', 'JSON field id_token'])
    const keys = last.keys.map((k) => k.publicJwk)
    for (const f of found) expect((await checkJwtSignature(f.token, keys)).status).toBe('valid')
    const api = last.exchanges.find(
      (x) => x.request.url === 'https://api.example/photos' && x.request.method === 'GET',
    )
    expect(api && findJwts(api.request, api.response).map((f) => f.where)).toEqual([
      'Authorization header (Bearer)',
    ])
  })
})

describe('claims named like Object.prototype’s members (issue 17, item 3)', () => {
  it('explains them as plain claims, with their values, and changes no prototype', () => {
    const payload = JSON.parse(
      '{"__proto__":{"polluted":true},"constructor":"c","toString":1,"hasOwnProperty":[],"sub":"alice"}',
    ) as Record<string, unknown>
    const lines = explainClaims(payload, T0)
    expect(lines.map((l) => [l.name, l.meaning, l.value])).toEqual([
      ['__proto__', 'claim', '{"polluted":true}'],
      ['constructor', 'claim', 'c'],
      ['toString', 'claim', '1'],
      ['hasOwnProperty', 'claim', '[]'],
      ['sub', expect.stringContaining('subject'), 'alice'],
    ])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    const header = explainHeader(JSON.parse('{"__proto__":1,"alg":"RS256"}') as Record<string, unknown>)
    expect(header.map((l) => [l.name, l.meaning])).toEqual([
      ['__proto__', 'header parameter'],
      ['alg', expect.stringContaining('algorithm')],
    ])
  })
})
