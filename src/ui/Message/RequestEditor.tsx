import {
  useEffect,
  useId,
  useRef,
  useState,
  type CSSProperties,
  type FormEvent,
  type KeyboardEvent,
} from 'react'
import {
  fromEditable,
  toEditable,
  type EditRow,
  type EditableRequest,
} from '../../flow/views/requestEdit.ts'
import type { HttpRequest } from '../../protocol/index.ts'
import './RequestEditor.css'

export interface RequestEditorProps {
  request: HttpRequest
  /** Sends the edited request (the flow goes back to it and follows the answer). */
  onSend: (edited: HttpRequest) => void
  onCancel: () => void
}

/** Edit and resend: a form over a request's query parameters, headers and body. */
export function RequestEditor({ request, onSend, onCancel }: RequestEditorProps) {
  const [model, setModel] = useState<EditableRequest>(() => toEditable(request))
  const headingId = useId()
  const first = useRef<HTMLFormElement>(null)

  useEffect(() => {
    first.current?.querySelector<HTMLElement>('input:not([readonly]), textarea')?.focus()
  }, [])

  function submit(e: FormEvent) {
    e.preventDefault()
    onSend(fromEditable(model))
  }

  function keyDown(e: KeyboardEvent) {
    if (e.key === 'Escape') {
      e.stopPropagation()
      onCancel()
    }
  }

  const body = model.body
  return (
    <form
      ref={first}
      className="ofl-editor"
      aria-labelledby={headingId}
      onSubmit={submit}
      onKeyDown={keyDown}
    >
      <h4 id={headingId} className="ofl-editor-title">
        Edit and resend
      </h4>
      <p className="ofl-editor-hint">
        The flow goes back to this request and sends your version instead; the server answers it for
        real. Back or Reset undoes it.
      </p>
      <div className="ofl-editor-line">
        <label className="ofl-editor-method">
          <span>Method</span>
          <input readOnly value={model.method} />
        </label>
        <label className="ofl-editor-url">
          <span>URL (without the query)</span>
          <input readOnly value={model.base} />
        </label>
      </div>
      <Rows
        legend="Query parameters"
        noun="query parameter"
        rows={model.query}
        onChange={(query) => setModel((m) => ({ ...m, query }))}
      />
      <Rows
        legend="Headers"
        noun="header"
        rows={model.headers}
        onChange={(headers) => setModel((m) => ({ ...m, headers }))}
      />
      {body.kind === 'form' ? (
        <Rows
          legend="Form body"
          noun="form field"
          rows={body.fields}
          onChange={(fields) => setModel((m) => ({ ...m, body: { kind: 'form', fields } }))}
        />
      ) : (
        <label className="ofl-editor-body">
          <span>Body</span>
          <textarea
            value={body.text}
            rows={Math.min(8, Math.max(2, body.text.split('\n').length + 1))}
            spellCheck={false}
            onChange={(e) =>
              setModel((m) => ({ ...m, body: { kind: 'text', text: e.target.value } }))
            }
          />
        </label>
      )}
      <div className="ofl-editor-actions">
        <button type="submit" className="ofl-button" data-primary="true">
          Send
        </button>
        <button type="button" className="ofl-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}

interface RowsProps {
  legend: string
  noun: string
  rows: EditRow[]
  onChange: (rows: EditRow[]) => void
}

/** Editable name/value rows, with add and remove. */
function Rows({ legend, noun, rows, onChange }: RowsProps) {
  const list = useRef<HTMLDivElement>(null)
  const [added, setAdded] = useState(false)

  useEffect(() => {
    if (!added) return
    setAdded(false)
    list.current?.querySelector<HTMLInputElement>('.ofl-editor-row:last-child input')?.focus()
  }, [added])

  // The name column fits the longest name (up to a share of the row), so a header name such as
  // Authorization is never cut; every row shares it, so names and values line up.
  const longest = rows.reduce((n, r) => Math.max(n, r.name.length), 0)
  const nameWidth = { '--ofl-editor-name-ch': Math.max(6, longest + 1) } as CSSProperties

  const set = (i: number, patch: Partial<EditRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)))

  return (
    <fieldset className="ofl-editor-rows">
      <legend>{legend}</legend>
      {rows.length === 0 ? <p className="ofl-editor-none">None.</p> : null}
      <div ref={list} className="ofl-editor-list" style={nameWidth}>
        {rows.map((r, i) => {
          const which = r.name || `${noun} ${i + 1}`
          return (
            // Rows have no identity but their place; editing a name must not remount the row.
            <div key={i} className="ofl-editor-row">
              <input
                className="ofl-editor-name"
                size={Math.max(6, r.name.length + 1)}
                aria-label={`Name of ${noun} ${i + 1}`}
                value={r.name}
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => set(i, { name: e.target.value })}
              />
              <input
                className="ofl-editor-value"
                aria-label={`Value of ${which}`}
                value={r.value}
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => set(i, { value: e.target.value })}
              />
              <button
                type="button"
                className="ofl-button ofl-editor-remove"
                aria-label={`Remove ${which}`}
                onClick={() => onChange(rows.filter((_, j) => j !== i))}
              >
                <span aria-hidden="true">×</span>
              </button>
            </div>
          )
        })}
      </div>
      <button
        type="button"
        className="ofl-button ofl-editor-add"
        onClick={() => {
          onChange([...rows, { name: '', value: '' }])
          setAdded(true)
        }}
      >
        Add a {noun}
      </button>
    </fieldset>
  )
}
