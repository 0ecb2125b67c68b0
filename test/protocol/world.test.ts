import fc from 'fast-check'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import { createLab, type Lab, type NetworkEvent, type SigningKey } from '../../src/index.ts'
import { isCodeVerifier, s256Challenge } from '../../src/protocol/crypto.ts'
import { getHeader } from '../../src/protocol/http.ts'
import { base64url, nextUint32, randomToken, seedRandom } from '../../src/protocol/random.ts'
import type { Exchange } from '../../src/protocol/types.ts'
import { getCode, newLab, redeemConfidential, sharedKeys, T0, VERIFIER } from './helpers.ts'

/** Runs the web app's whole flow in the browser: login, consent, callback. */
async function webFlow(lab: Lab): Promise<void> {
  await lab.browser.navigate('https://client.example/login')
  await lab.browser.followRedirect()
  await lab.browser.submit('login-form', { username: 'alice', password: 'wonderland' })
  await lab.browser.submit('consent-form', {}, { name: 'decision', value: 'allow' })
  await lab.browser.followRedirect()
}

/**
 * Two labs started at T0 with these seeds — and these keys, or each with keys of its own — each
 * taken through the web app's flow.
 */
async function twoLabsThroughWebFlow(
  seedA: string,
  seedB: string,
  keys?: SigningKey[],
): Promise<[Lab, Lab]> {
  const a = await createLab({ seed: seedA, now: T0, ...(keys ? { keys } : {}) })
  const b = await createLab({ seed: seedB, now: T0, ...(keys ? { keys } : {}) })
  await webFlow(a)
  await webFlow(b)
  return [a, b]
}

function lastExchange(lab: Lab): Exchange {
  const ex = lab.exchanges.at(-1)
  if (!ex) throw new Error('no exchange recorded')
  return ex
}

function header(ex: Exchange, side: 'request' | 'response', name: string): string | null {
  const msg = side === 'request' ? ex.request : ex.response
  return msg ? getHeader(msg.headers, name) : null
}

describe('when a lab is created with no options', () => {
  it('exposes the demo world of the design', async () => {
    const before = Date.now()
    const lab = await createLab()
    const after = Date.now()
    expect(lab.issuer).toBe('https://auth.example')
    expect(lab.clients.confidential.client_id).toBe('demo-web-app')
    expect(lab.clients.confidential.client_secret).toMatch(/^.+$/)
    expect(lab.clients.confidential.redirect_uri).toBe('https://client.example/callback')
    expect(lab.clients.public).toEqual({
      client_id: 'demo-spa',
      redirect_uri: 'https://spa.example/callback',
    })
    expect(lab.user).toEqual({ username: 'alice', password: 'wonderland' })
    expect(lab.exchanges).toEqual([])
    // The clock starts at the real time, so real client libraries agree on `exp`.
    expect(lab.clock.now()).toBeGreaterThanOrEqual(before)
    expect(lab.clock.now()).toBeLessThanOrEqual(after)
  })

  it('answers the metadata document through lab.fetch', async () => {
    const lab = await createLab()
    const res = await lab.fetch('https://auth.example/.well-known/oauth-authorization-server')
    expect(res.status).toBe(200)
    expect(((await res.json()) as { issuer: string }).issuer).toBe('https://auth.example')
  })
})

describe('when the clock is used', () => {
  it.each([
    ['a number', T0],
    ['a Date', new Date(T0)],
  ])('starts at the given now as %s', async (_kind, now) => {
    const lab = await createLab({ now, keys: await sharedKeys() })
    expect(lab.clock.now()).toBe(T0)
    expect(lab.world.nowSeconds()).toBe(T0 / 1000)
  })

  it('moves forward by the given seconds', async () => {
    const lab = await newLab()
    lab.clock.advance(600)
    expect(lab.clock.now()).toBe(T0 + 600_000)
    lab.clock.advance(0)
    expect(lab.clock.now()).toBe(T0 + 600_000)
  })

  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY], [1e13], ['60' as unknown as number]])(
    'refuses to advance by %s',
    async (seconds) => {
      const lab = await newLab()
      expect(() => lab.clock.advance(seconds)).toThrow(RangeError)
      expect(() => lab.clock.advance(seconds)).toThrow(/^CLOCK_INVALID_ADVANCE/)
      expect(lab.clock.now()).toBe(T0)
    },
  )

  it.each([
    [599, 200, undefined],
    [600, 400, 'invalid_grant'],
  ])('lets a code be redeemed %i s after issue with status %i', async (seconds, status, error) => {
    const lab = await newLab()
    const { code } = await getCode(lab)
    lab.clock.advance(seconds)
    const res = await redeemConfidential(lab, code)
    expect(res.status).toBe(status)
    expect(res.body.error).toBe(error)
    expect(lab.exchanges.at(-1)?.sentAt).toBe(T0 + seconds * 1000)
  })
})

