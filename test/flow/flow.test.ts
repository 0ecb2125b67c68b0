import { describe, expect, it } from 'vitest'
import { createFlow, defaultConfig, type Flow, type FlowConfig } from '../../src/flow/index.ts'
import type { Exchange } from '../../src/protocol/index.ts'
import { T0, sharedKeys } from '../protocol/helpers.ts'
import { checkInvariants } from './invariants.ts'
import { advanceToEnd } from './helpers.ts'

async function newFlow(patch: Partial<FlowConfig> = {}): Promise<Flow> {
  return createFlow({ ...defaultConfig(T0), ...patch }, await sharedKeys())
}

function exchanges(flow: Flow): Exchange[] {
  return flow.steps.at(-1)?.snapshot.exchanges ?? []
}

describe('the invariants', () => {
  it('fail when two steps share a snapshot, or a snapshot holds a later exchange', async () => {
    const flow = await newFlow()
    await advanceToEnd(flow)
    await checkInvariants(flow)
    const shared = { ...flow, steps: flow.steps.map((s) => ({ ...s })) }
    shared.steps[2]!.snapshot = shared.steps[1]!.snapshot
    await expect(checkInvariants(shared as Flow)).rejects.toThrow()
    const early = { ...flow, steps: flow.steps.map((s) => ({ ...s })) }
    early.steps[1]!.snapshot = early.steps.at(-1)!.snapshot
    await expect(checkInvariants(early as Flow)).rejects.toThrow()
  })
})

describe('the default flow (confidential web app)', () => {
  it('runs from the start page to the end, with refresh and revocation', async () => {
    const flow = await newFlow()
    await advanceToEnd(flow)
    expect(flow.steps.at(-1)?.kind).toEqual({ type: 'end', outcome: 'success' })
    const labels = flow.steps.map((s) => s.label)
    for (const l of [
      'GET /',
      'GET /login',
      '302 → /authorize?…',
      '200 login page',
      'types credentials',
      '200 consent page',
      'clicks Allow',
      '303 → /callback?code=…',
      'POST /token',
      '200 {access_token…}',
      'GET /photos',
      '200 {photos…}',
      'POST /revoke',
    ]) {
      expect(labels).toContain(l)
    }
    const token = flow.steps.find((s) => s.label === 'POST /token')
    expect(token).toMatchObject({
      from: 'client',
      to: 'authorization-server',
      channel: 'back',
      phase: 'C',
    })
    expect(flow.steps.find((s) => s.label === '200 {access_token…}')).toMatchObject({ phase: 'D' })
    expect(flow.steps.find((s) => s.label === 'GET /photos')).toMatchObject({
      phase: 'E',
      channel: 'back',
    })
    await checkInvariants(flow)
  })

  it('waits for the user on the login and consent pages', async () => {
    const flow = await newFlow()
    await advanceToEnd(flow)
    const awaiting = flow.steps.filter((s) => s.awaiting).map((s) => [s.label, s.awaiting])
    expect(awaiting).toEqual([
      ['200 login page', 'credentials'],
      ['200 consent page', 'consent'],
    ])
    expect(flow.steps.find((s) => s.awaiting === 'credentials')?.statuses.browser).toEqual({
      kind: 'user',
      params: { awaiting: 'credentials' },
    })
  })

  it('gives each step a title, a narration and RFC links where it has a phase', async () => {
    const flow = await newFlow()
    await advanceToEnd(flow)
    for (const s of flow.steps) {
      expect(s.title.length).toBeGreaterThan(3)
      expect(s.narration.length).toBeGreaterThan(10)
      if (s.phase && s.kind.type !== 'user') expect(s.links.length).toBeGreaterThan(0)
    }
  })
})

