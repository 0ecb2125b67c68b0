/**
 * What the lanes and the sequence diagram show about roles and messages: lane order, names,
 * origins and the words that describe a step's arrow. Pure functions of the steps.
 */
import { ORIGINS } from '../../protocol/state.ts'
import type { Channel, Role } from '../../protocol/types.ts'
import { ROLE_NAMES } from '../roles.ts'
import { findScenarioInfo } from '../scenarios/catalog.ts'
import type { AttackerLane } from '../scenarios/types.ts'
import type { AttackerMove, ClientType, ShownStep, Step } from '../types.ts'

/** Lanes from left to right: the user's side first, then the servers, then any attacker. */
export const LANE_ORDER: readonly Role[] = [
  'browser',
  'client',
  'authorization-server',
  'resource-server',
  'attacker',
]

/** Compact lane names for narrow screens. */
export const SHORT_ROLE_NAMES: Record<Role, string> = {
  browser: 'Browser',
  client: 'Client',
  'authorization-server': 'Auth server',
  'resource-server': 'API',
  attacker: 'Attacker',
}

/** A lane status with role names shortened as the compact lanes show them. */
export function compactStatus(status: string): string {
  let out = status
  for (const role of LANE_ORDER) {
    if (ROLE_NAMES[role] !== SHORT_ROLE_NAMES[role])
      out = out.split(ROLE_NAMES[role]).join(SHORT_ROLE_NAMES[role])
  }
  return out
}

/** The origin of the attacker's site in scenarios that have one. */
export const ATTACKER_ORIGIN = 'https://attacker.example'

/** How the scenario draws the attacker's lane, when it says (scenarios/catalog.ts), or null. */
function attackerLaneOf(scenario: string | undefined): AttackerLane | null {
  return scenario === undefined ? null : (findScenarioInfo(scenario)?.attackerLane ?? null)
}

/**
 * The lanes from left to right in a scenario: `LANE_ORDER`, with the attacker's lane moved
 * right after the lane its scenario names (the mix-up's evil-as.example beside auth.example).
 */
export function laneOrder(scenario?: string): Role[] {
  const after = attackerLaneOf(scenario)?.after
  if (after === undefined) return [...LANE_ORDER]
  const rest = LANE_ORDER.filter((r) => r !== 'attacker')
  const at = rest.indexOf(after)
  return at < 0 ? [...LANE_ORDER] : [...rest.slice(0, at + 1), 'attacker', ...rest.slice(at + 1)]
}

/** A lane's name in a scenario: the role's, or the one the scenario gives the attacker's lane. */
export function laneName(role: Role, scenario?: string): string {
  const own = role === 'attacker' ? attackerLaneOf(scenario) : null
  return own?.name ?? ROLE_NAMES[role]
}

/** A lane's compact name, for narrow screens. */
export function laneShortName(role: Role, scenario?: string): string {
  const own = role === 'attacker' ? attackerLaneOf(scenario) : null
  return own?.shortName ?? SHORT_ROLE_NAMES[role]
}

/**
 * What a lane is, when its name does not say it (the attacker's lane named by its host:
 * `Authorization server (attacker’s)`), or null.
 */
export function laneKind(role: Role, scenario?: string): string | null {
  return role === 'attacker' ? (attackerLaneOf(scenario)?.kind ?? null) : null
}

/**
 * What a lane stands for: the user's browser, or the origin a server answers on. In a scenario
 * that draws the attacker as a server of its own (the mix-up), that server's origin.
 */
export function laneOrigin(role: Role, clientType: ClientType, scenario?: string): string {
  switch (role) {
    case 'browser':
      return 'Alice’s browser'
    case 'client':
      return clientType === 'public' ? ORIGINS.spaClient : ORIGINS.webClient
    case 'authorization-server':
      return ORIGINS.authorizationServer
    case 'resource-server':
      return ORIGINS.resourceServer
    case 'attacker':
      return attackerLaneOf(scenario)?.origin ?? ATTACKER_ORIGIN
    default: {
      const never: never = role
      return never
    }
  }
}

function involves(step: ShownStep, role: Role): boolean {
  return step.from === role || step.to === role || step.active.includes(role)
}

/**
 * The lanes a run needs, in the scenario's order (`laneOrder`): the four roles of RFC 6749 §1.1,
 * plus the attacker if any step has one.
 */
export function lanesOf(steps: readonly Step[], scenario?: string): Role[] {
  const hasAttacker = steps.some((s) => involves(s, 'attacker'))
  return laneOrder(scenario).filter((r) => r !== 'attacker' || hasAttacker)
}

/** Names of the channels, as the legend and the descriptions say them. */
export const CHANNEL_NAMES: Record<Channel, string> = {
  front: 'front channel',
  back: 'back channel',
  direct: 'direct request from the page',
}

/**
 * What a step draws: an arrow between two lanes (marked when it carries a failure, or when the
 * attacker sends or receives it), the attacker taking something from another lane, a user action
 * in one lane, or nothing.
 */