describe('when two labs share a seed, a start and keys', () => {
  it('gives the same codes, states, exchanges and access tokens for the same actions', async () => {
    const [a, b] = await twoLabsThroughWebFlow('classroom-1', 'classroom-1', await sharedKeys())
    expect(a.exchanges.length).toBeGreaterThan(5)
    expect(b.exchanges).toEqual(a.exchanges)
    const token = (lab: Lab) =>
      lab.exchanges.find((e) => e.request.url === 'https://auth.example/token')
    const bodyA = JSON.parse(token(a)?.response?.body ?? '{}') as Record<string, unknown>
    const bodyB = JSON.parse(token(b)?.response?.body ?? '{}') as Record<string, unknown>
    expect(typeof bodyA.access_token).toBe('string')
    expect(bodyB.access_token).toBe(bodyA.access_token)
    expect(bodyB.id_token).toBe(bodyA.id_token)
    expect(Object.keys(b.world.state.as.codes)).toEqual(Object.keys(a.world.state.as.codes))
    expect(b.world.state.web.sessions).toEqual(a.world.state.web.sessions)
  })

  it('gives the same codes and token claims with keys generated in each lab', async () => {
    const [a, b] = await twoLabsThroughWebFlow('shared-link', 'shared-link')
    const urls = (lab: Lab) => lab.exchanges.map((e) => e.request.url)
    expect(urls(b)).toEqual(urls(a))
    const session = (lab: Lab) => Object.values(lab.world.state.web.sessions)[0]
    expect(session(b)?.sid).toBe(session(a)?.sid)
    expect(session(b)?.code).toBe(session(a)?.code)
    // at_hash hashes the whole access token, signature included, so it alone differs.
    const { at_hash: hashA, ...claimsA } = session(a)?.user ?? {}
    const { at_hash: hashB, ...claimsB } = session(b)?.user ?? {}
    expect(claimsB).toEqual(claimsA)
    expect(hashB).not.toBe(hashA)
    const tokens = (lab: Lab) => session(lab)?.tokens
    const at = (lab: Lab) => tokens(lab)?.access_token ?? ''
    expect(decodeJwt(at(b))).toEqual(decodeJwt(at(a)))
    expect(decodeProtectedHeader(at(b))).toEqual(decodeProtectedHeader(at(a)))
    // Each lab has its own key, so the signatures differ.
    expect(at(b)).not.toBe(at(a))
  })

  it('gives different codes and states with a different seed', async () => {
    const [a, b] = await twoLabsThroughWebFlow('classroom-1', 'classroom-2', await sharedKeys())
    const codes = (lab: Lab) => Object.keys(lab.world.state.as.codes)
    expect(codes(a)).toHaveLength(1)
    expect(codes(b)).toHaveLength(1)
    expect(codes(b)).not.toEqual(codes(a))
    const state = (lab: Lab) =>
      new URL(lab.exchanges[1]?.request.url ?? 'about:blank').searchParams.get('state')
    expect(state(a)).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(state(b)).not.toBe(state(a))
  })
})