describe('the public single-page app', () => {
  it('runs with PKCE and no secret, from the browser', async () => {
    const flow = await newFlow({ clientType: 'public' })
    await advanceToEnd(flow)
    expect(flow.steps.at(-1)?.kind).toEqual({ type: 'end', outcome: 'success' })
    const token = exchanges(flow).find((x) => x.request.url.endsWith('/token'))
    expect(token?.channel).toBe('direct')
    expect(token?.request.headers.some(([n]) => n.toLowerCase() === 'authorization')).toBe(false)
    expect(flow.steps.some((s) => s.label === 'OPTIONS /photos')).toBe(true)
    await checkInvariants(flow)
  })

  it('ends with invalid_request when PKCE is switched off (the server requires it)', async () => {
    const flow = await newFlow({ clientType: 'public', pkce: false })
    await advanceToEnd(flow)
    expect(flow.steps.at(-1)?.kind).toEqual({ type: 'end', outcome: 'failure' })
    expect(flow.world.state.spa.sessions.page?.error?.error).toBe('invalid_request')
    await checkInvariants(flow)
  })
})

describe('when the user denies consent', () => {
  it.each(['confidential', 'public'] as const)(
    'the %s client ends with access_denied',
    async (clientType) => {
      const flow = await newFlow({ clientType })
      while (flow.steps.at(-1)?.awaiting !== 'consent') await flow.advance()
      await flow.act({ type: 'consent', decision: 'deny' })
      await advanceToEnd(flow)
      expect(flow.steps.at(-1)?.kind).toEqual({ type: 'end', outcome: 'failure' })
      expect(flow.steps.some((s) => s.label.includes('error=access_denied'))).toBe(true)
      expect(flow.steps.at(-1)?.title).toContain('access_denied')
      const session = Object.values(
        clientType === 'public' ? flow.world.state.spa.sessions : flow.world.state.web.sessions,
      )[0]
      expect(session?.tokens).toBeNull()
      await checkInvariants(flow)
    },
  )
})

describe('when the user types a wrong password', () => {
  it('shows the login page again, and the flow goes on when the right one is typed', async () => {
    const flow = await newFlow()
    while (flow.steps.at(-1)?.awaiting !== 'credentials') await flow.advance()
    await flow.act({ type: 'credentials', username: 'alice', password: 'nope' })
    const last = flow.steps.at(-1)
    expect(last?.awaiting).toBe('credentials')
    expect(last?.title).toMatch(/Wrong password/)
    expect(last?.snapshot.browser.page?.body).toContain('Wrong username or password.')
    await advanceToEnd(flow)
    expect(flow.steps.at(-1)?.kind).toEqual({ type: 'end', outcome: 'success' })
    await checkInvariants(flow)
  })
})

describe('rewinding to a clean step', () => {
  it('restores the world exactly and lets a new branch grow', async () => {
    const flow = await newFlow()
    await advanceToEnd(flow)
    const consent = flow.steps.find((s) => s.awaiting === 'consent')
    if (!consent) throw new Error('no consent step')
    flow.rewind(consent.index)
    expect(flow.steps.length).toBe(consent.index + 1)
    expect(flow.world.state).toEqual(consent.snapshot)
    await flow.act({ type: 'consent', decision: 'deny' })
    await advanceToEnd(flow)
    expect(flow.steps.at(-1)?.kind).toEqual({ type: 'end', outcome: 'failure' })
  })

  it('refuses to rewind into the middle of an action', async () => {
    const flow = await newFlow()
    await advanceToEnd(flow)
    const mid = flow.steps.find((s) => !s.boundary)
    expect(() => flow.rewind(mid?.index ?? -1)).toThrow(/FLOW_ILLEGAL_STEP/)
  })

  it('refuses user input where the page does not ask for it', async () => {
    const flow = await newFlow()
    await expect(flow.act({ type: 'consent', decision: 'allow' })).rejects.toThrow(
      /FLOW_ILLEGAL_STEP/,
    )
  })
})

describe('every combination of the settings', () => {
  const combos: Partial<FlowConfig>[] = []
  for (const clientType of ['confidential', 'public'] as const)
    for (const pkce of [true, false])
      for (const state of [true, false])
        for (const oidc of [true, false])
          combos.push({
            clientType,
            pkce,
            state,
            oidc,
            authMethod: pkce ? 'client_secret_basic' : 'client_secret_post',
          })
  it.each(combos)('runs to an end with the invariants kept: %o', async (patch) => {
    const flow = await newFlow(patch)
    await advanceToEnd(flow)
    await checkInvariants(flow)
    const expected = patch.clientType === 'public' && !patch.pkce ? 'failure' : 'success'
    expect(flow.steps.at(-1)?.kind).toEqual({ type: 'end', outcome: expected })
  })
})
