import { describe, expect, it } from 'vitest'
import {
  createFlow,
  defaultConfig,
  FlowError,
  laneStatusText,
  SCENARIO_INFO,
  type Flow,
  type FlowConfig,
  type Step,
  type Variant,
} from '../../src/flow/index.ts'
import { exchangesWhere, type ExchangeQuery } from '../../src/flow/scenarios/helpers.ts'
import { lanesOf } from '../../src/flow/views/diagram.ts'
import type { Exchange, WorldState } from '../../src/protocol/index.ts'
import { sharedKeys, T0 } from '../protocol/helpers.ts'
import { checkInvariants } from './invariants.ts'
import { advanceToEnd, SCENARIO_RUNS } from './helpers.ts'

const AS = 'https://auth.example'
const TOKEN = `${AS}/token`
const PHOTOS = 'https://api.example/photos'
const MALLORY = 'mallory-13f0'
const ALICE = 'alice-7c9e'

async function scenarioFlow(
  scenario: string,
  variant?: Variant,
  patch: Partial<FlowConfig> = {},
): Promise<Flow> {
  return createFlow(
    { ...defaultConfig(T0), scenario, ...(variant ? { variant } : {}), ...patch },
    await sharedKeys(),
  )
}

/** A scenario run in which the learner answers the consent page: to its end, invariants checked. */
async function runAnsweringConsent(
  decision: 'allow' | 'deny',
  scenario: string,
  variant?: Variant,
): Promise<Flow> {
  const flow = await scenarioFlow(scenario, variant)
  while (flow.steps.at(-1)?.awaiting !== 'consent') await flow.advance()
  await flow.act({ type: 'consent', decision })
  await advanceToEnd(flow)
  await checkInvariants(flow)
  return flow
}

async function run(scenario: string, variant?: Variant): Promise<Flow> {
  return advanceToEnd(await scenarioFlow(scenario, variant))
}

/** The world at the last step. */
function world(flow: Flow): WorldState {
  const last = flow.steps.at(-1)
  if (!last) throw new Error('no steps')
  return last.snapshot
}

function endpoint(url: string): string {
  const u = new URL(url)
  return `${u.origin}${u.pathname}`
}

/**
 * Exchanges sent from `from` (and to `to`) to an endpoint (`url`: origin and path), optionally of
 * one grant type: the scenarios' own query over the exchange log.
 */
function sent(flow: Flow, q: Omit<ExchangeQuery, 'endpoint'> & { url?: string }): Exchange[] {
  const { url, ...rest } = q
  return exchangesWhere(world(flow), url === undefined ? rest : { ...rest, endpoint: url })
}

function only(xs: Exchange[]): Exchange {
  expect(xs).toHaveLength(1)
  const [x] = xs
  if (!x) throw new Error('no exchange')
  return x
}

function json(x: Exchange | undefined): Record<string, unknown> {
  return JSON.parse(x?.response?.body ?? 'null') as Record<string, unknown>
}

function header(x: Exchange | undefined, name: string): string | null {
  return x?.response?.headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? null
}

/** `[status, error]` of a JSON error response. */
function answer(x: Exchange | undefined): [number | undefined, unknown] {
  return [x?.response?.status, x?.response?.body.startsWith('{') ? json(x).error : undefined]
}

function form(x: Exchange | undefined): URLSearchParams {
  return new URLSearchParams(x?.request.body ?? '')
}

function endOf(flow: Flow): Step {
  const last = flow.steps.at(-1)
  if (last?.kind.type !== 'end') throw new Error('the flow has not ended')
  return last
}

/** The refresh token the client got when it redeemed its code. */
function firstRefreshToken(flow: Flow): string {
  const redemption = only(sent(flow, { from: 'client', url: TOKEN, grant: 'authorization_code' }))
  return String(json(redemption).refresh_token)
}

/** Fails unless the flow ended with this outcome and this title. */
function expectEnding(flow: Flow, outcome: 'success' | 'failure', title: string) {
  expect(endOf(flow)).toMatchObject({ kind: { outcome }, title })
}