describe('when the world is snapshotted', () => {
  it('is plain data that survives JSON and structuredClone', async () => {
    const lab = await newLab()
    await webFlow(lab)
    const s = lab.snapshot()
    expect(JSON.parse(JSON.stringify(s))).toStrictEqual(s)
    expect(structuredClone(s)).toStrictEqual(s)
  })

  it('is a copy that later actions do not change', async () => {
    const lab = await newLab()
    const s = lab.snapshot()
    await lab.fetch('https://auth.example/jwks')
    expect(s.exchanges).toHaveLength(0)
    expect(lab.exchanges).toHaveLength(1)
  })

  it('restores the exact state: a spent code becomes usable again', async () => {
    const lab = await newLab()
    const { code } = await getCode(lab)
    const before = lab.snapshot()
    expect((await redeemConfidential(lab, code)).status).toBe(200)
    const replay = await redeemConfidential(lab, code)
    expect(replay.status).toBe(400)
    expect(replay.body.error).toBe('invalid_grant')
    lab.restore(before)
    expect(lab.snapshot()).toStrictEqual(before)
    expect(lab.world.state.as.codes[code]?.used).toBe(false)
    expect(lab.clock.now()).toBe(before.clock.now)
    expect((await redeemConfidential(lab, code)).status).toBe(200)
  })

  it('does not let later actions change a restored snapshot', async () => {
    const lab = await newLab()
    const s = lab.snapshot()
    lab.restore(s)
    await lab.fetch('https://auth.example/jwks')
    expect(s.exchanges).toHaveLength(0)
  })

  it('lets createLab continue from a snapshot', async () => {
    const keys = await sharedKeys()
    const lab = await newLab()
    const { code } = await getCode(lab)
    lab.clock.advance(30)
    const s = lab.snapshot()
    const next = await createLab({ state: s, keys })
    expect(next.clock.now()).toBe(T0 + 30_000)
    expect(next.exchanges).toEqual(lab.exchanges)
    expect(next.clients).toEqual(lab.clients)
    const res = await redeemConfidential(next, code)
    expect(res.status).toBe(200)
    // Both continue alike from the same state: the randomness is in the snapshot too.
    const same = await redeemConfidential(lab, code)
    expect(same.body).toEqual(res.body)
    expect(next.exchanges.at(-1)?.id).toBe(lab.exchanges.at(-1)?.id)
  })
})

