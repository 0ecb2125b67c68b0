import type { JWK } from 'jose'
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { ROLE_NAMES } from '../../flow/index.ts'
import type { Exchange } from '../../protocol/index.ts'
import { useLab, visibleExchanges } from '../../store/index.ts'
import { ExchangeDetails } from './ExchangeDetails.tsx'
import './HttpLog.css'

const NO_KEYS: readonly JWK[] = []

/** Every HTTP exchange seen so far, one line each, expandable to the raw messages and their JWTs. */
export function HttpLog() {
  const steps = useLab((s) => s.steps)
  const index = useLab((s) => s.index)
  const runId = useLab((s) => s.runId)
  const headingId = useId()
  const exchanges = useMemo(() => visibleExchanges(steps, index), [steps, index])
  const step = steps[index]
  const currentId =
    step && (step.kind.type === 'request' || step.kind.type === 'response')
      ? step.kind.exchangeId
      : null
  const snapshot = step?.snapshot
  const keys = useMemo(() => snapshot?.keys.map((k) => k.publicJwk) ?? NO_KEYS, [snapshot])
  const now = snapshot?.clock.now ?? 0

  return (
    <section className="ofl-panel ofl-httplog" aria-labelledby={headingId}>
      <div className="ofl-httplog-head">
        <h2 id={headingId}>HTTP log</h2>
        <p className="ofl-httplog-count">
          {exchanges.length} {exchanges.length === 1 ? 'exchange' : 'exchanges'} so far
        </p>
      </div>
      {exchanges.length === 0 ? (
        <p className="ofl-httplog-empty">No requests yet: each one appears here as it is sent.</p>
      ) : (
        <LogList key={runId} exchanges={exchanges} currentId={currentId} keys={keys} now={now} />
      )}
    </section>
  )
}

interface LogListProps {
  exchanges: Exchange[]
  currentId: number | null
  keys: readonly JWK[]
  now: number
}

function LogList({ exchanges, currentId, keys, now }: LogListProps) {
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set())
  const list = useRef<HTMLOListElement>(null)
  const count = exchanges.length

  // Keep the current exchange (or the newest) in view, scrolling only the log's own box.
  useEffect(() => {
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
  }, [currentId, count])

  const toggle = (id: number) =>
    setOpen((prev) => {
      const next = new Set(prev)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })

  return (
    <ol ref={list} className="ofl-httplog-list" aria-label="Exchanges, oldest first" tabIndex={0}>
      {exchanges.map((x) => (
        <LogEntry
          key={x.id}
          exchange={x}
          current={x.id === currentId}
          open={open.has(x.id)}
          onToggle={() => toggle(x.id)}
          keys={keys}
          now={now}
        />
      ))}
    </ol>
  )
}

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
  onToggle: () => void
  keys: readonly JWK[]
  now: number
}

function LogEntry({ exchange: x, current, open, onToggle, keys, now }: LogEntryProps) {
  const detailsId = useId()
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
        onClick={onToggle}
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
            {ROLE_NAMES[x.from]} → {x.to ? ROLE_NAMES[x.to] : 'nobody'}
          </span>{' '}
          <span className="ofl-httplog-channel" data-channel={x.channel}>
            {x.channel} channel
          </span>
          {current ? (
            <>
              {' '}
              <span className="ofl-httplog-now">this step</span>
            </>
          ) : null}
        </span>
      </button>
      {open ? <ExchangeDetails id={detailsId} exchange={x} keys={keys} now={now} /> : null}
    </li>
  )
}
