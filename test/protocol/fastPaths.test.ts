/**
 * The helpers on the path of every exchange have faster ways to the same answers as the obvious
 * code (`structuredClone`, `new URL(url).origin`, parsing every form, serialising the JWKS):
 * each is checked here against the obvious code, on the inputs that take the fast way and on
 * those that must not.
 */
import fc from 'fast-check'
import { importJWK, SignJWT, type JSONWebKeySet } from 'jose'
import { describe, expect, it } from 'vitest'
import { createLab, generateSigningKey } from '../../src/index.ts'
import { parseSetCookie } from '../../src/protocol/browser.ts'
import { localKeySet, signJwt, type RegisteredClaims } from '../../src/protocol/crypto.ts'
import { base64url } from '../../src/protocol/random.ts'
import { findForm, parseForms, unescapeHtml } from '../../src/protocol/html.ts'
import {
  copyMessage,
  encodeForm,
  escapeHtml,
  formParamsOf,
  createUrlMemo,
  originOf,
  paramsOf,
  pathOf,
  queryParamsOf,
  withQuery,
} from '../../src/protocol/http.ts'
import type { HttpRequest, HttpResponse } from '../../src/protocol/types.ts'
import { sharedKeys, TOKEN_REQUEST } from './helpers.ts'

function urlOrigin(url: string): string | null {
  try {
    return new URL(url).origin
  } catch {
    return null
  }
}

describe('copyMessage', () => {
  const request = TOKEN_REQUEST

  it('gives what structuredClone gives, key order included', () => {
    const copy = copyMessage(request)
    expect(copy).toStrictEqual(structuredClone(request))
    expect(JSON.stringify(copy)).toBe(JSON.stringify(structuredClone(request)))
    const res: HttpResponse = {
      status: 302,
      headers: [['Location', 'https://client.example/callback?code=x']],
      body: '',
    }
    expect(copyMessage(res)).toStrictEqual(structuredClone(res))
  })

  it('shares nothing mutable with the original', () => {
    const original = structuredClone(request)
    const copy = copyMessage(original)
    expect(copy).not.toBe(original)
    expect(copy.headers).not.toBe(original.headers)
    expect(copy.headers[0]).not.toBe(original.headers[0])
    original.headers[0]![1] = 'text/plain'
    original.headers.push(['X-Later', '1'])
    original.body = 'changed'
    expect(copy).toStrictEqual(request)
  })

  it('keeps extra plain fields as structuredClone does', () => {
    const odd = {
      ...request,
      extra: undefined,
      n: 3,
      flag: false,
      nothing: null,
    } as unknown as HttpRequest
    expect(copyMessage(odd)).toStrictEqual(structuredClone(odd))
  })

  it('hands anything but primitives and string pairs to structuredClone', () => {
    const nested = { ...request, meta: { sentBy: 'test' } } as unknown as HttpRequest
    const copy = copyMessage(nested) as unknown as { meta: { sentBy: string } }
    expect(copy).toStrictEqual(structuredClone(nested))
    expect(copy.meta).not.toBe((nested as unknown as { meta: object }).meta)
    const oddHeaders = { ...request, headers: [['A', 'b', 'c']] } as unknown as HttpRequest
    expect(copyMessage(oddHeaders)).toStrictEqual(structuredClone(oddHeaders))
    const numberHeader = { ...request, headers: [['A', 1]] } as unknown as HttpRequest
    expect(copyMessage(numberHeader)).toStrictEqual(structuredClone(numberHeader))
    const fn = { ...request, body: () => 'x' } as unknown as HttpRequest
    expect(() => copyMessage(fn)).toThrow()
    expect(() => structuredClone(fn)).toThrow()
  })

  it('equals structuredClone on any message', () => {
    const header = fc.tuple(fc.string(), fc.string())
    fc.assert(
      fc.property(
        fc.record({
          method: fc.string(),
          url: fc.string(),
          headers: fc.array(header),
          body: fc.string(),
        }),
        (m) => {
          expect(copyMessage(m)).toStrictEqual(structuredClone(m))
        },
      ),
    )
  })
})

