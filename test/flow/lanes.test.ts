import { beforeAll, describe, expect, it } from 'vitest'
import { createFlow, defaultConfig, type FlowConfig, type Step } from '../../src/flow/index.ts'
import {
  arrowSpan,
  compactStatus,
  describeMessage,
  LANE_ORDER,
  laneKind,
  laneName,
  laneOrder,
  laneOrigin,
  laneShortName,
  lanesOf,
  stepRowName,
  stepShape,
} from '../../src/flow/views/diagram.ts'
import { isFailedResponse } from '../../src/flow/engine/flow.ts'
import { sharedKeys, T0 } from '../protocol/helpers.ts'

async function run(patch: Partial<FlowConfig> = {}): Promise<Step[]> {
  const flow = await createFlow({ ...defaultConfig(T0), ...patch }, await sharedKeys())
  while (!flow.ended()) await flow.advance()
  return [...flow.steps]
}

const find = (steps: Step[], label: string) => {
  const s = steps.find((x) => x.label === label)
  if (!s) throw new Error(`no step labelled ${label}`)
  return s
}

describe('lanes', () => {
  let steps: Step[]
  beforeAll(async () => {
    steps = await run({ clientType: 'confidential' })
  })

  describe('when the run has no attacker', () => {
    it('shows the four roles of RFC 6749 in order', () => {
      expect(lanesOf(steps)).toEqual([
        'browser',
        'client',
        'authorization-server',
        'resource-server',
      ])
    })
  })

  describe('when a step involves the attacker', () => {
    it('adds the attacker lane last', () => {
      const withAttacker = [
        ...steps,
        {
          ...steps[1]!,
          to: 'attacker' as const,
          active: ['browser' as const, 'attacker' as const],
        },
      ]
      expect(lanesOf(withAttacker)).toEqual(LANE_ORDER)
    })
  })

  describe('in the mix-up, where the attacker is a second authorization server', () => {
    it('puts the attacker’s lane right after the authorization server’s', async () => {
      const mixUp = await run({ scenario: 'mix-up', variant: 'vulnerable' })
      expect(lanesOf(mixUp, 'mix-up')).toEqual([
        'browser',
        'client',
        'authorization-server',
        'attacker',
        'resource-server',
      ])
      expect(laneOrder('mix-up')).toEqual(lanesOf(mixUp, 'mix-up'))
      // Without its scenario, or in another attack, the attacker stays at the far right.
      expect(lanesOf(mixUp)).toEqual(LANE_ORDER)
      expect(laneOrder('code-interception')).toEqual(LANE_ORDER)
    })

    it('leaves the attacker’s lane out of a run that has no attacker step', () => {
      expect(lanesOf(steps, 'mix-up')).toEqual([
        'browser',
        'client',
        'authorization-server',
        'resource-server',
      ])
    })

    it('names the lane evil-as.example, an authorization server of the attacker’s', () => {
      expect(laneName('attacker', 'mix-up')).toBe('evil-as.example')
      expect(laneShortName('attacker', 'mix-up')).toBe('evil-as')
      expect(laneOrigin('attacker', 'confidential', 'mix-up')).toBe('https://evil-as.example')
      expect(laneKind('attacker', 'mix-up')).toBe('Authorization server (attacker’s)')
      expect(laneName('authorization-server', 'mix-up')).toBe('Authorization Server')
      expect(laneKind('authorization-server', 'mix-up')).toBeNull()
    })

    it('names the lane in the sentences that describe its arrows', async () => {
      const mixUp = await run({ scenario: 'mix-up', variant: 'vulnerable' })
      const toEvil = mixUp.find((s) => s.kind.type === 'request' && s.to === 'attacker')!
      expect(describeMessage(toEvil, 'mix-up')).toBe(
        `From Browser to evil-as.example, front channel: ${toEvil.label}`,
      )
      expect(stepRowName(toEvil, 'mix-up')).toBe(
        `Step ${toEvil.index + 1}: ${toEvil.label}, Browser to evil-as.example`,
      )
      expect(describeMessage(toEvil)).toContain('to Attacker')
    })

    it('keeps the web attacker’s name and origin elsewhere', () => {
      expect(laneName('attacker', 'csrf-no-state')).toBe('Attacker')
      expect(laneShortName('attacker')).toBe('Attacker')
      expect(laneOrigin('attacker', 'confidential', 'csrf-no-state')).toBe(
        'https://attacker.example',
      )
      expect(laneKind('attacker', 'csrf-no-state')).toBeNull()
    })
  })

  it('names each lane’s origin, the client by its type', () => {
    expect(laneOrigin('browser', 'confidential')).toBe('Alice’s browser')
    expect(laneOrigin('client', 'confidential')).toBe('https://client.example')
    expect(laneOrigin('client', 'public')).toBe('https://spa.example')
    expect(laneOrigin('authorization-server', 'public')).toBe('https://auth.example')
    expect(laneOrigin('resource-server', 'public')).toBe('https://api.example')
  })

  it('shortens role names in statuses for compact lanes', () => {
    expect(compactStatus('Waiting for the Authorization Server')).toBe(
      'Waiting for the Auth server',
    )
    expect(compactStatus('Waiting for the Resource Server')).toBe('Waiting for the API')
    expect(compactStatus('Validating the code')).toBe('Validating the code')
  })

  describe('a back-channel message', () => {
    it('is an arrow from the client to the authorization server, described in words', () => {
      const token = find(steps, 'POST /token')
      expect(stepShape(token)).toEqual({
        type: 'message',
        from: 'client',
        to: 'authorization-server',
        channel: 'back',
        failed: false,
        attacker: false,
      })
      expect(describeMessage(token)).toBe(
        'From Client to Authorization Server, back channel: POST /token',
      )
      expect(stepRowName(token)).toBe(
        `Step ${token.index + 1}: POST /token, Client to Authorization Server`,
      )
    })
  })

  describe('a front-channel redirect', () => {
    it('points left, from the client back to the browser', () => {
      const redirect = find(steps, '302 → /authorize?…')
      expect(describeMessage(redirect)).toBe(
        'From Client to Browser, front channel: 302 → /authorize?…',
      )
      expect(arrowSpan(lanesOf(steps), 'client', 'browser')).toEqual({
        start: 0,
        end: 1,
        direction: -1,
      })
      expect(arrowSpan(lanesOf(steps), 'browser', 'authorization-server')).toEqual({
        start: 0,
        end: 2,
        direction: 1,
      })
    })
  })

  describe('a user step', () => {
    it('is an action in the browser lane', () => {
      const typing = find(steps, 'types credentials')
      expect(stepShape(typing)).toEqual({ type: 'user', lane: 'browser' })
      expect(describeMessage(typing)).toBe('User action in the Browser: types credentials')
      expect(stepRowName(typing)).toBe(
        `Step ${typing.index + 1}: types credentials, the user in the Browser`,
      )
    })
  })

  describe('the start and end steps', () => {
    it('draw nothing', () => {
      expect(stepShape(steps[0]!)).toEqual({ type: 'none' })
      expect(stepShape(steps.at(-1)!)).toEqual({ type: 'none' })
      expect(describeMessage(steps.at(-1)!)).toBe('Done: the flow completed')
    })
  })

  it('gives no span for a lane that is not shown', () => {
    expect(arrowSpan(['browser', 'client'], 'client', 'attacker')).toBeNull()
  })
})