describe('when lab.fetch is called', () => {
  const metadata = 'https://auth.example/.well-known/oauth-authorization-server'

  it.each<[string, () => Parameters<Lab['fetch']>]>([
    ['a URL string', () => [metadata]],
    ['a URL object', () => [new URL(metadata)]],
    ['a Request', () => [new Request(metadata)]],
    ['a Request plus init', () => [new Request(metadata), { headers: { 'X-Lab': 'init' } }]],
  ])('accepts %s', async (_kind, args) => {
    const lab = await newLab()
    const res = await lab.fetch(...args())
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(lab.exchanges).toHaveLength(1)
    expect(lab.exchanges[0]?.request.url).toBe(metadata)
    expect(lab.exchanges[0]?.request.method).toBe('GET')
  })

  it('lets the init of a Request plus init override it', async () => {
    const lab = await newLab()
    await lab.fetch(new Request(metadata, { headers: { 'X-Lab': 'request' } }), {
      headers: { 'X-Lab': 'init' },
    })
    expect(header(lastExchange(lab), 'request', 'x-lab')).toBe('init')
  })

  it('delivers POST bodies', async () => {
    const lab = await newLab()
    const body = 'grant_type=authorization_code&code=nope&client_id=demo-spa'
    const res = await lab.fetch('https://auth.example/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toBe('invalid_grant')
    const ex = lastExchange(lab)
    expect(ex.request.method).toBe('POST')
    expect(ex.request.body).toBe(body)
  })

  it('never follows redirects', async () => {
    const lab = await newLab()
    const res = await lab.fetch('https://client.example/login')
    expect(res.status).toBe(302)
    const location = new URL(res.headers.get('location') ?? '')
    expect(location.origin + location.pathname).toBe('https://auth.example/authorize')
    expect(lab.exchanges).toHaveLength(1)
  })

  it('answers 502 with a plain message for an origin nobody serves', async () => {
    const lab = await newLab()
    const res = await lab.fetch('https://nowhere.example/')
    expect(res.status).toBe(502)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await res.text()).toMatch(/nowhere\.example/)
    const ex = lastExchange(lab)
    expect(ex.to).toBeNull()
    expect(ex.response?.status).toBe(502)
  })

  it.each<[string, () => Parameters<Lab['fetch']>]>([
    ['a relative URL', () => ['/token']],
    ['a malformed URL', () => ['http://']],
    ['a GET with a body', () => [metadata, { method: 'GET', body: 'x' }]],
    ['a forbidden method', () => [metadata, { method: 'CONNECT' }]],
  ])('resolves instead of throwing for %s', async (_kind, args) => {
    const lab = await newLab()
    const res = await lab.fetch(...args())
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
    // It never reached the network, so nothing was recorded.
    expect(lab.exchanges).toHaveLength(0)
  })

  it('carries Set-Cookie back and Cookie forward', async () => {
    const lab = await newLab()
    const first = await lab.fetch('https://client.example/login')
    const setCookie = first.headers.getSetCookie()
    expect(setCookie).toHaveLength(1)
    expect(setCookie[0]).toMatch(/^client_session=[^;]+; /)
    const cookie = (setCookie[0] ?? '').split(';')[0] ?? ''
    const second = await lab.fetch('https://client.example/login', { headers: { Cookie: cookie } })
    expect(second.status).toBe(302)
    // The web app recognised its session, so it set no new cookie.
    expect(second.headers.getSetCookie()).toEqual([])
    expect(header(lastExchange(lab), 'request', 'cookie')).toBe(cookie)
    expect(Object.keys(lab.world.state.web.sessions)).toHaveLength(1)
  })

  it('records every call in order, as the client on the back channel', async () => {
    const lab = await newLab()
    await lab.fetch('https://auth.example/jwks')
    await lab.fetch('https://api.example/photos')
    await lab.fetch('https://nowhere.example/')
    expect(lab.exchanges.map((e) => [e.id, e.from, e.channel, e.to, e.request.url])).toEqual([
      [1, 'client', 'back', 'authorization-server', 'https://auth.example/jwks'],
      [2, 'client', 'back', 'resource-server', 'https://api.example/photos'],
      [3, 'client', 'back', null, 'https://nowhere.example/'],
    ])
    for (const e of lab.exchanges) {
      expect(e.request.headers).toBeInstanceOf(Array)
      expect(e.response).not.toBeNull()
      expect(e.sentAt).toBe(T0)
      expect(e.receivedAt).toBe(T0)
    }
    expect(lab.exchanges[1]?.response?.status).toBe(401)
    expect(header(lab.exchanges[1] as Exchange, 'response', 'www-authenticate')).toMatch(/^Bearer /)
  })
})

describe('when a handler throws', () => {
  it('answers 500 server_error and still logs the exchange', async () => {
    const lab = await newLab()
    lab.world.route('https://boom.example', 'attacker', async () => {
      throw new Error('x')
    })
    expect(lab.world.roleOf('https://boom.example')).toBe('attacker')
    const res = await lab.fetch('https://boom.example/anything')
    expect(res.status).toBe(500)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(((await res.json()) as { error: string }).error).toBe('server_error')
    const ex = lastExchange(lab)
    expect(ex.to).toBe('attacker')
    expect(ex.request.url).toBe('https://boom.example/anything')
    expect(ex.response?.status).toBe(500)
  })
})