describe('originOf', () => {
  const cases = [
    'https://auth.example/authorize?client_id=demo-web-app',
    'https://auth.example',
    'https://auth.example?x=1',
    'https://auth.example#frag',
    'https://auth.example\\path',
    'https://AUTH.example/x',
    'HTTPS://auth.example/x',
    'https://auth.example:443/x',
    'https://auth.example:8443/x',
    'https://auth.example:99999/x',
    'http://client.example:80/x',
    'https://user:pass@auth.example/x',
    'https://a@b@auth.example/x',
    'https://auth.example/a@evil.example',
    'https:///auth.example/x',
    'https:\\\\auth.example/x',
    'https://',
    'https:///',
    'https://0x7f.1/',
    'https://127.1/',
    'https://foo.1/',
    'https://xn--a.example/',
    'https://bücher.example/',
    'https://auth.example ',
    'https://auth.example /x',
    'https://auth.exa\tmple/x',
    'https://auth.exa\nmple/x',
    'https://auth.example/x\n',
    'https://auth.example%2e/x',
    'https://[::1]:8080/x',
    'https://[::1/x',
    'https://auth example/x',
    'https://auth.example./x',
    'https://auth.example/../../x',
    'https://auth.example/%zz',
    'ftp://auth.example/x',
    'about:blank',
    'not a url',
    '',
    '/relative/path',
    'https://client.example.attacker.example/callback',
  ]

  const memo = createUrlMemo()
  it.each(cases.map((c) => [JSON.stringify(c), c]))(
    'agrees with new URL(%s).origin',
    (_label, url) => {
      expect(originOf(url)).toBe(urlOrigin(url))
      expect(originOf(url, memo)).toBe(urlOrigin(url))
      // Twice: the second answer comes from what the first remembered.
      expect(originOf(url, memo)).toBe(urlOrigin(url))
    },
  )

  it('remembers only in the memo it is given: two worlds share nothing', async () => {
    const [a, b] = [createUrlMemo(), createUrlMemo()]
    originOf('https://auth.example/x', a)
    expect(a.origins.get('https://auth.example')).toBe('https://auth.example')
    expect(b.origins.size).toBe(0)
    // Without a memo nothing is kept anywhere.
    originOf('https://api.example/x')
    expect([...a.origins.keys()]).toEqual(['https://auth.example'])
    // Two labs: a request in one fills its own world's memo only.
    const [labA, labB] = await Promise.all([createLab({ seed: 'a' }), createLab({ seed: 'b' })])
    expect(labA.world.urls).not.toBe(labB.world.urls)
    await labA.fetch('https://auth.example/jwks')
    expect(labA.world.urls.origins.size).toBeGreaterThan(0)
    expect(labB.world.urls.origins.size).toBe(0)
  })

  it('keeps at most 256 origins in a memo', () => {
    const m = createUrlMemo()
    for (let i = 0; i < 600; i++)
      expect(originOf(`https://h${i}.example/`, m)).toBe(`https://h${i}.example`)
    expect(m.origins.size).toBeLessThanOrEqual(256)
  })

  it('agrees with new URL(url).origin on any string after a scheme and on any URL', () => {
    const tail = fc.string({
      unit: fc.constantFrom(..."aZ09.-_~:@/\\?#[]% \t\nü!$&'()*+,;=".split('')),
      maxLength: 40,
    })
    fc.assert(
      fc.property(
        fc.constantFrom('https://', 'http://', 'https:/', 'http:'),
        tail,
        (scheme, rest) => {
          const url = scheme + rest
          expect(originOf(url)).toBe(urlOrigin(url))
          expect(originOf(url, memo)).toBe(urlOrigin(url))
        },
      ),
      { numRuns: 2000 },
    )
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        expect(originOf(url)).toBe(urlOrigin(url))
      }),
    )
  })
})

