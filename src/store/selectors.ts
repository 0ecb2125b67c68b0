/**
 * Named selectors over the store's state: components select the minimum.
 */
import type { Exchange, WorldState } from '../protocol/index.ts'
import type { Step } from '../flow/index.ts'
import type { LabState } from './labStore.ts'

/** The step on screen (there is always one once the flow exists). */
export const selectStep = (s: LabState): Step | undefined => s.steps[s.index]
/** The step before the one on screen, to mark what changed. */
export const selectPrevStep = (s: LabState): Step | undefined => (s.index > 0 ? s.steps[s.index - 1] : undefined)
export const selectWorld = (s: LabState): WorldState | undefined => s.steps[s.index]?.snapshot
export const selectIndex = (s: LabState) => s.index
export const selectTotal = (s: LabState) => s.steps.length
export const selectAtEnd = (s: LabState) => s.complete && s.index >= s.steps.length - 1
export const selectCanBack = (s: LabState) => s.index > 0

/** Exchanges as seen at the step on screen: requests sent so far, responses received so far. */
export function visibleExchanges(steps: readonly Step[], index: number): Exchange[] {
  const step = steps[index]
  if (!step) return []
  const requests = new Set<number>()
  const responses = new Set<number>()
  for (const s of steps.slice(0, index + 1)) {
    if (s.kind.type === 'request') requests.add(s.kind.exchangeId)
    if (s.kind.type === 'response') responses.add(s.kind.exchangeId)
  }
  return step.snapshot.exchanges
    .filter((x) => requests.has(x.id))
    .map((x) => (responses.has(x.id) ? x : { ...x, response: null, receivedAt: null }))
}

const NO_EXCHANGES: Exchange[] = []
const exchangesAt = new WeakMap<Step, Exchange[]>()

/**
 * `visibleExchanges` at the step on screen, cached per step object (a computed step never
 * changes, nor do the steps before it), so the same step gives the same array.
 */
export function selectVisibleExchanges(s: LabState): Exchange[] {
  const step = s.steps[s.index]
  if (!step) return NO_EXCHANGES
  let list = exchangesAt.get(step)
  if (!list) {
    list = visibleExchanges(s.steps, s.index)
    exchangesAt.set(step, list)
  }
  return list
}

/** The messages of the run so far, for the sequence diagram: one per request or response step. */
export function messagesUpTo(steps: readonly Step[], index: number): Step[] {
  return steps.slice(0, index + 1).filter((s) => s.kind.type === 'request' || s.kind.type === 'response' || s.kind.type === 'user')
}