export type StepShape =
  | { type: 'message'; from: Role; to: Role; channel: Channel; failed: boolean; attacker: boolean }
  | { type: 'leak'; from: Role; to: 'attacker' }
  | { type: 'user'; lane: Role }
  | { type: 'none' }

/**
 * The lane each of the attacker's copying moves reads from (what `performAttackerMove` in
 * moves.ts takes): the redirect in flight and the browser's history are the browser's, the
 * refresh token is the client's session.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.5
 */
export const LEAK_SOURCES: Partial<Record<AttackerMove, Role>> = {
  'intercept-code': 'browser',
  'copy-code': 'browser',
  'copy-refresh-token': 'client',
}

/** The shape of a step's drawing. */
export function stepShape(step: ShownStep): StepShape {
  switch (step.kind.type) {
    case 'request':
    case 'response':
      return step.from && step.to
        ? {
            type: 'message',
            from: step.from,
            to: step.to,
            channel: step.channel ?? 'front',
            failed: step.failed === true,
            attacker: step.from === 'attacker' || step.to === 'attacker',
          }
        : { type: 'none' }
    case 'user':
      return { type: 'user', lane: step.from ?? 'browser' }
    case 'attacker': {
      // Copying takes something from a lane; crafting or planting is an action in its own lane.
      const source = LEAK_SOURCES[step.kind.move]
      return source
        ? { type: 'leak', from: source, to: 'attacker' }
        : { type: 'user', lane: 'attacker' }
    }
    case 'start':
    case 'time':
    case 'end':
      return { type: 'none' }
    default: {
      const never: never = step.kind
      return never
    }
  }
}

/** What an ending means, as the lanes say it: for an attack, `success` is the attack stopped. */
export function endingWords(end: { outcome: 'success' | 'failure'; attack?: boolean }): string {
  if (end.attack) return end.outcome === 'success' ? 'the attack was stopped' : 'the attack worked'
  return end.outcome === 'success' ? 'the flow completed' : 'the flow ended with an error'
}

/** How a failed response failed, as the descriptions say it: `failed: 400`, or an error redirect. */
function failure(step: ShownStep): string {
  const status = step.status
  if (status === undefined) return 'failed'
  return status >= 300 && status < 400
    ? `failed: ${status} redirect with an error`
    : `failed: ${status}`
}

/** Where an arrow sits among the lanes: first and last lane it spans (0-based) and its direction. */
export interface ArrowSpan {
  start: number
  end: number
  /** 1 when the arrow points right, -1 when it points left. */
  direction: 1 | -1
}

/** The lanes an arrow from `from` to `to` spans, or null if either lane is not shown. */
export function arrowSpan(lanes: readonly Role[], from: Role, to: Role): ArrowSpan | null {
  const a = lanes.indexOf(from)
  const b = lanes.indexOf(to)
  if (a < 0 || b < 0) return null
  return { start: Math.min(a, b), end: Math.max(a, b), direction: b >= a ? 1 : -1 }
}

/**
 * A sentence for screen readers: `From Browser to Authorization Server, front channel: GET /authorize?…`,
 * the lanes named as the scenario names them.
 */
export function describeMessage(step: ShownStep, scenario?: string): string {
  const shape = stepShape(step)
  const name = (role: Role) => laneName(role, scenario)
  switch (shape.type) {
    case 'message':
      return `From ${name(shape.from)} to ${name(shape.to)}, ${CHANNEL_NAMES[shape.channel]}${shape.failed ? `, ${failure(step)}` : ''}: ${step.label}`
    case 'leak':
      return `The attacker copies from the ${name(shape.from)}: ${step.label}`
    case 'user':
      return shape.lane === 'attacker'
        ? `The attacker acts: ${step.label}`
        : `User action in the ${name(shape.lane)}: ${step.label}`
    case 'none':
      return step.kind.type === 'end'
        ? `${step.label}: ${endingWords(step.kind)}`
        : step.kind.type === 'time'
          ? `${step.label}: time passes, nothing is sent`
          : `${step.label}: no message yet`
    default: {
      const never: never = shape
      return never
    }
  }
}

/** The name of a step's row in the sequence diagram: `Step 15: POST /token, Client to Authorization Server`. */
export function stepRowName(step: ShownStep, scenario?: string): string {
  const shape = stepShape(step)
  const name = (role: Role) => laneName(role, scenario)
  const head = `Step ${step.index + 1}: ${step.label}`
  switch (shape.type) {
    case 'message':
      return `${head}, ${name(shape.from)} to ${name(shape.to)}${shape.failed ? `, ${failure(step)}` : ''}`
    case 'leak':
      return `${head}, the attacker copies from the ${name(shape.from)}`
    case 'user':
      return shape.lane === 'attacker'
        ? `${head}, the attacker`
        : `${head}, the user in the ${name(shape.lane)}`
    case 'none':
      return head
    default: {
      const never: never = shape
      return never
    }
  }
}
