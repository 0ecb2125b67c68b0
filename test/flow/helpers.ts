/**
 * What the flow tests share: a flow run to its end, and every scenario with each of its variants.
 */
import { expect } from 'vitest'
import { createFlow, defaultConfig, SCENARIO_INFO } from '../../src/flow/index.ts'
import type { Flow, FlowConfig, Step, Variant } from '../../src/flow/index.ts'
import { sharedKeys, T0 } from '../protocol/helpers.ts'

/** Advances `flow` to its end; fails (naming `what`) when 200 steps do not get it there. */
export async function advanceToEnd(flow: Flow, what = 'the flow'): Promise<Flow> {
  for (let i = 0; i < 200 && !flow.ended(); i++) await flow.advance()
  expect(flow.ended(), `${what} ends`).toBe(true)
  return flow
}

/** A flow on the default configuration (fixed clock, shared keys) with `patch`, run to its end. */
export async function runToEnd(patch: Partial<FlowConfig> = {}): Promise<Flow> {
  const flow = await createFlow({ ...defaultConfig(T0), ...patch }, await sharedKeys())
  return advanceToEnd(flow, JSON.stringify(patch))
}

/** The steps of `runToEnd(patch)`, as an array of their own. */
export async function stepsToEnd(patch: Partial<FlowConfig> = {}): Promise<Step[]> {
  return [...(await runToEnd(patch)).steps]
}

/** Every scenario, with each of its variants. */
export const SCENARIO_RUNS = SCENARIO_INFO.flatMap((s): [string, Variant | undefined][] =>
  s.variants
    ? [
        [s.id, 'vulnerable'],
        [s.id, 'defended'],
      ]
    : [[s.id, undefined]],
)

/**
 * The state rows that change at the step where the client stores its tokens (after validating
 * the ID token), in the order the state panel lists them.
 */
export const TOKEN_STEP_CHANGES = [
  'client.nonce',
  'client.access_token',
  'client.refresh_token',
  'client.id_token',
  'client.expires',
  'client.scope',
  'client.user',
]
