import type { JWK } from 'jose'
import {
  lazy,
  memo,
  Suspense,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react'
import { CHANNEL_NAMES, laneName } from '../../flow/views/diagram.ts'
import type { Exchange } from '../../protocol/index.ts'
import { selectStep, selectVisibleExchanges, useLabDeferred } from '../../store/index.ts'
import { LogExports } from '../Exports/Exports.tsx'
import { useSameKeys } from '../Message/useSame.ts'
import { useFrameRead } from '../useFrameRead.ts'

/**
 * An entry's details, the same Message view as the inspector's (parts, JWTs, curl, the editor):
 * loaded when one is first opened.
 */
const Message = lazy(() => import('../Message/Message.tsx').then((m) => ({ default: m.Message })))
import './HttpLog.css'

const NO_KEYS: readonly JWK[] = []

/** Every HTTP exchange seen so far, one line each, expandable to the raw messages and their JWTs. */
export function HttpLog() {
  // Only what the step on screen shows: steps computed ahead don't re-render the log. Deferred:
  // a Next shows the narration and the state first; the log follows.
  const step = useLabDeferred(selectStep)
  const exchanges = useLabDeferred(selectVisibleExchanges)
  const runId = useLabDeferred((s) => s.runId)
  const headingId = useId()
  const currentId =
    step && (step.kind.type === 'request' || step.kind.type === 'response')
      ? step.kind.exchangeId
      : null
  const snapshot = step?.snapshot
  const keys = useSameKeys(
    useMemo(() => snapshot?.keys.map((k) => k.publicJwk) ?? NO_KEYS, [snapshot]),
  )
  const now = snapshot?.clock.now ?? 0
  const panel = useRef<HTMLElement>(null)
  const frameRead = useFrameRead(panel)

  return (
    <section
      ref={panel}
      className="ofl-panel ofl-httplog"
      aria-labelledby={headingId}
      data-step={step?.index ?? 0}
    >
      <div className="ofl-httplog-head">
        <h2 id={headingId}>HTTP log</h2>
        <p className="ofl-httplog-count">
          {exchanges.length} {exchanges.length === 1 ? 'exchange' : 'exchanges'} so far
        </p>
        <LogExports />
      </div>
      {exchanges.length === 0 ? (
        <p className="ofl-httplog-empty">No requests yet: each one appears here as it is sent.</p>
      ) : (
        <LogList
          key={runId}
          exchanges={exchanges}
          currentId={currentId}
          keys={keys}
          now={now}
          frameRead={frameRead}
        />
      )}
    </section>
  )
}

interface LogListProps {
  exchanges: Exchange[]
  currentId: number | null
  keys: readonly JWK[]
  now: number
  /** Runs a layout read in the next frame (or when the panel comes on screen). */
  frameRead: (read: () => void) => void
}

const LogList = memo(function LogList({
  exchanges,
  currentId,
  keys,
  now,
  frameRead,
}: LogListProps) {
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set())
  const list = useRef<HTMLOListElement>(null)
  const count = exchanges.length

  // Keep the current exchange (or the newest) in view, scrolling only the log's own box.
  useEffect(() => {
    frameRead(() => {
      const box = list.current
      if (!box) return
      const target =
        currentId !== null
          ? box.querySelector(`[data-exchange="${currentId}"]`)
          : box.lastElementChild
      if (!(target instanceof HTMLElement)) return
      const top = target.offsetTop
      const bottom = top + target.offsetHeight
      if (top < box.scrollTop) box.scrollTop = top
      else if (bottom > box.scrollTop + box.clientHeight)
        box.scrollTop = Math.min(top, bottom - box.clientHeight)
    })
  }, [currentId, count, frameRead])

  const toggle = useCallback(
    (id: number) =>
      setOpen((prev) => {
        const next = new Set(prev)
        if (next.has(id)) next.delete(id)
        else next.add(id)
        return next
      }),
    [],
  )

  return (
    <ol ref={list} className="ofl-httplog-list" aria-label="Exchanges, oldest first" tabIndex={0}>
      {exchanges.map((x) => (
        <LogEntry
          key={x.id}
          exchange={x}
          current={x.id === currentId}
          open={open.has(x.id)}
          onToggle={toggle}
          keys={keys}
          now={now}
        />
      ))}
    </ol>
  )
})