describe('when the network is observed', () => {
  it('tells subscribers of each request and then its response', async () => {
    const lab = await newLab()
    const events: NetworkEvent[] = []
    const answered: boolean[] = []
    const stop = lab.world.subscribe((e) => {
      events.push(e)
      answered.push(e.exchange.response !== null)
    })
    await lab.fetch('https://auth.example/jwks')
    await lab.fetch('https://nowhere.example/')
    expect(events.map((e) => [e.type, e.exchange.id])).toEqual([
      ['request', 1],
      ['response', 1],
      ['request', 2],
      ['response', 2],
    ])
    // A request event comes while the response is still in flight.
    expect(answered).toEqual([false, true, false, true])
    expect(events[1]?.exchange).toBe(lab.exchanges[0])
    stop()
    await lab.fetch('https://auth.example/jwks')
    expect(events).toHaveLength(4)
  })

  it('survives a listener that throws', async () => {
    const lab = await newLab()
    lab.world.subscribe(() => {
      throw new Error('listener fault')
    })
    const res = await lab.fetch('https://auth.example/jwks')
    expect(res.status).toBe(200)
  })

  it('lists nested exchanges in the order their requests were sent', async () => {
    const lab = await newLab()
    const events: [string, string][] = []
    lab.world.subscribe((e) =>
      events.push([e.type, `${e.exchange.request.method} ${e.exchange.request.url.split('?')[0]}`]),
    )
    await lab.browser.navigate('https://client.example/login')
    await lab.browser.followRedirect()
    await lab.browser.submit('login-form', { username: 'alice', password: 'wonderland' })
    await lab.browser.submit('consent-form', {}, { name: 'decision', value: 'allow' })
    events.length = 0
    const from = lab.exchanges.length
    await lab.browser.followRedirect()
    const nested = lab.exchanges.slice(from)
    expect(
      nested.map((e) => [e.from, e.channel, e.request.method, e.request.url.split('?')[0]]),
    ).toEqual([
      ['browser', 'front', 'GET', 'https://client.example/callback'],
      ['client', 'back', 'POST', 'https://auth.example/token'],
      ['client', 'back', 'GET', 'https://auth.example/jwks'],
      ['client', 'back', 'GET', 'https://api.example/photos'],
      ['resource-server', 'back', 'GET', 'https://auth.example/jwks'],
    ])
    expect(nested.map((e) => e.id)).toEqual([...nested.map((e) => e.id)].sort((x, y) => x - y))
    // The callback's response comes back last, after everything it caused.
    expect(events[0]).toEqual(['request', 'GET https://client.example/callback'])
    expect(events.at(-1)).toEqual(['response', 'GET https://client.example/callback'])
    expect(events).toContainEqual(['request', 'POST https://auth.example/token'])
  })
})

describe('when randomness is drawn', () => {
  it('is deterministic for a seed', () => {
    const a = seedRandom('classroom-1')
    const b = seedRandom('classroom-1')
    expect(b).toEqual(a)
    expect(randomToken(a)).toBe(randomToken(b))
    expect(nextUint32(a)).toBe(nextUint32(b))
    expect(seedRandom('classroom-2')).not.toEqual(seedRandom('classroom-1'))
  })

  it('keeps its whole state in four unsigned 32-bit integers', () => {
    const s = seedRandom('x')
    expect(s).toHaveLength(4)
    for (const n of s) expect(Number.isInteger(n) && n >= 0 && n < 2 ** 32).toBe(true)
  })

  it.each([
    [32, 43],
    [16, 22],
    [24, 32],
    [6, 8],
    [1, 2],
  ])('gives a base64url token of %i bytes in %i characters', (bytes, chars) => {
    const token = randomToken(seedRandom('t'), bytes)
    expect(token).toHaveLength(chars)
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/)
  })

  it('encodes base64url per RFC 4648 §5 test vectors', () => {
    const enc = (s: string) => base64url(new TextEncoder().encode(s))
    expect(enc('')).toBe('')
    expect(enc('f')).toBe('Zg')
    expect(enc('fo')).toBe('Zm8')
    expect(enc('foo')).toBe('Zm9v')
    expect(enc('foobar')).toBe('Zm9vYmFy')
    expect(base64url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_')
  })

  it('encodes any bytes with the base64url alphabet only, without padding, reversibly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const out = base64url(bytes)
        expect(out).toMatch(/^[A-Za-z0-9_-]*$/)
        expect(out).toHaveLength(Math.ceil((bytes.length * 4) / 3))
        expect(new Uint8Array(Buffer.from(out, 'base64url'))).toEqual(bytes)
      }),
    )
  })
})

