import type { JWK } from 'jose'
import { memo, useId, useLayoutEffect, useMemo, useRef, type ReactNode } from 'react'
import {
  exchangeView,
  type AuthorizationView,
  type BasicProblem,
  type BodyView,
  type HeaderField,
  type MessageField,
  type UrlView,
} from '../../flow/views/message.ts'
import type { Exchange } from '../../protocol/index.ts'
import type { FieldKind } from '../../flow/glossary/fields.ts'
import { FieldName } from './FieldName.tsx'
import { JwtView } from './JwtView.tsx'
import { CopyButton, CopyCurl, EditActions } from './MessageActions.tsx'
import './Message.css'

export interface MessageProps {
  exchange: Exchange
  /** The authorization server's public keys (its JWKS) at the step on screen. */
  keys: readonly JWK[]
  /** The simulated clock at the step on screen (ms), for the JWTs' "in 59 min". */
  now: number
  /** The root's id, for a control's `aria-controls`. */
  id?: string
  /**
   * The side the step on screen is about: shown at the top of the scroll box the message is in
   * (the inspector's pane), so a response step opens on the response. Left out: not scrolled.
   */
  show?: 'request' | 'response'
}

/**
 * One exchange, formatted for reading: the request (line, query parameters, headers with Basic
 * credentials decoded, body), the response (status, a redirect's parameters, headers, body), the
 * JWTs decoded, a Copy for each part, and Copy as curl, Edit and resend, Replay.
 */
export const Message = memo(function Message({ exchange, keys, now, id, show }: MessageProps) {
  const { request, response } = exchange
  const root = useRef<HTMLDivElement>(null)
  useLayoutEffect(() => {
    const el = root.current
    const box = el?.closest<HTMLElement>('.ofl-pane')
    if (!el || !box || !show) return
    const side = el.querySelectorAll<HTMLElement>(':scope > .ofl-message-side')[
      show === 'response' ? 1 : 0
    ]
    if (!side) return
    // By hand, not scrollIntoView: that would scroll every box around the pane too.
    const top = side.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop
    box.scrollTop = show === 'request' ? 0 : Math.max(0, top - 8)
  }, [show, exchange.id, response])
  const view = useMemo(() => exchangeView({ request, response }), [request, response])
  const req = view.request
  const res = view.response
  const requestId = useId()
  const responseId = useId()
  const jwtsId = useId()
  const jwts = view.jwts

  return (
    <div id={id} className="ofl-message" ref={root}>
      <section className="ofl-message-side" aria-labelledby={requestId}>
        <div className="ofl-message-sidehead">
          <h3 id={requestId}>Request</h3>
          <CopyCurl request={request} />
        </div>
        <EditActions exchange={exchange} />
        <p className="ofl-message-line">
          <code translate="no">
            <span className="ofl-message-method">{req.method}</span>{' '}
            <span className="ofl-message-origin">{req.target.origin ?? ''}</span>
            {req.target.path}
          </code>
        </p>
        <UrlParts target={req.target} side="request" />
        <Fields title="Headers" copyAs="headers" kind="header" fields={req.headers} />
        <Body body={req.body} />
        <Raw raw={req.raw} what="request" />
      </section>
      <section className="ofl-message-side" aria-labelledby={responseId}>
        <div className="ofl-message-sidehead">
          <h3 id={responseId}>Response</h3>
        </div>
        {res ? (
          <>
            <p className="ofl-message-line">
              <code translate="no" data-class={statusClass(res.status)}>
                {res.status}
                {res.reason ? ` ${res.reason}` : ''}
              </code>
            </p>
            {res.location ? (
              <div className="ofl-message-redirect">
                <p className="ofl-message-note">
                  Redirects the browser to{' '}
                  <code translate="no">
                    <span className="ofl-message-origin">{res.location.origin ?? ''}</span>
                    {res.location.origin ? res.location.path : res.location.url}
                  </code>
                </p>
                <UrlParts target={res.location} side="redirect" />
              </div>
            ) : null}
            <Fields title="Headers" copyAs="headers" kind="header" fields={res.headers} />
            <Body body={res.body} />
            <Raw raw={res.raw} what="response" />
          </>
        ) : (
          <p className="ofl-message-waiting">Not answered yet: the request is still on its way.</p>
        )}
      </section>
      {jwts.length > 0 ? (
        <section className="ofl-message-side" aria-labelledby={jwtsId}>
          <h3 id={jwtsId}>
            {jwts.length === 1 ? 'The JWT' : `The ${jwts.length} JWTs`} in this exchange, decoded
          </h3>
          {jwts.map((j) => (
            <JwtView key={`${j.side} ${j.where}`} occurrence={j} keys={keys} now={now} />
          ))}
        </section>
      ) : null}
    </div>
  )
})