describe('pathOf', () => {
  function urlPath(url: string): string | null {
    try {
      return new URL(url).pathname
    } catch {
      return null
    }
  }
  const cases = [
    'https://auth.example/authorize?client_id=demo-web-app',
    'https://auth.example/.well-known/openid-configuration',
    'https://auth.example',
    'https://auth.example?x=1',
    'https://auth.example#f',
    'https://auth.example/',
    'https://auth.example//double//slash/',
    'https://auth.example/a/./b',
    'https://auth.example/a/../b',
    'https://auth.example/..',
    'https://auth.example/.',
    'https://auth.example/a/.',
    'https://auth.example/.hidden/..x/x..',
    'https://auth.example/%2e%2E/x',
    'https://auth.example/a%2fb',
    'https://auth.example/a b',
    'https://auth.example/a\\b',
    'https://auth.example\\a/b',
    'https://auth.example/a\tb',
    'https://auth.example/photos ',
    'https://auth.example/photos\n',
    'https://auth.example/photos?q#h',
    'https://auth.example/photos#h?q',
    'https://auth.example/ü',
    'https://auth.example/{x}^`|',
    'https://auth.example/a"b<c>',
    'https://auth.example:99999/x',
    'https://auth example/x',
    'https:///auth.example/x',
    'ftp://auth.example/x',
    'about:blank',
    '',
    'https://client.example/callback?code=abc&state=xyz&iss=https%3A%2F%2Fauth.example',
  ]
  it.each(cases.map((c) => [JSON.stringify(c), c]))(
    'agrees with new URL(%s).pathname',
    (_label, url) => {
      expect(pathOf(url)).toBe(urlPath(url))
    },
  )

  it('agrees with new URL(url).pathname on any string after a scheme and on any URL', () => {
    const tail = fc.string({
      unit: fc.constantFrom(..."aZ09.-_~:@/\\?#[]% \t\nü!$&'()*+,;=".split('')),
      maxLength: 40,
    })
    fc.assert(
      fc.property(
        fc.constantFrom('https://auth.example', 'https://', 'http://a.b'),
        tail,
        (prefix, rest) => {
          const url = prefix + rest
          expect(pathOf(url)).toBe(urlPath(url))
        },
      ),
      { numRuns: 3000 },
    )
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        expect(pathOf(url)).toBe(urlPath(url))
      }),
    )
  })

  it('leaves what is not a string to the parser', () => {
    expect(pathOf(undefined as unknown as string)).toBe(urlPath(undefined as unknown as string))
    expect(originOf(undefined as unknown as string)).toBeNull()
  })
})

describe('the world’s HTML helpers', () => {
  it('escape and unescape as the plain replacements do', () => {
    const plainEscape = (t: string) =>
      t
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;')
    const text = fc.string({ unit: fc.constantFrom(...'ab&<>"\';#lt'.split('')) })
    fc.assert(
      fc.property(text, (t) => {
        expect(escapeHtml(t)).toBe(plainEscape(t))
        expect(unescapeHtml(escapeHtml(t))).toBe(t)
      }),
    )
    expect(escapeHtml('plain-token_123')).toBe('plain-token_123')
  })

  it('finds a form by id as parseForms(…).find does', () => {
    const html = `<main>
<form id="a" method="post" action="/a"><input type="hidden" name="x" value="1 &amp; 2"><button type="submit" name="go" value="yes">Go <b>now</b></button></form>
<form id="b" method="get" action="/b?q=&quot;"><input name="y"></form>
<form method="post"><input name="z" value="3"></form>
<form id="a" action="/second"><input name="dup" value="no"></form>
</main>`
    for (const id of ['a', 'b', '', 'missing']) {
      expect(findForm(html, id)).toStrictEqual(parseForms(html).find((f) => f.id === id))
    }
    expect(findForm(html, 'a')?.fields).toStrictEqual({ x: '1 & 2' })
    // parseForms itself, twice over the same page (its expressions start over each time).
    expect(parseForms(html)).toStrictEqual(parseForms(html))
    expect(parseForms(html).map((f) => f.id)).toStrictEqual(['a', 'b', '', 'a'])
  })
})

