import { memo, useEffect, useId, useRef, useState } from 'react'
import type { ExportSource } from '../../flow/exports/index.ts'

/** The exports (HAR, JSON, Mermaid, SVG), loaded when first needed. */
const loadExports = () => import('../../flow/exports/index.ts')
import { useLab, useLabStore, type LabStore } from '../../store/index.ts'
import { copyText } from '../copyText.ts'
import './Exports.css'

/** What a button makes. */
export type ExportKind = 'har' | 'json' | 'mermaid' | 'svg'

type Made =
  | { type: 'download'; fileName: string; mimeType: string; text: string }
  | { type: 'copy'; what: string; text: string }

const BUTTONS: Record<ExportKind, string> = {
  har: 'Download HAR',
  json: 'Download JSON',
  mermaid: 'Copy Mermaid',
  svg: 'Download SVG',
}

/** What the learner sees, read from the store when the button is used (not on every step). */
function sourceOf(store: LabStore): ExportSource {
  const s = store.getState()
  return { config: s.resolved, steps: s.steps, index: s.index }
}

async function make(kind: ExportKind, source: ExportSource): Promise<Made> {
  // Loaded when a button is first used, so the exports do not weigh on the first load.
  const x = await loadExports()
  switch (kind) {
    case 'har':
      return {
        type: 'download',
        fileName: x.exportFileName(source, 'har'),
        mimeType: 'application/json',
        text: `${JSON.stringify(x.toHar(source), null, 2)}\n`,
      }
    case 'json':
      return {
        type: 'download',
        fileName: x.exportFileName(source, 'json'),
        mimeType: 'application/json',
        text: x.toExchangesJson(source),
      }
    case 'svg':
      return {
        type: 'download',
        fileName: x.exportFileName(source, 'svg'),
        mimeType: 'image/svg+xml',
        text: x.toSvg(source),
      }
    case 'mermaid':
      return { type: 'copy', what: 'Mermaid', text: x.toMermaid(source) }
    default: {
      const never: never = kind
      throw new Error(`unknown export ${String(never)}`)
    }
  }
}

/**
 * Saves text as a file: a Blob, an object URL and a temporary `<a download>` clicked inside the
 * lab (which may live in a shadow root), then the URL released once the download has it.
 */
function download(made: Extract<Made, { type: 'download' }>, near: HTMLElement) {
  const blob = new Blob([made.text], { type: `${made.mimeType};charset=utf-8` })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = made.fileName
  a.hidden = true
  near.append(a)
  try {
    a.click()
  } finally {
    a.remove()
    // Some browsers read the URL after click() returns: release it later, not at once.
    setTimeout(() => URL.revokeObjectURL(url), 30_000)
  }
}

export interface ExportBarProps {
  /** The group's accessible name: `Export the HTTP log`. */
  label: string
  kinds: readonly ExportKind[]
}

/**
 * Export buttons for a panel's header. Each makes its file from the step on screen when pressed;
 * the outcome is shown and announced, and where there is no clipboard the text is shown to copy.
 */
export function ExportBar({ label, kinds }: ExportBarProps) {
  const store = useLabStore()
  const ready = useLab((s) => s.steps.length > 0)
  const [busy, setBusy] = useState<ExportKind | null>(null)
  const [message, setMessage] = useState<{ text: string; tone: 'ok' | 'info' | 'error' } | null>(
    null,
  )
  const [manual, setManual] = useState<{ what: string; text: string; from: ExportKind } | null>(
    null,
  )
  const root = useRef<HTMLDivElement>(null)
  const textarea = useRef<HTMLTextAreaElement>(null)
  const buttons = useRef(new Map<ExportKind, HTMLButtonElement>())
  const manualId = useId()

  useEffect(() => {
    if (manual) textarea.current?.select()
  }, [manual])

  useEffect(() => {
    if (!message || message.tone !== 'ok') return
    const t = setTimeout(() => setMessage(null), 4000)
    return () => clearTimeout(t)
  }, [message])

  async function run(kind: ExportKind) {
    if (busy) return
    setBusy(kind)
    setMessage(null)
    try {
      const made = await make(kind, sourceOf(store))
      if (made.type === 'download') {
        if (!root.current) return
        download(made, root.current)
        setManual(null)
        setMessage({ text: `Saved ${made.fileName}`, tone: 'ok' })
      } else if (await copyText(made.text)) {
        setManual(null)
        setMessage({ text: `${made.what} copied to the clipboard`, tone: 'ok' })
      } else {
        setManual({ what: made.what, text: made.text, from: kind })
        setMessage({
          text: `The clipboard is not available: the ${made.what} text is shown below to copy.`,
          tone: 'info',
        })
      }
    } catch (e) {
      setMessage({
        text: `Could not export: ${e instanceof Error ? e.message : String(e)}`,
        tone: 'error',
      })
    } finally {
      setBusy(null)
    }
  }

  function closeManual() {
    const from = manual?.from
    setManual(null)
    setMessage(null)
    if (from) buttons.current.get(from)?.focus()
  }

  return (
    <div ref={root} className="ofl-export" data-open={manual ? 'true' : undefined}>
      <div className="ofl-export-bar" role="group" aria-label={label}>
        {kinds.map((kind) => (
          <button
            key={kind}
            ref={(el) => {
              if (el) buttons.current.set(kind, el)
              else buttons.current.delete(kind)
            }}
            type="button"
            className="ofl-button ofl-export-button"
            disabled={!ready}
            aria-busy={busy === kind || undefined}
            onClick={() => void run(kind)}
          >
            {BUTTONS[kind]}
          </button>
        ))}
      </div>
      <p
        className="ofl-export-status"
        data-tone={message?.tone}
        aria-live="polite"
        aria-atomic="true"
      >
        {message?.text ?? ''}
      </p>
      {manual ? (
        <div className="ofl-export-manual">
          <label htmlFor={manualId}>{manual.what}: select the text and copy it</label>
          <textarea
            id={manualId}
            ref={textarea}
            readOnly
            value={manual.text}
            rows={Math.min(10, manual.text.split('\n').length + 1)}
            spellCheck={false}
          />
          <button type="button" className="ofl-button" onClick={closeManual}>
            Close
          </button>
        </div>
      ) : null}
    </div>
  )
}

const LOG_KINDS: readonly ExportKind[] = ['har', 'json']
const DIAGRAM_KINDS: readonly ExportKind[] = ['mermaid', 'svg']

/** Download HAR and Download JSON, for the HTTP log's header (not re-rendered by each step). */
export const LogExports = memo(function LogExports() {
  return <ExportBar label="Export the HTTP log" kinds={LOG_KINDS} />
})

/** Copy Mermaid and Download SVG, for the sequence diagram's header (not re-rendered by each step). */
export const DiagramExports = memo(function DiagramExports() {
  return <ExportBar label="Export the sequence diagram" kinds={DIAGRAM_KINDS} />
})