function shortTarget(url: string): { host: string; path: string } {
  try {
    const u = new URL(url)
    return { host: u.host, path: `${u.pathname}${u.search ? '?…' : ''}` }
  } catch {
    return { host: '', path: url.length > 40 ? `${url.slice(0, 40)}…` : url }
  }
}

function statusClass(status: number | null): string {
  if (status === null) return 'pending'
  if (status < 300) return 'ok'
  if (status < 400) return 'redirect'
  return 'error'
}

interface LogEntryProps {
  exchange: Exchange
  current: boolean
  open: boolean
  onToggle: (id: number) => void
  keys: readonly JWK[]
  now: number
}

/**
 * Whether a line would render the same: each step's snapshot has its own copy of every exchange,
 * so a closed line compares what it shows; an open one (raw messages, JWTs) re-renders.
 */
function sameEntry(a: LogEntryProps, b: LogEntryProps): boolean {
  if (a.current !== b.current || a.open !== b.open || a.onToggle !== b.onToggle) return false
  const x = a.exchange
  const y = b.exchange
  if (b.open) return x === y && a.keys === b.keys && a.now === b.now
  return (
    x === y ||
    (x.id === y.id &&
      x.from === y.from &&
      x.to === y.to &&
      x.channel === y.channel &&
      x.request.method === y.request.method &&
      x.request.url === y.request.url &&
      (x.response?.status ?? null) === (y.response?.status ?? null))
  )
}

const LogEntry = memo(function LogEntry({
  exchange: x,
  current,
  open,
  onToggle,
  keys,
  now,
}: LogEntryProps) {
  const detailsId = useId()
  // Named as the lanes are: the mix-up's evil-as.example, not a generic attacker.
  const scenario = useLabDeferred((s) => s.resolved.scenario)
  const { host, path } = shortTarget(x.request.url)
  const status = x.response?.status ?? null
  return (
    <li
      className="ofl-httplog-entry"
      data-exchange={x.id}
      data-current={current ? 'true' : undefined}
      aria-current={current ? 'step' : undefined}
    >
      <button
        type="button"
        className="ofl-httplog-summary"
        aria-expanded={open}
        aria-controls={detailsId}
        onClick={() => onToggle(x.id)}
      >
        <span className="ofl-httplog-chevron" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>{' '}
        <span className="ofl-httplog-method">{x.request.method}</span>{' '}
        <span className="ofl-httplog-url">
          <span className="ofl-httplog-host">{host}</span>
          {path}
        </span>{' '}
        <span className="ofl-httplog-status" data-class={statusClass(status)}>
          {status === null ? (
            <>
              <span aria-hidden="true">…</span>
              <span className="ofl-visually-hidden">waiting for the response</span>
            </>
          ) : (
            status
          )}
        </span>{' '}
        <span className="ofl-httplog-route">
          <span>
            {laneName(x.from, scenario)} → {x.to ? laneName(x.to, scenario) : 'nobody'}
          </span>{' '}
          <span className="ofl-httplog-channel" data-channel={x.channel}>
            {CHANNEL_NAMES[x.channel]}
          </span>
          {current ? (
            <>
              {' '}
              <span className="ofl-httplog-now">this step</span>
            </>
          ) : null}
        </span>
      </button>
      {open ? (
        <Suspense
          fallback={
            <p id={detailsId} className="ofl-httplog-waiting">
              Opening…
            </p>
          }
        >
          <div id={detailsId} className="ofl-httplog-details">
            <Message exchange={x} keys={keys} now={now} />
          </div>
        </Suspense>
      ) : null}
    </li>
  )
}, sameEntry)