describe('localKeySet', () => {
  async function tokenFor(kid: string, privateJwk: object): Promise<string> {
    const { importJWK } = await import('jose')
    const key = await importJWK(privateJwk as never, 'RS256')
    return new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'RS256', kid }).sign(key)
  }

  it('gives the same verifier for the same JWKS, and a new one once the JWKS changes', async () => {
    const [key] = await sharedKeys()
    const other = await generateSigningKey(key!.kid)
    const jwks = { keys: [{ ...key!.publicJwk }] } as JSONWebKeySet
    const first = localKeySet(jwks)
    expect(localKeySet(jwks)).toBe(first)
    // An equal JWKS from elsewhere (fetched again) shares the verifier.
    expect(localKeySet(structuredClone(jwks))).toBe(first)
    const { jwtVerify } = await import('jose')
    await expect(jwtVerify(await tokenFor(key!.kid, key!.privateJwk), first)).resolves.toBeTruthy()

    // Edited in place (a rotation under the same kid): the old verifier must not be reused.
    jwks.keys[0]!.n = other.publicJwk.n
    const second = localKeySet(jwks)
    expect(second).not.toBe(first)
    await expect(
      jwtVerify(await tokenFor(key!.kid, other.privateJwk), second),
    ).resolves.toBeTruthy()
    await expect(jwtVerify(await tokenFor(key!.kid, key!.privateJwk), second)).rejects.toThrow()

    // A key added, or the list replaced: a new verifier again.
    jwks.keys.push({ ...key!.publicJwk, kid: 'another' })
    expect(localKeySet(jwks)).not.toBe(second)
    jwks.keys = [{ ...key!.publicJwk }]
    expect(localKeySet(jwks)).toBe(first)
  })
})

describe('signJwt', () => {
  async function bySignJwt(
    claims: Record<string, unknown>,
    r: RegisteredClaims,
    header: { alg: string; typ?: string; kid?: string },
    key: CryptoKey,
  ) {
    let jwt = new SignJWT(claims)
      .setProtectedHeader(header)
      .setIssuer(r.iss)
      .setSubject(r.sub)
      .setAudience(r.aud)
      .setIssuedAt(r.iat)
      .setExpirationTime(r.exp)
    if (r.jti !== undefined) jwt = jwt.setJti(r.jti)
    return jwt.sign(key)
  }

  it('gives, byte for byte, the token jose’s SignJWT gives', async () => {
    const [k] = await sharedKeys()
    const key = (await importJWK(k!.privateJwk, 'RS256')) as CryptoKey
    const now = 1_767_225_600
    const cases: [
      Record<string, unknown>,
      RegisteredClaims,
      { alg: string; typ?: string; kid?: string },
    ][] = [
      [
        { client_id: 'demo-web-app', scope: 'openid profile', auth_time: now - 5 },
        {
          iss: 'https://auth.example',
          sub: 'alice-7c9e',
          aud: 'https://api.example',
          iat: now,
          exp: now + 3600,
          jti: 'j-1',
        },
        { alg: 'RS256', typ: 'at+jwt', kid: k!.kid },
      ],
      [
        {
          auth_time: now,
          at_hash: 'abc',
          nonce: 'n',
          name: 'Alice “Liddell”',
          preferred_username: 'alice',
        },
        {
          iss: 'https://auth.example',
          sub: 'alice-7c9e',
          aud: 'demo-web-app',
          iat: now,
          exp: now + 3600,
        },
        { alg: 'RS256', typ: 'JWT', kid: k!.kid },
      ],
      // A registered claim already among the claims keeps its place; undefined values are left out.
      [
        { sub: 'first', extra: undefined, list: [1, 'two'], nested: { a: null } },
        { iss: 'i', sub: 'second', aud: ['a', 'b'], iat: 0, exp: 1.5 },
        { alg: 'RS256' },
      ],
      // Keys that are special on plain objects, and integer-like keys (which come first).
      [
        JSON.parse(
          '{"__proto__": {"x": 1}, "constructor": "c", "b": 1, "2": "two", "1": "one"}',
        ) as Record<string, unknown>,
        { iss: 'i', sub: 's', aud: 'a', iat: 1, exp: 2 },
        { alg: 'RS256' },
      ],
      [
        { constructor: 'c', toString: 't', valueOf: 1 },
        { iss: 'i', sub: 's', aud: 'a', iat: 1, exp: 2, jti: 'j' },
        { alg: 'RS256' },
      ],
    ]
    for (const [claims, registered, header] of cases) {
      expect(await signJwt(claims, registered, header, key)).toBe(
        await bySignJwt(claims, registered, header, key),
      )
    }
  })

  it('refuses what SignJWT refuses, with its messages', async () => {
    const [k] = await sharedKeys()
    const key = (await importJWK(k!.privateJwk, 'RS256')) as CryptoKey
    const ok: RegisteredClaims = { iss: 'i', sub: 's', aud: 'a', iat: 1, exp: 2, jti: 'j' }
    const bad = [
      { ...ok, iss: 5 },
      { ...ok, sub: null },
      { ...ok, aud: [1] },
      { ...ok, aud: undefined },
      { ...ok, iat: Number.NaN },
      { ...ok, exp: Number.POSITIVE_INFINITY },
      { ...ok, jti: 7 },
    ] as unknown as RegisteredClaims[]
    for (const r of bad) {
      const expected = await bySignJwt({}, r, { alg: 'RS256' }, key).then(
        () => 'signed',
        (e: unknown) => String(e),
      )
      expect(expected).not.toBe('signed')
      await expect(signJwt({}, r, { alg: 'RS256' }, key)).rejects.toThrow(
        expected.replace(/^TypeError: /, ''),
      )
    }
  })
})

