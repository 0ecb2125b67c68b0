import type { JWK } from 'jose'
import { lazy, Suspense, useMemo } from 'react'
import { CHANNEL_NAMES, laneName } from '../../flow/views/diagram.ts'
import {
  selectStep,
  selectVisibleExchanges,
  useLabDeferred,
  type LabState,
} from '../../store/index.ts'
import { RegistrationCard } from '../Registration/RegistrationCard.tsx'
import { useSameExchange, useSameKeys } from './useSame.ts'
import './MessagePane.css'

/**
 * The formatted message: loaded after first paint, with the message model and the JWT decoder
 * (the world's modules), as the HTTP log's details are.
 */
const Message = lazy(() => import('./Message.tsx').then((m) => ({ default: m.Message })))

const NO_KEYS: readonly JWK[] = []

/**
 * The exchange of the latest step that carried a message: the learner saw it last. Not the
 * highest id: an exchange that waits on others (the sign-out waits on the revocation it sends) is
 * answered after them.
 */
function selectLastExchangeId(s: LabState): number | null {
  for (let i = s.index; i >= 0; i--) {
    const kind = s.steps[i]?.kind
    if (kind && (kind.type === 'request' || kind.type === 'response')) return kind.exchangeId
  }
  return null
}

/**
 * The inspector's Message pane: the exchange of the step on screen, formatted for reading; on a
 * step that sends nothing (a user action, time passing, the start or the end), the latest
 * exchange so far, said to be that.
 */
export function MessagePane() {
  // Deferred like the other drawings: a Next shows the narration first, the message follows.
  const step = useLabDeferred(selectStep)
  const exchanges = useLabDeferred(selectVisibleExchanges)
  const scenario = useLabDeferred((s) => s.resolved.scenario)
  const kind = step?.kind
  const currentId =
    kind && (kind.type === 'request' || kind.type === 'response') ? kind.exchangeId : null
  const lastId = useLabDeferred(selectLastExchangeId)
  const current = currentId === null ? undefined : exchanges.find((x) => x.id === currentId)
  const last = lastId === null ? undefined : exchanges.find((x) => x.id === lastId)
  const exchange = useSameExchange(current ?? last ?? exchanges.at(-1) ?? null)
  const snapshot = step?.snapshot
  const keys = useSameKeys(
    useMemo(() => snapshot?.keys.map((k) => k.publicJwk) ?? NO_KEYS, [snapshot]),
  )
  const now = snapshot?.clock.now ?? 0

  return (
    <section
      className="ofl-panel ofl-message-pane"
      aria-label="Message"
      data-step={step?.index ?? 0}
    >
      {exchange === null ? (
        <>
          <p className="ofl-message-pane-none">
            No messages yet: the request this flow sends first shows here. Before any message, the
            client is registered at auth.example:
          </p>
          <RegistrationCard />
        </>
      ) : (
        <>
          <div className="ofl-message-pane-head">
            <p className="ofl-message-pane-which">
              {current ? 'This step’s message' : 'The latest message so far (this step sends none)'}
            </p>
            <h2>
              <code translate="no">{exchange.request.method}</code>{' '}
              {laneName(exchange.from, scenario)} →{' '}
              {exchange.to ? laneName(exchange.to, scenario) : 'nobody'}{' '}
              <span className="ofl-message-pane-channel" data-channel={exchange.channel}>
                {CHANNEL_NAMES[exchange.channel]}
              </span>
            </h2>
          </div>
          <Suspense fallback={<p className="ofl-message-pane-none">Opening…</p>}>
            <Message
              exchange={exchange}
              keys={keys}
              now={now}
              show={current ? (kind?.type === 'response' ? 'response' : 'request') : undefined}
            />
          </Suspense>
        </>
      )}
    </section>
  )
}
