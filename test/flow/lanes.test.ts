import { beforeAll, describe, expect, it } from 'vitest'
import { createFlow, defaultConfig, type FlowConfig, type Step } from '../../src/flow/index.ts'
import {
  arrowSpan,
  compactStatus,
  describeMessage,
  LANE_ORDER,
  laneOrigin,
  lanesOf,
  stepRowName,
  stepShape,
} from '../../src/flow/lanes.ts'
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
      expect(describeMessage(steps.at(-1)!)).toBe('Done: the flow succeeded')
    })
  })

  it('gives no span for a lane that is not shown', () => {
    expect(arrowSpan(['browser', 'client'], 'client', 'attacker')).toBeNull()
  })
})