describe('the scenario library', () => {
  it('lists the scenarios in order', () => {
    expect(SCENARIO_INFO.map((s) => s.id)).toEqual([
      'confidential',
      'pkce-spa',
      'oidc',
      'refresh',
      'revoke',
      'consent-denied',
      'csrf-no-state',
      'code-interception',
      'code-replay',
      'redirect-uri-tampering',
      'expired-code',
      'insufficient-scope',
      'mix-up',
    ])
  })

  it.each(SCENARIO_INFO.map((s) => [s.id, s] as const))(
    '%s has a title, a one-sentence summary and, for an attack with variants, the RFC 9700 section of its defence',
    (_, s) => {
      expect(s.title.length).toBeGreaterThan(3)
      expect(s.summary).toMatch(/^[A-Z].*\.$/)
      expect(s.summary.split(/\.\s/)).toHaveLength(1)
      for (const v of Object.values(s.variants ?? {})) {
        expect(s.attack).toBe(true)
        expect(v.label.length).toBeGreaterThan(3)
        expect(v.defence.href).toMatch(
          /^https:\/\/www\.rfc-editor\.org\/rfc\/rfc9700#section-[\d.]+$/,
        )
        expect(v.defence.label).toMatch(/^RFC 9700 §/)
      }
    },
  )

  it('has variants for the attacks that have a defence to switch', () => {
    expect(SCENARIO_INFO.filter((s) => s.variants).map((s) => s.id)).toEqual([
      'refresh',
      'csrf-no-state',
      'code-interception',
      'code-replay',
      'redirect-uri-tampering',
      'mix-up',
    ])
  })

  it('still accepts `public`, the old name of the playground with the single-page app', async () => {
    const flow = await scenarioFlow('public', undefined, { clientType: 'public' })
    expect(flow.scenario.id).toBe('confidential')
    expect(flow.config.clientType).toBe('public')
  })

  it('rejects an unknown scenario with FLOW_UNKNOWN_SCENARIO', async () => {
    const err = await scenarioFlow('no-such-thing').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(FlowError)
    expect(err).toMatchObject({ code: 'FLOW_UNKNOWN_SCENARIO' })
    expect(String(err)).toContain('"no-such-thing"')
  })

  it('runs the default scenario with the configuration it was given', async () => {
    const config = { ...defaultConfig(T0), clientType: 'public' as const, pkce: false }
    const flow = await createFlow(config, await sharedKeys())
    expect(flow.config).toEqual(config)
    expect(flow.scenario.id).toBe('confidential')
  })

  it('runs an attack scenario in its defended variant unless told otherwise', async () => {
    const flow = await scenarioFlow('mix-up')
    expect(flow.config.variant).toBe('defended')
    expect((await scenarioFlow('mix-up', 'vulnerable')).config.variant).toBe('vulnerable')
    // A scenario fixes the settings it is about, whatever the configuration said.
    const spa = await scenarioFlow('code-interception', 'vulnerable', {
      clientType: 'confidential',
      pkce: true,
    })
    expect(spa.config).toMatchObject({ clientType: 'public', pkce: false })
    expect(spa.world.state.as.settings.requirePkceForPublicClients).toBe(false)
  })
})

describe.each(SCENARIO_RUNS)('%s %s', (id, variant) => {
  it('runs to its ending with the invariants kept', async () => {
    const flow = await run(id, variant)
    await checkInvariants(flow)
    const scenario = SCENARIO_INFO.find((s) => s.id === id)
    // The attacker lane appears exactly where an attacker takes part.
    expect(lanesOf(flow.steps).includes('attacker')).toBe(scenario?.attack)
    // The ending names the defence that made the difference.
    if (variant && scenario?.variants)
      expect(endOf(flow).links.map((l) => l.href)).toContain(
        scenario.variants[variant].defence.href,
      )
    expect(endOf(flow).narration.length).toBeGreaterThan(80)
  })

  // Every path: the learner's choices are the branches — Deny at each consent page, and a wrong
  // password at each login page. Each branch must end, with the invariants kept.
  it('keeps the invariants on every branch the learner can take', async () => {
    const main = await run(id, variant)
    const choices = main.steps.filter((s) => s.awaiting !== null)
    for (const choice of choices) {
      const flow = await run(id, variant)
      flow.rewind(choice.index)
      await flow.act(
        choice.awaiting === 'consent'
          ? { type: 'consent', decision: 'deny' }
          : { type: 'credentials', username: 'alice', password: 'not-the-password' },
      )
      await advanceToEnd(flow)
      await checkInvariants(flow)
    }
  })

  it('gives the same steps for the same seed', async () => {
    const [a, b] = await Promise.all([run(id, variant), run(id, variant)])
    const view = (f: Flow) => f.steps.map((s) => [s.label, s.title, s.statuses, s.kind])
    expect(view(a)).toEqual(view(b))
  })
})

