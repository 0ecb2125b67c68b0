import { describe, expect, it } from 'vitest'
import { SCENARIO_INFO, type Flow, type Step, type Variant } from '../../src/flow/index.ts'
import { AS_SESSION_COOKIE, createWorldState } from '../../src/protocol/index.ts'
import { EARLIER_SIGN_IN_SECONDS } from '../../src/protocol/world.ts'
import { sharedKeys, T0 } from '../protocol/helpers.ts'
import { runToEnd } from './helpers.ts'

const AS = 'https://auth.example'

const path = (url: string) => new URL(url).pathname

/** The steps of the user's own browser at auth.example: `GET /authorize` and what follows it. */
function authorizeResponse(flow: Flow): Step {
  const world = flow.steps.at(-1)!.snapshot
  const x = world.exchanges.find(
    (e) => e.from === 'browser' && e.request.url.startsWith(`${AS}/authorize`),
  )
  if (!x) throw new Error('no authorization request')
  const step = flow.steps.find((s) => s.kind.type === 'response' && s.kind.exchangeId === x.id)
  if (!step) throw new Error('no step for the authorization response')
  return step
}

const signInSteps = (flow: Flow) =>
  flow.steps.filter((s) => s.kind.type === 'user' && s.kind.action === 'sign-in')
const loginPosts = (flow: Flow) =>
  flow.steps
    .at(-1)!
    .snapshot.exchanges.filter((x) => x.from === 'browser' && x.request.url === `${AS}/login`)

describe('when Alice is already signed in at auth.example', () => {
  it('starts the world with her session and its as_session cookie, as a sign-in leaves them', async () => {
    const state = await createWorldState({
      seed: 's',
      now: T0,
      keys: await sharedKeys(),
      settings: { authorizationServer: { signedIn: 'alice' } },
    })
    const sessions = Object.values(state.as.sessions)
    expect(sessions).toHaveLength(1)
    const [session] = sessions
    const at = T0 / 1000 - EARLIER_SIGN_IN_SECONDS
    expect(session).toMatchObject({ sub: 'alice-7c9e', authTime: at, expiresAt: at + 8 * 3600 })
    expect(state.browser.cookies[AS]?.[AS_SESSION_COOKIE]).toEqual({
      name: AS_SESSION_COOKIE,
      value: session!.sid,
      expiresAt: (at + 8 * 3600) * 1000,
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      path: '/',
    })
    // Not a server setting: nothing of it in the server's settings.
    expect(state.as.settings).not.toHaveProperty('signedIn')
    expect(state.attacker.browser.cookies).toEqual({})
  })

  it('draws the rest of the run the same as a run that starts signed out', async () => {
    const base = { seed: 's', now: T0, keys: await sharedKeys() }
    const out = await createWorldState(base)
    const inn = await createWorldState({
      ...base,
      settings: { authorizationServer: { signedIn: 'alice' } },
    })
    expect(inn.random).toEqual(out.random)
  })

  for (const scenario of ['confidential', 'pkce-spa']) {
    it(`${scenario}: the consent page comes right after /authorize, with no login page, and tokens are issued`, async () => {
      const flow = await runToEnd({ scenario, signedIn: true })
      const answer = authorizeResponse(flow)
      expect(answer.status).toBe(200)
      expect(answer.awaiting).toBe('consent')
      expect(answer.title).toBe('The consent page')
      expect(flow.steps.some((s) => s.awaiting === 'credentials')).toBe(false)
      expect(signInSteps(flow)).toEqual([])
      expect(loginPosts(flow)).toEqual([])
      // The next thing Alice does is answer the consent page.
      const next = flow.steps.slice(answer.index + 1).find((s) => s.kind.type === 'user')
      expect(next?.kind).toEqual({ type: 'user', action: 'allow' })
      const tokens = flow.steps
        .at(-1)!
        .snapshot.exchanges.filter(
          (x) => path(x.request.url) === '/token' && x.response?.status === 200,
        )
      expect(tokens.length).toBeGreaterThan(0)
      expect(JSON.parse(tokens[0]!.response!.body)).toHaveProperty('access_token')
      expect(flow.steps.at(-1)!.kind).toEqual({ type: 'end', outcome: 'success' })
    })

    it(`${scenario}: signed out, the login page comes first and Alice signs in`, async () => {
      const flow = await runToEnd({ scenario, signedIn: false })
      const answer = authorizeResponse(flow)
      expect(answer.awaiting).toBe('credentials')
      expect(signInSteps(flow)).toHaveLength(1)
      expect(loginPosts(flow)).toHaveLength(1)
      expect(flow.steps.at(-1)!.kind).toEqual({ type: 'end', outcome: 'success' })
    })
  }

  describe('every scenario', () => {
    for (const scenario of SCENARIO_INFO) {
      const variants: (Variant | undefined)[] = scenario.variants
        ? ['vulnerable', 'defended']
        : [undefined]
      for (const variant of variants) {
        const name = variant ? `${scenario.id} (${variant})` : scenario.id
        it(`${name} runs to the same ending as when signed out`, async () => {
          const patch = { scenario: scenario.id, ...(variant ? { variant } : {}) }
          const out = await runToEnd(patch)
          const inn = await runToEnd({ ...patch, signedIn: true })
          expect(inn.steps.at(-1)!.kind).toEqual(out.steps.at(-1)!.kind)
          expect(signInSteps(inn)).toEqual([])
          expect(inn.steps.some((s) => s.awaiting === 'credentials')).toBe(false)
        })
      }
    }
  })
})