describe('base64url', () => {
  it('gives what Buffer’s base64url gives, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'))
      }),
    )
  })
})

describe('parseSetCookie', () => {
  /** The reading by split: the name, and the value up to a second '='. */
  function bySplit(header: string, now: number) {
    const [pair, ...attrs] = header.split(';')
    const eq = pair?.indexOf('=') ?? -1
    if (!pair || eq <= 0) return null
    const cookie = {
      name: pair.slice(0, eq).trim(),
      value: pair.slice(eq + 1).trim(),
      expiresAt: null as number | null,
      httpOnly: false,
      secure: false,
      sameSite: 'Lax',
      path: '/',
    }
    for (const a of attrs) {
      const [k = '', v = ''] = a.split('=').map((x) => x.trim())
      switch (k.toLowerCase()) {
        case 'max-age': {
          const n = Number(v)
          if (Number.isFinite(n)) cookie.expiresAt = now + n * 1000
          break
        }
        case 'httponly':
          cookie.httpOnly = true
          break
        case 'secure':
          cookie.secure = true
          break
        case 'samesite':
          cookie.sameSite = /^strict$/i.test(v) ? 'Strict' : /^none$/i.test(v) ? 'None' : 'Lax'
          break
        case 'path':
          cookie.path = v || '/'
          break
      }
    }
    return cookie
  }

  it('reads every attribute as splitting on "=" does', () => {
    const part = fc.constantFrom(
      'Max-Age',
      'max-age',
      ' HttpOnly ',
      'Secure',
      'SameSite',
      'Path',
      'x',
      '',
      ' ',
      '=',
      '60',
      ' 10 ',
      'Strict',
      'none',
      'lax',
      '/a=b',
      'a',
    )
    const attr = fc.array(part, { maxLength: 4 }).map((p) => p.join(''))
    fc.assert(
      fc.property(
        fc.array(attr, { maxLength: 5 }),
        fc.constantFrom('sid=abc', 'x=', '=v', 'novalue', ' a = b=c '),
        (attrs, pair) => {
          const header = [pair, ...attrs].join(';')
          expect(parseSetCookie(header, 1000)).toStrictEqual(bySplit(header, 1000))
        },
      ),
      { numRuns: 2000 },
    )
    expect(
      parseSetCookie('sid=abc; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=60', 0),
    ).toStrictEqual(bySplit('sid=abc; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=60', 0))
  })
})