describe('outcomes in the drawing', () => {
  const runs = new Map<string, Step[]>()
  const runOf = (scenario: string, variant?: 'vulnerable' | 'defended') =>
    runs.get(`${scenario}/${variant ?? ''}`)!
  beforeAll(async () => {
    for (const [scenario, variant] of [
      ['confidential', undefined],
      ['consent-denied', undefined],
      ['code-replay', 'defended'],
      ['code-replay', 'vulnerable'],
      ['code-interception', 'defended'],
      ['code-interception', 'vulnerable'],
      ['refresh', 'defended'],
      ['mix-up', 'vulnerable'],
    ] as const)
      runs.set(`${scenario}/${variant ?? ''}`, await run({ scenario, variant }))
  })

  const shapes = (steps: Step[]) => steps.map((s) => stepShape(s))

  it('marks no step failed in the default run', () => {
    const steps = runOf('confidential')
    expect(steps.filter((s) => s.failed)).toEqual([])
    for (const shape of shapes(steps))
      if (shape.type === 'message') expect(shape.failed).toBe(false)
  })

  describe('when the code is replayed against a defended server', () => {
    it('marks the second POST /token’s answer failed, and says so', () => {
      const steps = runOf('code-replay', 'defended')
      const tokenRequests = steps.filter(
        (s) => s.kind.type === 'request' && s.label === 'POST /token',
      )
      expect(tokenRequests).toHaveLength(2)
      const second = tokenRequests[1]!
      const answer = steps.find(
        (s) =>
          s.kind.type === 'response' &&
          second.kind.type === 'request' &&
          s.kind.exchangeId === second.kind.exchangeId,
      )!
      expect(answer.failed).toBe(true)
      expect(answer.status).toBe(400)
      expect(stepShape(answer)).toMatchObject({ type: 'message', failed: true, attacker: true })
      expect(describeMessage(answer)).toBe(
        `From Authorization Server to Attacker, back channel, failed: 400: ${answer.label}`,
      )
      expect(stepRowName(answer)).toBe(
        `Step ${answer.index + 1}: ${answer.label}, Authorization Server to Attacker, failed: 400`,
      )
      // The request itself carries no outcome; the first exchange succeeded.
      expect(stepShape(second)).toMatchObject({ failed: false })
      const first = steps.find(
        (s) => s.kind.type === 'response' && s.label.startsWith('200 {access_token'),
      )
      expect(first?.failed).toBe(false)
    })

    it('lets the vulnerable server’s answer succeed', () => {
      const steps = runOf('code-replay', 'vulnerable')
      const answer = steps.find((s) => s.kind.type === 'response' && s.to === 'attacker')!
      expect(answer.failed).toBe(false)
    })

    it('marks the API’s 401 invalid_token failed', () => {
      const steps = runOf('code-replay', 'defended')
      const refused = steps.find((s) => s.status === 401)!
      expect(refused.failed).toBe(true)
      expect(describeMessage(refused)).toContain('failed: 401')
    })
  })

  describe('when consent is denied', () => {
    it('marks the error redirect failed, as a redirect with an error', () => {
      const steps = runOf('consent-denied')
      const redirect = steps.find((s) => s.kind.type === 'response' && s.status === 303)!
      expect(redirect.failed).toBe(true)
      expect(describeMessage(redirect)).toContain('failed: 303 redirect with an error')
      // The page the client shows afterwards is a 200: not itself a failure.
      expect(steps.filter((s) => s.failed)).toEqual([redirect])
    })
  })

  describe('when the attacker intercepts the code', () => {
    it('draws the intercept as a leak from the browser to the attacker', () => {
      const steps = runOf('code-interception', 'vulnerable')
      const intercept = steps.find((s) => s.kind.type === 'attacker')!
      expect(stepShape(intercept)).toEqual({ type: 'leak', from: 'browser', to: 'attacker' })
      expect(describeMessage(intercept)).toBe(
        `The attacker copies from the Browser: ${intercept.label}`,
      )
      expect(stepRowName(intercept)).toBe(
        `Step ${intercept.index + 1}: ${intercept.label}, the attacker copies from the Browser`,
      )
    })

    it('marks the attacker’s refused redemption failed when PKCE defends', () => {
      const steps = runOf('code-interception', 'defended')
      const refused = steps.find((s) => s.to === 'attacker' && s.kind.type === 'response')!
      expect(stepShape(refused)).toMatchObject({ type: 'message', failed: true, attacker: true })
    })
  })

  it('draws copying the used code from the browser, the refresh token from the client', () => {
    const copy = runOf('code-replay', 'defended').find((s) => s.kind.type === 'attacker')!
    expect(stepShape(copy)).toEqual({ type: 'leak', from: 'browser', to: 'attacker' })
    const rt = runOf('refresh', 'defended').find((s) => s.kind.type === 'attacker')!
    expect(stepShape(rt)).toEqual({ type: 'leak', from: 'client', to: 'attacker' })
  })

  it('marks every message the attacker sends or receives, and no other', () => {
    for (const steps of runs.values()) {
      for (const step of steps) {
        const shape = stepShape(step)
        if (shape.type !== 'message') continue
        expect(shape.attacker).toBe(step.from === 'attacker' || step.to === 'attacker')
      }
      const sent = steps.filter((s) => s.kind.type === 'request' && s.from === 'attacker')
      for (const s of sent) expect(stepShape(s)).toMatchObject({ attacker: true })
    }
    expect(
      runOf('code-interception', 'vulnerable').some(
        (s) => s.from === 'attacker' && s.kind.type === 'request',
      ),
    ).toBe(true)
    // The malicious authorization server of the mix-up is the attacker too.
    expect(
      runOf('mix-up', 'vulnerable')
        .filter((s) => s.to === 'attacker')
        .map((s) => stepShape(s)),
    ).toEqual(expect.arrayContaining([expect.objectContaining({ attacker: true })]))
  })

  it('keeps crafting a link an action in the attacker’s lane', () => {
    expect(
      stepShape({
        ...runOf('confidential')[0]!,
        kind: { type: 'attacker', move: 'craft-authorization-request' },
      }),
    ).toEqual({ type: 'user', lane: 'attacker' })
  })
})