function statusClass(status: number): string {
  if (status < 300) return 'ok'
  if (status < 400) return 'redirect'
  return 'error'
}

/** A URL's query and fragment parameters as tables. */
function UrlParts({ target, side }: { target: UrlView; side: 'request' | 'redirect' }) {
  const at = side === 'redirect' ? ' of the redirect' : ''
  return (
    <>
      {target.query.length > 0 ? (
        <Fields
          title={`Query parameters${at}`}
          copyAs="params"
          kind="query"
          fields={target.query}
        />
      ) : null}
      {target.fragment.length > 0 ? (
        <Fields
          title={`Fragment parameters${at} (after #)`}
          copyAs="params"
          kind="query"
          fields={target.fragment}
        />
      ) : null}
    </>
  )
}

function asText(fields: readonly MessageField[], copyAs: 'params' | 'headers'): string {
  return fields
    .map((f) => (copyAs === 'headers' ? `${f.name}: ${f.value}` : `${f.name}=${f.value}`))
    .join('\n')
}

interface FieldsProps {
  title: string
  fields: readonly (MessageField | HeaderField)[]
  /** Copied as `name=value` lines (parameters) or `Name: value` lines (headers). */
  copyAs: 'params' | 'headers'
  /** Where the fields are, for their explanations. */
  kind: FieldKind
}