describe('form encoding', () => {
  const unit = fc.constantFrom(
    ...'aZ09*-._~!\'()% +=&?#/:;,@$[]"<>\\^`{|}\n\t'.split(''),
    'é',
    '€',
    '😀',
    '\uD800',
    '\uDC00',
    '\u0000',
    '%2',
    '%41',
    '%zz',
    '%C3%A9',
    '%E2%82',
    '%FF',
    '%ED%A0%80',
    '%2B',
    '%25',
  )
  const text = fc.array(unit, { maxLength: 12 }).map((u) => u.join(''))

  it('writes what URLSearchParams writes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, fc.option(text, { nil: undefined })), { maxLength: 5 }),
        (pairs) => {
          const fields: Record<string, string | undefined> = {}
          for (const [k, v] of pairs) fields[k] = v
          const p = new URLSearchParams()
          for (const [k, v] of Object.entries(fields)) if (v !== undefined) p.append(k, v)
          expect(encodeForm(fields)).toBe(p.toString())
        },
      ),
      { numRuns: 3000 },
    )
    expect(
      encodeForm({ grant_type: 'authorization_code', code: 'a b+c', x: null, y: undefined }),
    ).toBe('grant_type=authorization_code&code=a+b%2Bc')
  })

  it('reads what URLSearchParams reads', () => {
    const body = fc
      .array(fc.oneof(text, fc.constantFrom('&', '=', '&&', '?')), { maxLength: 8 })
      .map((p) => p.join(''))
    fc.assert(
      fc.property(body, (b) => {
        expect(formParamsOf(b)).toStrictEqual(paramsOf(new URLSearchParams(b)))
      }),
      { numRuns: 3000 },
    )
    for (const b of [
      '',
      '?a=1',
      'a=1&a=2&b',
      '=x&y=',
      'a+b=c+d%2B',
      'k=%zz',
      'k=%FF',
      'k=%C3%A9',
      'k=\uD800',
      '&&a=1&&',
    ]) {
      expect(formParamsOf(b)).toStrictEqual(paramsOf(new URLSearchParams(b)))
    }
  })

  it('round-trips any fields', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string(), { maxKeys: 5 }), (fields) => {
        const back = formParamsOf(encodeForm(fields))
        expect(back).toStrictEqual(
          paramsOf(new URLSearchParams(new URLSearchParams(fields).toString())),
        )
      }),
    )
  })
})

describe('queryParamsOf', () => {
  const unit = fc.constantFrom(
    ...'aZ09*-._~!\'()% +=&?#/:;,@$[]"<>\\^`{|}\n\t\r'.split(''),
    'é',
    '😀',
    '\uD800',
    '\u0000',
    '\u007f',
    '%41',
    '%zz',
    '%C3%A9',
    '%FF',
    '%2B',
  )
  const text = fc.array(unit, { maxLength: 16 }).map((u) => u.join(''))

  it('reads what new URL(url).searchParams reads', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'https://auth.example/authorize',
          'https://auth.example',
          'https://a.example/p/../q',
          'https:///x',
          'HTTPS://a.example/',
          'https://a b/',
        ),
        text,
        (base, rest) => {
          const url = base + rest
          let expected: Map<string, string[]> | 'throws'
          try {
            expected = paramsOf(new URL(url).searchParams)
          } catch {
            expected = 'throws'
          }
          if (expected === 'throws') expect(() => queryParamsOf(url)).toThrow()
          else expect(queryParamsOf(url)).toStrictEqual(expected)
        },
      ),
      { numRuns: 3000 },
    )
    for (const url of [
      'https://a.example/x?',
      'https://a.example/x??a=1',
      'https://a.example/x#f?a=1',
      'https://a.example?a=1&a=2#h',
      'https://a.example/x?a=1 ',
      'https://a.example/x?a=%20b+c',
    ]) {
      expect(queryParamsOf(url)).toStrictEqual(paramsOf(new URL(url).searchParams))
    }
  })
})