describe('isFailedResponse', () => {
  const at = 'https://auth.example/authorize'
  const redirect = (location: string, status = 302) => ({
    status,
    headers: [['Location', location]] as [string, string][],
    body: '',
  })
  it.each([
    [{ status: 200, headers: [], body: '' }, false],
    [{ status: 204, headers: [], body: '' }, false],
    [{ status: 400, headers: [], body: '' }, true],
    [{ status: 401, headers: [], body: '' }, true],
    [{ status: 502, headers: [], body: '' }, true],
    [redirect('https://client.example/callback?code=abc&state=x'), false],
    [redirect('https://client.example/callback?error=access_denied&state=x', 303), true],
    [redirect('https://spa.example/callback#error=invalid_scope'), true],
    [redirect('/callback?error=server_error'), true],
    // A parameter merely named like one, or error in the path, is not an error answer.
    [redirect('https://client.example/error?terror=1'), false],
    [redirect('https://client.example/callback?code=error%3D'), false],
    [redirect('http://[bad'), false],
    [{ status: 302, headers: [], body: '' }, false],
  ])('answer %j failed: %s', (response, expected) => {
    expect(isFailedResponse(response, at)).toBe(expected)
  })

  it('survives a request URL no parser takes', () => {
    expect(isFailedResponse(redirect('/x?error=1'), 'not a url')).toBe(false)
    expect(isFailedResponse(redirect('https://a.example/?error=1'), 'not a url')).toBe(true)
  })
})
