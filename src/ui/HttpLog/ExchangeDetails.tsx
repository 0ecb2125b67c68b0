import type { JWK } from 'jose'
import { useEffect, useMemo, useRef, useState } from 'react'
import { findJwts, rawRequest, rawResponse, toCurl } from '../../flow/index.ts'
import type { Exchange, HttpRequest } from '../../protocol/index.ts'
import { JwtView } from './JwtView.tsx'

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
    try {
      const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard
      if (!clipboard?.writeText) throw new Error('no clipboard')
      await clipboard.writeText(command)
      setState('copied')
    } catch {
      setState('manual')
    }
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