describe('key outcomes', () => {
  it('confidential: the code is redeemed with the secret, then refreshed and revoked', async () => {
    const flow = await run('confidential')
    expect(endOf(flow).kind).toEqual({ type: 'end', outcome: 'success' })
    expect(flow.steps).toHaveLength(32)
    const token = only(sent(flow, { from: 'client', url: TOKEN, grant: 'authorization_code' }))
    expect(token.channel).toBe('back')
    expect(answer(token)[0]).toBe(200)
    expect(answer(only(sent(flow, { from: 'client', url: `${AS}/revoke` })))[0]).toBe(200)
  })

  it('pkce-spa: the SPA redeems its code from the browser with the verifier and no secret', async () => {
    const flow = await run('pkce-spa')
    expectEnding(flow, 'success', 'The SPA signed in without a secret')
    const token = only(sent(flow, { from: 'client', url: TOKEN, grant: 'authorization_code' }))
    expect(token.channel).toBe('direct')
    expect(token.request.headers.some(([n]) => n.toLowerCase() === 'authorization')).toBe(false)
    expect(form(token).get('code_verifier')).toMatch(/^[\w-]{43}$/)
    expect(answer(token)[0]).toBe(200)
  })

  it('oidc: the ID token carries the nonce sent, and UserInfo answers 200 with the claims', async () => {
    const flow = await run('oidc')
    expectEnding(flow, 'success', 'What OpenID Connect added')
    const nonce = new URL(
      only(sent(flow, { url: `${AS}/authorize` })).request.url,
    ).searchParams.get('nonce')
    const idToken = String(json(only(sent(flow, { from: 'client', url: TOKEN }))).id_token)
    const claims = JSON.parse(
      Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString(),
    ) as Record<string, unknown>
    expect(claims.nonce).toBe(nonce)
    const userinfo = only(sent(flow, { from: 'client', url: `${AS}/userinfo` }))
    expect(userinfo.channel).toBe('back')
    expect(answer(userinfo)[0]).toBe(200)
    expect(json(userinfo)).toMatchObject({ sub: ALICE, name: 'Alice Liddell' })
  })

  it('refresh: the token expires (401 invalid_token), rotates, and the old refresh token revokes the family', async () => {
    const flow = await run('refresh')
    expect(endOf(flow).kind).toEqual({ type: 'end', outcome: 'success', attack: true })
    const time = flow.steps.find((s) => s.kind.type === 'time')
    expect(time?.kind).toEqual({ type: 'time', seconds: 3660 })
    const calls = sent(flow, { from: 'client', method: 'GET', url: PHOTOS })
    expect(calls.map((x) => x.response?.status)).toEqual([200, 401, 200])
    expect(header(calls[1], 'www-authenticate')).toContain('error="invalid_token"')
    expect(calls[1]?.sentAt).toBeGreaterThan(
      time?.snapshot.clock.now ? time.snapshot.clock.now - 1 : Infinity,
    )
    const first = firstRefreshToken(flow)
    const refreshes = sent(flow, { from: 'client', url: TOKEN, grant: 'refresh_token' })
    expect(refreshes.map(answer)).toEqual([
      [200, undefined],
      [400, 'invalid_grant'],
    ])
    expect(form(refreshes[0]).get('refresh_token')).toBe(first)
    const rotated = String(json(refreshes[0]).refresh_token)
    expect(rotated).not.toBe(first)
    expect(form(refreshes[1]).get('refresh_token')).toBe(rotated)
    const replay = only(sent(flow, { from: 'attacker', url: TOKEN, grant: 'refresh_token' }))
    expect(form(replay).get('refresh_token')).toBe(first)
    expect(answer(replay)).toEqual([400, 'invalid_grant'])
    expect(replay.id).toBeLessThan(refreshes[1]?.id ?? 0)
    const w = world(flow)
    expect(w.as.grants[w.as.refreshTokens[rotated]?.grantId ?? '']).toMatchObject({
      revoked: true,
      revokedReason: 'refresh token reused',
    })
  })

  it('refresh defended: rotation is on, and the attacker’s replay answers 400 invalid_grant', async () => {
    const flow = await run('refresh', 'defended')
    expect(flow.config.variant).toBe('defended')
    expect(world(flow).as.settings.rotateRefreshTokens).toBe(true)
    expectEnding(flow, 'success', 'Reuse detected: the token family is revoked')
    const replay = only(sent(flow, { from: 'attacker', url: TOKEN, grant: 'refresh_token' }))
    expect(answer(replay)).toEqual([400, 'invalid_grant'])
    const refreshes = sent(flow, { from: 'client', url: TOKEN, grant: 'refresh_token' })
    expect(refreshes.map(answer)).toEqual([
      [200, undefined],
      [400, 'invalid_grant'],
    ])
    expect(world(flow).attacker.stolenTokens).toEqual([])
    expect(Object.values(world(flow).as.grants)).toMatchObject([
      { revoked: true, revokedReason: 'refresh token reused' },
    ])
  })

  it('refresh vulnerable: no rotation, the copied refresh token gets the attacker tokens (200) and nothing is revoked', async () => {
    const flow = await run('refresh', 'vulnerable')
    expect(world(flow).as.settings.rotateRefreshTokens).toBe(false)
    expect(endOf(flow)).toMatchObject({
      kind: { type: 'end', outcome: 'failure' },
      title: 'The attacker refreshed with the copied token',
      label: 'Attack worked',
    })
    expect(endOf(flow).narration).toContain('RFC 9700 §4.14.2')
    const calls = sent(flow, { from: 'client', method: 'GET', url: PHOTOS })
    expect(calls.map((x) => x.response?.status)).toEqual([200, 401, 200])
    const first = firstRefreshToken(flow)
    const refreshes = sent(flow, { from: 'client', url: TOKEN, grant: 'refresh_token' })
    expect(refreshes.map(answer)).toEqual([
      [200, undefined],
      [200, undefined],
    ])
    // No new refresh token: the SPA keeps presenting the first one, and it keeps working.
    for (const x of refreshes) {
      expect(json(x)).not.toHaveProperty('refresh_token')
      expect(form(x).get('refresh_token')).toBe(first)
    }
    const replay = only(sent(flow, { from: 'attacker', url: TOKEN, grant: 'refresh_token' }))
    expect(form(replay).get('refresh_token')).toBe(first)
    expect(answer(replay)).toEqual([200, undefined])
    expect(json(replay)).toHaveProperty('access_token')
    expect(replay.id).toBeLessThan(refreshes[1]?.id ?? 0)
    const w = world(flow)
    expect(w.attacker.stolenTokens).toMatchObject([{ grant_type: 'refresh_token' }])
    expect(Object.values(w.as.grants)).toMatchObject([{ revoked: false, revokedReason: null }])
    expect(w.as.refreshTokens[first]).toMatchObject({ rotatedAt: null, revoked: false })
  })

  it('revoke: refresh fails, the JWT still works at the API, introspection answers active: false', async () => {
    const flow = await run('revoke')
    expect(endOf(flow).kind).toEqual({ type: 'end', outcome: 'success' })
    expect(endOf(flow).narration).toContain('until its exp')
    const rt = firstRefreshToken(flow)
    const revoked = only(sent(flow, { from: 'client', url: `${AS}/revoke` }))
    expect(form(revoked).get('token')).toBe(rt)
    expect(form(revoked).get('token_type_hint')).toBe('refresh_token')
    expect(revoked.response?.status).toBe(200)
    const refresh = only(sent(flow, { from: 'client', url: TOKEN, grant: 'refresh_token' }))
    expect(answer(refresh)).toEqual([400, 'invalid_grant'])
    const api = sent(flow, { from: 'client', url: PHOTOS }).filter(
      (x) => x.sentAt >= revoked.sentAt && x.id > revoked.id,
    )
    expect(api.map((x) => x.response?.status)).toEqual([200])
    const introspection = only(sent(flow, { from: 'client', url: `${AS}/introspect` }))
    expect(introspection.response?.status).toBe(200)
    expect(json(introspection)).toEqual({ active: false })
  })

  it('consent-denied: access_denied comes back instead of a code, and nothing is redeemed', async () => {
    const flow = await run('consent-denied')
    expectEnding(flow, 'failure', 'Alice said no: access_denied')
    const consent = only(sent(flow, { url: `${AS}/consent` }))
    expect(form(consent).get('decision')).toBe('deny')
    expect(header(consent, 'location')).toContain('error=access_denied')
    expect(sent(flow, { url: TOKEN })).toEqual([])
    const callback = only(sent(flow, { url: 'https://client.example/callback' }))
    expect(callback.response?.status).toBe(200)
    expect(callback.response?.body).toContain('id="error-code">access_denied<')
  })

  it('consent-denied: the learner may still allow', async () => {
    const flow = await runAnsweringConsent('allow', 'consent-denied')
    expectEnding(flow, 'success', 'The flow is complete')
    expect(answer(only(sent(flow, { from: 'client', url: TOKEN })))[0]).toBe(200)
  })

  it('csrf-no-state vulnerable: the planted callback signs Alice in as mallory', async () => {
    const flow = await run('csrf-no-state', 'vulnerable')
    expectEnding(flow, 'failure', 'Alice is signed in — as Mallory')
    const own = sent(flow, { from: 'attacker' })
    expect(
      own.map((x) => `${x.request.method} ${endpoint(x.request.url)} ${x.response?.status}`),
    ).toEqual([`GET ${AS}/authorize 200`, `POST ${AS}/login 200`, `POST ${AS}/consent 303`])
    expect(own.every((x) => x.channel === 'front')).toBe(true)
    const forged = header(own[2], 'location') ?? ''
    expect(new URL(forged).searchParams.has('state')).toBe(false)
    const callback = only(sent(flow, { from: 'browser', url: 'https://client.example/callback' }))
    expect(callback.request.url).toBe(forged)
    expect(callback.response?.status).toBe(200)
    const token = only(sent(flow, { from: 'client', url: TOKEN }))
    expect(answer(token)[0]).toBe(200)
    const w = world(flow)
    expect(Object.values(w.web.sessions).map((s) => s.user?.sub)).toEqual([MALLORY])
    const upload = only(sent(flow, { from: 'client', method: 'POST', url: PHOTOS }))
    expect(upload.response?.status).toBe(201)
    expect(w.rs.photos.filter((p) => p.owner === MALLORY).map((p) => p.title)).toEqual([
      'Holiday at the lake',
    ])
  })

  it('csrf-no-state defended: the app refuses the callback (400 no_session) before any token request', async () => {
    const flow = await run('csrf-no-state', 'defended')
    expectEnding(flow, 'success', 'The app refuses the planted callback: no_session')
    const callback = only(sent(flow, { from: 'browser', url: 'https://client.example/callback' }))
    expect(callback.response?.status).toBe(400)
    expect(callback.response?.body).toContain('id="error-code">no_session<')
    expect(sent(flow, { from: 'client', url: TOKEN })).toEqual([])
    expect(world(flow).web.sessions).toEqual({})
  })

  it('code-interception vulnerable: the attacker redeems the intercepted code (200) and reads the photos', async () => {
    const flow = await run('code-interception', 'vulnerable')
    expectEnding(flow, 'failure', 'The attacker redeemed Alice’s code')
    const authorize = only(sent(flow, { url: `${AS}/authorize` }))
    expect(new URL(authorize.request.url).searchParams.has('code_challenge')).toBe(false)
    const stolen = only(sent(flow, { from: 'attacker', url: TOKEN }))
    expect(stolen.channel).toBe('back')
    expect(answer(stolen)[0]).toBe(200)
    expect(typeof json(stolen).access_token).toBe('string')
    expect(answer(only(sent(flow, { from: 'attacker', url: PHOTOS })))[0]).toBe(200)
    expect(json(only(sent(flow, { from: 'attacker', url: PHOTOS }))).owner).toBe(ALICE)
    // The SPA comes second with the same code: a replay, refused, and the grant revoked.
    const victim = only(sent(flow, { from: 'client', url: TOKEN }))
    expect(form(victim).get('code')).toBe(form(stolen).get('code'))
    expect(answer(victim)).toEqual([400, 'invalid_grant'])
    expect(world(flow).attacker.stolenTokens).toHaveLength(1)
  })

  it('code-interception defended: the attacker gets 400 invalid_grant and the SPA signs in', async () => {
    const flow = await run('code-interception', 'defended')
    expectEnding(flow, 'success', 'PKCE stops the attacker: invalid_grant')
    const stolen = only(sent(flow, { from: 'attacker', url: TOKEN }))
    expect(form(stolen).has('code_verifier')).toBe(false)
    expect(answer(stolen)).toEqual([400, 'invalid_grant'])
    const victim = only(sent(flow, { from: 'client', url: TOKEN }))
    expect(form(victim).get('code')).toBe(form(stolen).get('code'))
    expect(answer(victim)[0]).toBe(200)
    expect(sent(flow, { from: 'attacker', url: PHOTOS })).toEqual([])
  })

  it('code-replay: the second use answers 400 invalid_grant and revokes the tokens of the first (UserInfo 401)', async () => {
    const flow = await run('code-replay')
    expectEnding(flow, 'success', 'Single use: the replay revoked the grant')
    const first = only(sent(flow, { from: 'client', url: TOKEN }))
    const replay = only(sent(flow, { from: 'attacker', url: TOKEN }))
    expect(form(replay).get('code')).toBe(form(first).get('code'))
    expect(answer(first)[0]).toBe(200)
    expect(answer(replay)).toEqual([400, 'invalid_grant'])
    const userinfo = only(sent(flow, { from: 'client', method: 'GET', url: `${AS}/userinfo` }))
    expect(userinfo.request.headers).toContainEqual([
      'Authorization',
      `Bearer ${String(json(first).access_token)}`,
    ])
    expect(userinfo.response?.status).toBe(401)
    expect(header(userinfo, 'www-authenticate')).toContain('error="invalid_token"')
    const w = world(flow)
    expect(Object.values(w.as.grants)).toMatchObject([
      { revoked: true, revokedReason: 'authorization code replayed' },
    ])
  })

  it('code-replay defended: single-use codes, the replay answers 400 invalid_grant and the grant is revoked', async () => {
    const flow = await run('code-replay', 'defended')
    expect(flow.config).toMatchObject({ variant: 'defended', pkce: true })
    expect(world(flow).as.settings.singleUseCodes).toBe(true)
    expectEnding(flow, 'success', 'Single use: the replay revoked the grant')
    const replay = only(sent(flow, { from: 'attacker', url: TOKEN }))
    expect(answer(replay)).toEqual([400, 'invalid_grant'])
    expect(world(flow).attacker.stolenTokens).toEqual([])
    expect(Object.values(world(flow).as.grants)).toMatchObject([
      { revoked: true, revokedReason: 'authorization code replayed' },
    ])
  })

  it('code-replay vulnerable: the replayed code gets the attacker tokens (200) and nothing is revoked (UserInfo 200)', async () => {
    const flow = await run('code-replay', 'vulnerable')
    expect(flow.config).toMatchObject({ variant: 'vulnerable', pkce: false })
    expect(world(flow).as.settings).toMatchObject({
      singleUseCodes: false,
      requirePkceForPublicClients: false,
    })
    expect(endOf(flow)).toMatchObject({
      kind: { type: 'end', outcome: 'failure' },
      title: 'The replayed code was accepted',
      label: 'Attack worked',
    })
    expect(endOf(flow).narration).toContain('RFC 9700 §4.3.1')
    const first = only(sent(flow, { from: 'client', url: TOKEN }))
    const replay = only(sent(flow, { from: 'attacker', url: TOKEN }))
    expect(form(replay).get('code')).toBe(form(first).get('code'))
    expect(form(replay).has('code_verifier')).toBe(false)
    expect(answer(first)).toEqual([200, undefined])
    expect(answer(replay)).toEqual([200, undefined])
    expect(json(replay).access_token).not.toBe(json(first).access_token)
    const userinfo = only(sent(flow, { from: 'client', method: 'GET', url: `${AS}/userinfo` }))
    expect(userinfo.response?.status).toBe(200)
    const w = world(flow)
    expect(w.attacker.stolenTokens).toMatchObject([{ grant_type: 'authorization_code' }])
    expect(Object.values(w.as.grants)).toMatchObject([{ revoked: false, revokedReason: null }])
  })

  it('redirect-uri-tampering vulnerable: lax matching sends the code to the look-alike host', async () => {
    const flow = await run('redirect-uri-tampering', 'vulnerable')
    expectEnding(flow, 'failure', 'The code went to the attacker')
    const authorize = only(sent(flow, { url: `${AS}/authorize` }))
    expect(new URL(authorize.request.url).searchParams.get('redirect_uri')).toBe(
      'https://spa.example.attacker.example/callback',
    )
    expect(authorize.response?.status).toBe(200)
    const caught = only(
      sent(flow, {
        from: 'browser',
        to: 'attacker',
        url: 'https://spa.example.attacker.example/callback',
      }),
    )
    expect(caught.response?.status).toBe(200)
    const w = world(flow)
    expect(w.attacker.stolenCodes).toHaveLength(1)
    expect(w.attacker.stolenCodes[0]?.code).toBe(
      new URL(caught.request.url).searchParams.get('code'),
    )
    const redeemed = only(sent(flow, { from: 'attacker', url: TOKEN }))
    expect(answer(redeemed)[0]).toBe(200)
    expect(answer(only(sent(flow, { from: 'attacker', url: PHOTOS })))[0]).toBe(200)
  })

  it('redirect-uri-tampering defended: exact matching shows the error page and nothing is stolen', async () => {
    const flow = await run('redirect-uri-tampering', 'defended')
    expectEnding(flow, 'success', 'auth.example refuses the redirect_uri')
    const authorize = only(sent(flow, { url: `${AS}/authorize` }))
    expect(authorize.response?.status).toBe(400)
    expect(header(authorize, 'location')).toBeNull()
    expect(authorize.response?.body).toContain('is not registered for demo-spa')
    expect(sent(flow, { to: 'attacker' }).map((x) => endpoint(x.request.url))).toEqual([
      'https://attacker.example/',
    ])
    expect(world(flow).attacker.stolenCodes).toEqual([])
  })

  it('expired-code: eleven minutes later the token endpoint answers 400 invalid_grant', async () => {
    const flow = await run('expired-code')
    expectEnding(flow, 'failure', 'The code expired: invalid_grant')
    const time = flow.steps.find((s) => s.kind.type === 'time')
    expect(time?.kind).toEqual({ type: 'time', seconds: 660 })
    const redirect = only(sent(flow, { url: `${AS}/consent` }))
    const token = only(sent(flow, { from: 'client', url: TOKEN }))
    expect(token.sentAt - redirect.sentAt).toBeGreaterThan(600_000)
    expect(answer(token)).toEqual([400, 'invalid_grant'])
    expect(json(token).error_description).toBe('The authorization code has expired.')
  })

  it('insufficient-scope: POST /photos with a photos.read token answers 403 insufficient_scope', async () => {
    const flow = await run('insufficient-scope')
    expectEnding(flow, 'failure', 'The API refuses: 403 insufficient_scope')
    const post = only(sent(flow, { from: 'client', method: 'POST', url: PHOTOS }))
    expect(post.response?.status).toBe(403)
    expect(header(post, 'www-authenticate')).toMatch(
      /error="insufficient_scope".*scope="photos\.write"/,
    )
    expect(world(flow).rs.photos.map((p) => p.owner)).not.toContain(undefined)
    expect(world(flow).rs.photos).toHaveLength(3)
  })

  describe('mix-up', () => {
    const WEB = 'https://client.example'
    const EVIL_TOKEN = 'https://evil-as.example/token'

    /** The web app's session in the attacker's own browser, and the user its tokens are for. */
    function attackerAtApp(w: WorldState) {
      const sid = w.attacker.browser.cookies[WEB]?.client_session?.value
      const session = sid ? w.web.sessions[sid] : undefined
      const owner = Object.values(w.as.accessTokens).find(
        (t) => t.token === session?.tokens?.access_token,
      )?.sub
      return { session, owner }
    }

    it.each(['vulnerable', 'defended'] as const)(
      '%s: the start page offers both providers, and Alice clicks the second',
      async (variant) => {
        const flow = await run('mix-up', variant)
        const start = flow.steps.find(
          (s) => s.kind.type === 'response' && s.snapshot.browser.url === `${WEB}/`,
        )
        const page = start?.snapshot.browser.page?.body ?? ''
        expect(page).toContain('<a id="sign-in" href="/login">Sign in with auth.example</a>')
        expect(page).toContain(
          '<a id="sign-in-evil-as.example" href="/login?as=evil-as.example">Sign in with evil-as.example</a>',
        )
        // The click follows the page's own link, and the step says so.
        const pick = only(sent(flow, { from: 'browser', url: `${WEB}/login` }))
        expect(pick.request.url).toBe(`${WEB}/login?as=evil-as.example`)
        const step = flow.steps.find(
          (s) => s.kind.type === 'request' && s.kind.exchangeId === pick.id,
        )
        expect(step?.title).toBe('Alice clicks “Sign in with evil-as.example”')
        expect(step?.snapshot.browser.url).toBe(`${WEB}/login?as=evil-as.example`)
      },
    )

    it('runs as a legacy app: no PKCE and no nonce in any authorization request', async () => {
      const flow = await run('mix-up', 'vulnerable')
      expect(flow.config).toMatchObject({ pkce: false, oidc: false })
      for (const x of sent(flow, { method: 'GET' })) {
        const u = new URL(x.request.url)
        if (u.pathname !== '/authorize') continue
        expect(u.searchParams.has('code_challenge')).toBe(false)
        expect(u.searchParams.has('nonce')).toBe(false)
      }
    })

    it('vulnerable: the code goes to evil-as.example, and the attacker injects it and is signed in as Alice', async () => {
      const flow = await run('mix-up', 'vulnerable')
      await checkInvariants(flow)
      expectEnding(flow, 'failure', 'The attacker is signed in to the app as Alice')
      const [callback, injected, ...more] = sent(flow, { url: `${WEB}/callback` })
      expect(more).toEqual([])
      const code = new URL(callback?.request.url ?? '').searchParams.get('code') ?? ''
      expect(new URL(callback?.request.url ?? '').searchParams.get('iss')).toBe(AS)
      expect(callback?.from).toBe('browser')
      const evil = only(sent(flow, { from: 'client', url: EVIL_TOKEN }))
      expect(evil.to).toBe('attacker')
      expect(form(evil).get('code')).toBe(code)
      expect(answer(evil)).toEqual([400, 'invalid_grant'])
      // Alice sees what really happened to her: the app's error page, evil-as's invalid_grant.
      const w = world(flow)
      expect(w.browser.url).toBe(callback?.request.url)
      expect(w.browser.page?.body).toContain('id="error-code">invalid_grant<')
      // The attacker, in its own browser, delivers Alice's code with its own sign-in's state.
      expect(injected?.from).toBe('attacker')
      expect(new URL(injected?.request.url ?? '').searchParams.get('code')).toBe(code)
      const own = only(sent(flow, { from: 'attacker', url: `${WEB}/login` }))
      const ownState = new URL(header(own, 'location') ?? '').searchParams.get('state')
      expect(new URL(injected?.request.url ?? '').searchParams.get('state')).toBe(ownState)
      // The app redeems it at auth.example for the attacker's session: Alice's account.
      const redeemed = only(sent(flow, { from: 'client', url: TOKEN }))
      expect(form(redeemed).get('code')).toBe(code)
      expect(redeemed.response?.status).toBe(200)
      const { session, owner } = attackerAtApp(w)
      expect(owner).toBe(ALICE)
      expect(w.as.codes[code]?.used).toBe(true)
      expect((session?.resource as { photos?: unknown[] } | null)?.photos).toHaveLength(3)
      expect(w.attacker.browser.page?.body).toContain('White Rabbit at dusk')
      expect(laneStatusText(endOf(flow).statuses.attacker)).toBe(
        'Signed in to the app with a stolen code',
      )
      expect(flow.steps.length).toBeLessThanOrEqual(30)
    })

    it('defended: the app refuses Alice’s callback, the code never reaches evil-as.example, and Alice sees the refusal page', async () => {
      const flow = await run('mix-up', 'defended')
      await checkInvariants(flow)
      expectEnding(flow, 'success', 'The app refuses: iss_mismatch')
      const callback = only(sent(flow, { url: `${WEB}/callback` }))
      expect(callback.response?.status).toBe(403)
      expect(sent(flow, { url: EVIL_TOKEN })).toEqual([])
      expect(
        sent(flow, { method: 'POST' }).filter((x) => endpoint(x.request.url).endsWith('/token')),
      ).toEqual([])
      const w = world(flow)
      expect(w.attacker.stolenCodes).toEqual([])
      expect(sent(flow, { from: 'attacker' })).toEqual([])
      expect(attackerAtApp(w).session).toBeUndefined()
      // What Alice's browser shows: the app's refusal page.
      expect(w.browser.url).toBe(callback.request.url)
      expect(w.browser.page?.body).toContain('<h1>Sign-in refused: wrong server</h1>')
      expect(w.browser.page?.body).toContain('id="error-code">iss_mismatch<')
    })

    it('describes each authorization request by the parameters it carries', async () => {
      const flow = await run('mix-up', 'vulnerable')
      const toEvil = flow.steps.find((s) => s.title === 'The browser goes to evil-as.example')
      expect(toEvil?.narration).toContain('response_type, client_id, redirect_uri, scope and state')
      expect(toEvil?.narration).not.toMatch(/PKCE challenge|nonce/)
      const redirect = flow.steps.find((s) => s.title === 'The app redirects to evil-as.example')
      expect(redirect?.narration).toContain('no PKCE and no nonce')
    })
  })
})