describe('withQuery', () => {
  const memo = createUrlMemo()
  function byUrl(base: string, pairs: [string, string][], mode: 'append' | 'set'): string {
    const url = new URL(base)
    for (const [k, v] of pairs) {
      if (mode === 'set') url.searchParams.set(k, v)
      else url.searchParams.append(k, v)
    }
    return url.toString()
  }
  const bases = [
    'https://auth.example/authorize',
    'https://client.example/callback',
    'https://auth.example',
    'https://auth.example/',
    'https://AUTH.example/authorize',
    'https://auth.example/a/../authorize',
    'https://auth.example/authorize?',
    'https://auth.example/authorize?x=1&client_id=old',
    'https://auth.example/authorize#frag',
    'https://auth.example/authorize#',
    'https://auth.example:443/authorize',
    'https://auth.example/a b',
    'https://client.example.attacker.example/callback',
  ]
  const unit = fc.constantFrom(..."aZ09*-._~!'()% +=&?#/".split(''), 'é', '\uD800')
  const text = fc.array(unit, { maxLength: 8 }).map((u) => u.join(''))

  it('gives what setting or appending on new URL(base).searchParams gives', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...bases),
        fc.array(fc.tuple(fc.constantFrom('client_id', 'state', 'x', 'code'), text), {
          maxLength: 5,
        }),
        fc.constantFrom('append' as const, 'set' as const),
        (base, pairs, mode) => {
          expect(withQuery(base, pairs, mode)).toBe(byUrl(base, pairs, mode))
          expect(withQuery(base, pairs, mode, memo)).toBe(byUrl(base, pairs, mode))
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('throws where new URL throws', () => {
    expect(() => withQuery('not a url', [['a', 'b']])).toThrow()
  })
})

describe('the caches, across labs', () => {
  /** The web app's whole flow, then its API call, in the simulated browser. */
  async function signInAndLoadPhotos(lab: Awaited<ReturnType<typeof createLab>>): Promise<string> {
    await lab.browser.navigate('https://client.example/login')
    await lab.browser.followRedirect()
    await lab.browser.submit('login-form', { username: 'alice', password: 'wonderland' })
    await lab.browser.submit('consent-form', {}, { name: 'decision', value: 'allow' })
    const home = await lab.browser.followRedirect()
    return home?.body ?? ''
  }

  it('keep labs apart: the same kid with other key material verifies only its own tokens', async () => {
    const [a, b] = [await generateSigningKey('same-kid'), await generateSigningKey('same-kid')]
    const labA = await createLab({ seed: 'one', keys: [a!] })
    const labB = await createLab({ seed: 'two', keys: [b!] })
    // Each client validates its ID token and each API its access token: with a verifier made
    // for the other lab's key under the same kid, these would fail.
    expect(await signInAndLoadPhotos(labA)).toContain('<ul id="photos">')
    expect(await signInAndLoadPhotos(labB)).toContain('<ul id="photos">')
    const tokenOf = (lab: typeof labA) => Object.values(lab.world.state.as.accessTokens)[0]!.token
    // A's API refuses B's token (signed by B's key, same kid), though both JWKS are cached.
    const res = await labA.world.send('client', 'back', {
      method: 'GET',
      url: 'https://api.example/photos',
      headers: [['Authorization', `Bearer ${tokenOf(labB)}`]],
      body: '',
    })
    expect(res.status).toBe(401)
    expect(res.body).toContain('signature')
    // And different seeds still give different worlds.
    expect(tokenOf(labA)).not.toBe(tokenOf(labB))
    expect(labA.world.state.web.client_secret).not.toBe(labB.world.state.web.client_secret)
  })
})