/** Name/value rows as a table, each value verbatim in `<code>`, with what it carries decoded. */
function Fields({ title, fields, copyAs, kind }: FieldsProps) {
  const headingId = useId()
  if (fields.length === 0) return null
  return (
    <div className="ofl-message-part">
      <div className="ofl-message-parthead">
        <h4 id={headingId}>{title}</h4>
        <CopyButton text={asText(fields, copyAs)} label="Copy" detail={title.toLowerCase()} />
      </div>
      <table className="ofl-message-table" aria-labelledby={headingId}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f, i) => (
            // Rows have no identity but their place: a name may repeat.
            <tr key={i}>
              <th scope="row">
                <FieldName kind={kind} name={f.name} />
              </th>
              <td>
                {f.value === '' ? (
                  <span className="ofl-message-empty">(empty)</span>
                ) : (
                  <code translate="no">{f.value}</code>
                )}
                {f.repeated ? <Note>sent more than once</Note> : null}
                {f.jwt ? <Note>a JWT: decoded below</Note> : null}
                {'authorization' in f && f.authorization ? (
                  <Authorization auth={f.authorization} />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Note({ children }: { children: ReactNode }) {
  return <span className="ofl-message-fieldnote">{children}</span>
}

const BASIC_PROBLEMS: Record<BasicProblem, string> = {
  'not-base64': 'not Base64',
  'no-colon': 'no colon between client_id and secret',
  'bad-percent-encoding': 'a broken percent-escape',
}

/** What an Authorization header carries: the Basic credentials decoded, or a Bearer token. */
function Authorization({ auth }: { auth: AuthorizationView }) {
  switch (auth.type) {
    case 'basic':
      return (
        <div className="ofl-message-decoded">
          <span className="ofl-message-fieldnote">
            HTTP Basic, decoded (Base64, then each part form-urlencoded):
          </span>
          <dl>
            <div>
              <dt>
                <FieldName kind="form" name="client_id" />
              </dt>
              <dd>
                <code translate="no">{auth.client_id}</code>
              </dd>
            </div>
            <div>
              <dt>
                <FieldName kind="form" name="client_secret" />
              </dt>
              <dd>
                {auth.client_secret === '' ? (
                  <span className="ofl-message-empty">(empty)</span>
                ) : (
                  <code translate="no">{auth.client_secret}</code>
                )}
              </dd>
            </div>
          </dl>
        </div>
      )
    case 'basic-invalid':
      return (
        <Note>
          HTTP Basic, but not valid credentials: {BASIC_PROBLEMS[auth.problem]}. The server answers{' '}
          <code translate="no">invalid_client</code>.
        </Note>
      )
    case 'bearer':
      return (
        <Note>
          A Bearer token (RFC 6750){auth.jwt ? ', a JWT: decoded below' : ': opaque to the client'}
        </Note>
      )
    default: {
      const never: never = auth
      return never
    }
  }
}

/** A body: form fields as a table, JSON pretty, an HTML page noted, anything else as sent. */
function Body({ body }: { body: BodyView }) {
  const headingId = useId()
  switch (body.type) {
    case 'empty':
      return null
    case 'form':
      return <Fields title="Form body" copyAs="params" kind="form" fields={body.fields} />
    case 'json':
    case 'text': {
      const text = body.type === 'json' ? body.pretty : body.text
      const title = body.type === 'json' ? 'Body (JSON)' : 'Body'
      return (
        <div className="ofl-message-part">
          <div className="ofl-message-parthead">
            <h4 id={headingId}>{title}</h4>
            <CopyButton text={text} label="Copy" detail="body" />
          </div>
          {body.type === 'text' && body.invalidJson ? (
            <p className="ofl-message-note">Not valid JSON: shown as it was sent.</p>
          ) : null}
          <pre className="ofl-message-body" translate="no" aria-labelledby={headingId}>
            {body.type === 'json' ? <JsonText pretty={body.pretty} /> : text}
          </pre>
        </div>
      )
    }
    case 'html':
      return (
        <div className="ofl-message-part">
          <h4>Body</h4>
          <p className="ofl-message-note">
            An HTML page{body.title ? <> titled “{body.title}”</> : null} ({body.length}{' '}
            characters): the Browser tab shows it, and the raw message below has its markup.
          </p>
        </div>
      )
    default: {
      const never: never = body
      return never
    }
  }
}

/** A top-level member's line of two-space JSON: its indent, its name as JSON, and the rest. */
const MEMBER = /^( {2})("(?:[^"\\]|\\.)*")(:.*)$/

/** Pretty JSON as sent, each top-level member's name explaining itself. */
function JsonText({ pretty }: { pretty: string }) {
  return pretty.split('\n').map((line, i) => {
    const m = MEMBER.exec(line)
    const name = m?.[2] ? (JSON.parse(m[2]) as unknown) : null
    // A line's place is its identity: the text is fixed for this body.
    return (
      <span key={i}>
        {i > 0 ? '\n' : null}
        {m && typeof name === 'string' ? (
          <>
            {m[1]}&quot;
            <FieldName kind="json" name={name} />
            &quot;{m[3]}
          </>
        ) : (
          line
        )}
      </span>
    )
  })
}

/** The message as raw HTTP/1.1 text, folded away, with its Copy. */
function Raw({ raw, what }: { raw: string; what: 'request' | 'response' }) {
  return (
    <div className="ofl-message-part">
      <details className="ofl-message-rawbox">
        <summary>Raw {what} (HTTP/1.1)</summary>
        <pre className="ofl-message-raw" translate="no">
          {raw}
        </pre>
      </details>
      <CopyButton text={raw} label="Copy" detail={`raw ${what}`} />
    </div>
  )
}
