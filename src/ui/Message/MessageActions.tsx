import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { toCurl } from '../../flow/views/curl.ts'
import type { Exchange, HttpRequest } from '../../protocol/index.ts'
import { useLab, useLabStore } from '../../store/index.ts'
import { copyText } from '../copyText.ts'
import { RequestEditor } from './RequestEditor.tsx'

export interface CopyButtonProps {
  /** What is copied. */
  text: string
  /** The button's visible words ("Copy", "Copy as curl"). */
  label: string
  /** Added to the accessible name after the label: "query parameters" makes "Copy query parameters". */
  detail?: string
  /** What the manual fallback asks to select: "command", "text". */
  noun?: string
}

/** Copies a text; where there is no clipboard, shows it to select. */
export function CopyButton({ text, label, detail, noun = 'text' }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle')
  const textarea = useRef<HTMLTextAreaElement>(null)

  useEffect(() => {
    if (state === 'manual') textarea.current?.select()
    if (state !== 'copied') return
    const t = setTimeout(() => setState('idle'), 2500)
    return () => clearTimeout(t)
  }, [state])

  async function copy() {
    setState((await copyText(text)) ? 'copied' : 'manual')
  }

  return (
    <div className="ofl-copy">
      {/* The name starts with the visible words, so voice control users can say them. */}
      <button
        type="button"
        className="ofl-button"
        aria-label={detail ? `${label} ${detail}` : undefined}
        onClick={() => void copy()}
      >
        {label}
      </button>
      <span className="ofl-copy-done" role="status">
        {state === 'copied' ? 'Copied' : ''}
      </span>
      {state === 'manual' ? (
        <label className="ofl-copy-manual">
          <span>The clipboard is not available here: select the {noun} and copy it.</span>
          <textarea
            ref={textarea}
            readOnly
            value={text}
            rows={Math.min(8, text.split('\n').length + 1)}
            spellCheck={false}
            translate="no"
          />
        </label>
      ) : null}
    </div>
  )
}

/** Copies the request as a curl command. */
export function CopyCurl({ request }: { request: HttpRequest }) {
  const command = useMemo(() => toCurl(request), [request])
  return <CopyButton text={command} label="Copy as curl" noun="command" />
}

/** Edit and resend (opens the editor) and Replay (sends the request again now). */
export function EditActions({ exchange }: { exchange: Exchange }) {
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
    <div className="ofl-message-edit">
      <div className="ofl-message-editbar">
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
            <span id={hintId} className="ofl-message-edithint">
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