describe('steps of their own', () => {
  it('shows a clock jump as a time step with narration, and the clock moved', async () => {
    const flow = await run('expired-code')
    const i = flow.steps.findIndex((s) => s.kind.type === 'time')
    const step = flow.steps[i]
    expect(step).toMatchObject({
      label: '+11 min',
      title: 'Time passes: 11 min',
      from: null,
      to: null,
      channel: null,
      boundary: true,
    })
    expect(step?.narration).toContain('600 seconds')
    expect((step?.snapshot.clock.now ?? 0) - (flow.steps[i - 1]?.snapshot.clock.now ?? 0)).toBe(
      660_000,
    )
  })

  it('shows an attacker’s move in the attacker lane, with what it holds', async () => {
    const flow = await run('code-interception', 'defended')
    const move = flow.steps.find((s) => s.kind.type === 'attacker')
    expect(move).toMatchObject({
      kind: { type: 'attacker', move: 'intercept-code' },
      from: 'attacker',
      to: null,
      label: 'intercepts the code',
    })
    expect(move && laneStatusText(move.statuses.attacker)).toBe('Holding a stolen code')
    expect(move?.snapshot.attacker.stolenCodes).toHaveLength(1)
  })

  it('gives the attacker lane statuses while it sends', async () => {
    const flow = await run('code-interception', 'vulnerable')
    const request = flow.steps.find((s) => s.kind.type === 'request' && s.from === 'attacker')
    expect(request?.statuses.attacker).toEqual({
      kind: 'waiting',
      params: { for: 'authorization-server' },
    })
    expect(flow.steps.at(-1)?.statuses.attacker).toEqual({
      kind: 'holds',
      params: { what: 'tokens' },
    })
  })
})

