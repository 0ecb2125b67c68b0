import type { JWK } from 'jose'
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { findJwts, rawRequest, rawResponse, toCurl } from '../../flow/index.ts'
import type { Exchange, HttpRequest } from '../../protocol/index.ts'
import { useLab, useLabStore } from '../../store/index.ts'
import { JwtView } from './JwtView.tsx'
import { RequestEditor } from './RequestEditor.tsx'
import { copyText } from '../copyText.ts'

export interface ExchangeDetailsProps {
  id: string
  exchange: Exchange
  keys: readonly JWK[]
  now: number
}

/** One exchange in full: raw request and response, copy as curl, and the JWTs it carries. */
export function ExchangeDetails({ id, exchange, keys, now }: ExchangeDetailsProps) {
  const { request, response } = exchange
  const jwts = useMemo(() => findJwts(request, response), [request, response])
  return (
    <div id={id} className="ofl-httplog-details">
      <div className="ofl-httplog-part">
        <div className="ofl-httplog-parthead">
          <h3>Request</h3>
          <CopyCurl request={request} />
        </div>
        <EditActions exchange={exchange} />
        <p className="ofl-httplog-fullurl">
          <span className="ofl-httplog-label">URL </span>
          <span className="ofl-httplog-mono">{request.url}</span>
        </p>
        <pre className="ofl-httplog-raw">{rawRequest(request)}</pre>
      </div>
      <div className="ofl-httplog-part">
        <h3>Response</h3>
        {response ? (
          <pre className="ofl-httplog-raw">{rawResponse(response)}</pre>
        ) : (
          <p className="ofl-httplog-waiting">Not answered yet: the request is still on its way.</p>
        )}
      </div>
      {jwts.length > 0 ? (
        <div className="ofl-httplog-part">
          <h3>
            {jwts.length === 1 ? 'The JWT' : `The ${jwts.length} JWTs`} in this exchange, decoded
          </h3>
          {jwts.map((j) => (
            <JwtView key={`${j.side} ${j.where}`} occurrence={j} keys={keys} now={now} />
          ))}
        </div>
      ) : null}
    </div>
  )
}

/** Edit and resend (opens the editor) and Replay (sends the request again now). */
function EditActions({ exchange }: { exchange: Exchange }) {
  const store = useLabStore()
  const id = exchange.id
  const stepIndex = useLab((s) =>
    s.steps.findIndex((st) => st.kind.type === 'request' && st.kind.exchangeId === id),
  )
  const [editing, setEditing] = useState(false)
  const editButton = useRef<HTMLButtonElement>(null)
  const hintId = useId()
  const answered = exchange.response !== null

  function close() {
    setEditing(false)
    requestAnimationFrame(() => editButton.current?.focus())
  }

  return (
    <div className="ofl-httplog-edit">
      <div className="ofl-httplog-editbar">
        <button
          ref={editButton}
          type="button"
          className="ofl-button"
          aria-expanded={editing}
          disabled={stepIndex < 0}
          onClick={() => setEditing((v) => !v)}
        >
          Edit and resend
        </button>
        {answered ? (
          <>
            <button
              type="button"
              className="ofl-button"
              aria-describedby={hintId}
              onClick={() => void store.getState().replay(id)}
            >
              Replay
            </button>
            <span id={hintId} className="ofl-httplog-edithint">
              Send this request again now
            </span>
          </>
        ) : null}
      </div>
      {editing ? (
        <RequestEditor
          request={exchange.request}
          onCancel={close}
          onSend={(edited) => {
            setEditing(false)
            void store.getState().resend(stepIndex, edited)
          }}
        />
      ) : null}
    </div>
  )
}

/** Copies the request as a curl command; where there is no clipboard, shows it to select. */
function CopyCurl({ request }: { request: HttpRequest }) {
  const command = useMemo(() => toCurl(request), [request])
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle')
  const textarea = useRef<HTMLTextAreaElement>(null)

  useEffect(() => {
    if (state === 'manual') textarea.current?.select()
    if (state !== 'copied') return
    const t = setTimeout(() => setState('idle'), 2500)
    return () => clearTimeout(t)
  }, [state])

  async function copy() {
    setState((await copyText(command)) ? 'copied' : 'manual')
  }

  return (
    <div className="ofl-httplog-curl">
      <button type="button" className="ofl-button" onClick={() => void copy()}>
        Copy as curl
      </button>
      <span className="ofl-httplog-copied" role="status">
        {state === 'copied' ? 'Copied' : ''}
      </span>
      {state === 'manual' ? (
        <label className="ofl-httplog-manual">
          <span>The clipboard is not available here: select the command and copy it.</span>
          <textarea
            ref={textarea}
            readOnly
            value={command}
            rows={Math.min(8, command.split('\n').length + 1)}
            spellCheck={false}
          />
        </label>
      ) : null}
    </div>
  )
}