describe('when PKCE values are computed', () => {
  // RFC 7636 Appendix B: the 32 octets, their base64url verifier, and its S256 challenge.
  const RFC7636_OCTETS = [
    116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77,
    105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
  ]
  const RFC7636_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'

  it('derives the S256 challenge of RFC 7636 Appendix B', async () => {
    expect(base64url(new Uint8Array(RFC7636_OCTETS))).toBe(RFC7636_VERIFIER)
    expect(isCodeVerifier(RFC7636_VERIFIER)).toBe(true)
    expect(await s256Challenge(RFC7636_VERIFIER)).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    )
  })

  it('derives a different challenge for the helpers’ 64-character test verifier', async () => {
    // test/protocol/helpers.ts VERIFIER looks like the RFC's but is not it.
    expect(isCodeVerifier(VERIFIER)).toBe(true)
    const challenge = await s256Challenge(VERIFIER)
    expect(challenge).toBe('Oy0EcLn5tVt7WFlxprneSa-egZfw62ZzEvwWKojWZrA')
    expect(challenge).not.toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')
  })

  it.each([
    ['42 characters', 'a'.repeat(42), false],
    ['43 characters', 'a'.repeat(43), true],
    ['128 characters', 'a'.repeat(128), true],
    ['129 characters', 'a'.repeat(129), false],
    ['the unreserved characters', `${'A-._~z9'.repeat(7)}0`, true],
    ['a space', `${'a'.repeat(42)} `, false],
    ['a plus sign', `${'a'.repeat(42)}+`, false],
    ['a slash', `${'a'.repeat(42)}/`, false],
    ['an equals sign', `${'a'.repeat(42)}=`, false],
    ['a non-ASCII letter', `${'a'.repeat(42)}é`, false],
    ['the empty string', '', false],
  ])('judges a verifier of %s', (_kind, value, valid) => {
    expect(isCodeVerifier(value)).toBe(valid)
  })

  it('accepts every S256 challenge as verifier syntax', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 43, maxLength: 128, unit: fc.constantFrom(...'ab~._-Z9') }),
        async (v) => {
          expect(isCodeVerifier(v)).toBe(true)
          const challenge = await s256Challenge(v)
          expect(challenge).toHaveLength(43)
          expect(isCodeVerifier(challenge)).toBe(true)
        },
      ),
      { numRuns: 50 },
    )
  })
})

describe('the headless API refuses the impossible, with a reason (issue 17, item 8)', () => {
  it.each([[Number.NaN], [Number.POSITIVE_INFINITY], [9e15], [new Date(Number.NaN)], ['now' as unknown as number]])(
    'createLab({ now: %s }) rejects with LAB_INVALID_NOW',
    async (now) => {
      await expect(createLab({ now, keys: await sharedKeys() })).rejects.toThrow(/^LAB_INVALID_NOW/)
    },
  )

  it.each([
    ['{}', {}],
    ['null', null],
    ['a list', []],
    ['exchanges: null', 'exchanges'],
    ['clock.now: NaN', 'clock'],
    ['nextId: -1', 'nextId'],
  ])('restore(%s) throws WORLD_INVALID_SNAPSHOT and leaves the world as it was', async (_, bad) => {
    const lab = await newLab()
    const { code } = await getCode(lab)
    const good = lab.snapshot()
    const snapshot =
      bad === 'exchanges'
        ? { ...good, exchanges: null }
        : bad === 'clock'
          ? { ...good, clock: { now: Number.NaN, startedAt: T0 } }
          : bad === 'nextId'
            ? { ...good, nextId: -1 }
            : bad
    expect(() => lab.restore(snapshot as never)).toThrow(/^WORLD_INVALID_SNAPSHOT: /)
    expect(lab.snapshot()).toEqual(good)
    // The world still answers: fetch resolves, and the code is still good.
    expect((await redeemConfidential(lab, code)).status).toBe(200)
    await expect(createLab({ state: snapshot as never })).rejects.toThrow(/^WORLD_INVALID_SNAPSHOT: /)
  })

  it.each([
    ['null', null],
    ['a string', 'GET /'],
    ['no method', { url: 'https://auth.example/', headers: [], body: '' }],
    ['a non-string header value', { method: 'GET', url: 'https://auth.example/', headers: [['X', 1]], body: '' }],
    ['a header that is not a pair', { method: 'GET', url: 'https://auth.example/', headers: [['X']], body: '' }],
    ['a body that is not text', { method: 'POST', url: 'https://auth.example/token', headers: [], body: { a: 1 } }],
  ])('world.send(%s) resolves 400 with the reason, and records nothing', async (_, bad) => {
    const lab = await newLab()
    const before = lab.exchanges.length
    const res = await lab.world.send('client', 'back', bad as never)
    expect(res.status).toBe(400)
    expect(res.body).toMatch(/^Bad request: .+\.$/)
    expect(lab.exchanges).toHaveLength(before)
  })
})