describe('branches in a scenario with a sign-in', () => {
  it('when Alice denies consent, no code reaches anyone and the attacker gets nothing', async () => {
    const flow = await runAnsweringConsent('deny', 'code-interception', 'vulnerable')
    expect(endOf(flow)).toMatchObject({ kind: { outcome: 'failure' } })
    expect(endOf(flow).title).toContain('access_denied')
    expect(flow.steps.some((s) => s.label.includes('error=access_denied'))).toBe(true)
    const w = world(flow)
    expect(w.attacker.stolenCodes).toEqual([])
    expect(w.attacker.stolenTokens).toEqual([])
  })

  it('when Alice denies at a tampered request, the error goes to the look-alike host without a code', async () => {
    const flow = await runAnsweringConsent('deny', 'redirect-uri-tampering', 'vulnerable')
    expect(world(flow).attacker.stolenCodes).toEqual([])
    expect(world(flow).attacker.stolenTokens).toEqual([])
  })

  it('when Alice mistypes her password, the login page comes back and the attack runs as before', async () => {
    const flow = await scenarioFlow('mix-up', 'vulnerable')
    while (flow.steps.at(-1)?.awaiting !== 'credentials') await flow.advance()
    await flow.act({ type: 'credentials', username: 'alice', password: 'nope' })
    expect(flow.steps.at(-1)).toMatchObject({ awaiting: 'credentials' })
    expect(flow.steps.at(-1)?.title).toMatch(/Wrong password/)
    await advanceToEnd(flow)
    await checkInvariants(flow)
    expectEnding(flow, 'failure', 'The attacker is signed in to the app as Alice')
  })

  it('rewinds to a clean step of an attack and replays it to the same end', async () => {
    const flow = await run('refresh')
    const labels = flow.steps.map((s) => s.label)
    const move = flow.steps.find((s) => s.kind.type === 'attacker')
    if (!move) throw new Error('no attacker move')
    flow.rewind(move.index)
    expect(flow.world.state).toEqual(move.snapshot)
    await advanceToEnd(flow)
    expect(flow.steps.map((s) => s.label)).toEqual(labels)
  })
})
