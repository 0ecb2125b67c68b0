/**
 * What the learner has seen by a step: the exchanges (requests sent so far, responses received so
 * far) and the steps the sequence diagram draws. Pure functions of the steps, shared by the store's
 * selectors and the exports.
 */
import type { Exchange } from '../../protocol/index.ts'
import type { Step } from '../types.ts'

/**
 * Exchanges as seen at step `index`: requests sent so far, responses received so far (a request
 * whose response step is still to come shows no response).
 */
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

/**
 * The messages of the run so far, for the sequence diagram: one per request, response, user step
 * or attacker move.
 */
export function messagesUpTo(steps: readonly Step[], index: number): Step[] {
  return steps
    .slice(0, index + 1)
    .filter(
      (s) =>
        s.kind.type === 'request' ||
        s.kind.type === 'response' ||
        s.kind.type === 'user' ||
        s.kind.type === 'attacker',
    )
}
