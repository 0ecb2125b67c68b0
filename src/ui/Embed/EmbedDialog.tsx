/** The Embed dialog: the snippets for the step on screen. Loaded when it is first opened. */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { EMBED_HEIGHT, embedSnippets, type EmbedSnippets } from '../../flow/links/embedSnippets.ts'
import { EMBED_PANELS, PANEL_IDS, type PanelId } from '../../flow/panels.ts'
import { findScenarioInfo } from '../../flow/scenarios/catalog.ts'
import { useLab } from '../../store/index.ts'
import { copyText } from '../copyText.ts'
import './Embed.css'

const KINDS: { key: keyof EmbedSnippets; title: string; name: string; hint: string }[] = [
  {
    key: 'iframe',
    title: 'iframe',
    name: 'iframe code',
    hint: `Any page. The lab fills the iframe’s height (${EMBED_HEIGHT} pixels here; change it to taste).`,
  },
  {
    key: 'webComponent',
    title: 'Web component',
    name: 'web component code',
    hint: 'Any page, no iframe: the lab is an element of the page, styled on its own.',
  },
  {
    key: 'react',
    title: 'React or MDX',
    name: 'React code',
    hint: 'Install the package, then use the component in a React page or an MDX document.',
  },
]

/** The panes a reader can pick, named as the lab names them. */
const PANEL_NAMES: Record<PanelId, string> = {
  narration: 'Narration',
  diagram: 'Sequence diagram',
  message: 'Message',
  browser: 'Browser',
  state: 'State',
  log: 'Log',
}

/** Checkboxes for the panes the embed shows; the last one checked can't be unchecked. */
function PanelPicker({
  panels,
  onChange,
}: {
  panels: readonly PanelId[]
  onChange(panels: PanelId[]): void
}) {
  return (
    <fieldset className="ofl-embed-panels">
      <legend>Panes</legend>
      {PANEL_IDS.map((id) => {
        const checked = panels.includes(id)
        return (
          <label key={id}>
            <input
              type="checkbox"
              checked={checked}
              disabled={checked && panels.length === 1}
              onChange={(e) =>
                onChange(
                  PANEL_IDS.filter((p) => (p === id ? e.target.checked : panels.includes(p))),
                )
              }
            />
            {PANEL_NAMES[id]}
          </label>
        )
      })}
    </fieldset>
  )
}

const FOCUSABLE =
  'button:not([disabled]), textarea, [href], input, select, [tabindex]:not([tabindex="-1"])'

/** One snippet: read-only code and its own Copy button (or the code selected to copy by hand). */
function Snippet({
  title,
  name,
  hint,
  code,
}: {
  title: string
  name: string
  hint: string
  code: string
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle')
  const ref = useRef<HTMLTextAreaElement>(null)
  const titleId = useId()
  const hintId = useId()

  useEffect(() => {
    if (state !== 'copied') return
    const t = setTimeout(() => setState('idle'), 4000)
    return () => clearTimeout(t)
  }, [state])

  async function copy() {
    if (await copyText(code)) {
      setState('copied')
      return
    }
    setState('manual')
    ref.current?.focus()
    ref.current?.select()
  }

  return (
    <section className="ofl-embed-snippet" aria-labelledby={titleId}>
      <div className="ofl-embed-snippet-head">
        <h3 id={titleId}>{title}</h3>
        <span className="ofl-embed-copied" aria-live="polite" aria-atomic="true">
          {state === 'copied' ? 'Copied' : ''}
        </span>
        <button
          type="button"
          className="ofl-button"
          aria-label={`Copy ${name}`}
          onClick={() => void copy()}
        >
          Copy
        </button>
      </div>
      <p id={hintId} className="ofl-embed-hint">
        {state === 'manual'
          ? 'Copying is not allowed here. The code is selected: press Ctrl+C (⌘C on a Mac) to copy it.'
          : hint}
      </p>
      <textarea
        ref={ref}
        className="ofl-embed-code"
        readOnly
        value={code}
        rows={Math.min(14, code.split('\n').length)}
        spellCheck={false}
        autoCapitalize="off"
        aria-labelledby={titleId}
        aria-describedby={hintId}
      />
    </section>
  )
}

/** The dialog: the three snippets for the lab as it is on screen. */
export function EmbedDialog({ base, onClose }: { base: string; onClose(): void }) {
  const titleId = useId()
  const introId = useId()
  const ref = useRef<HTMLDivElement>(null)
  const downOnBackdrop = useRef(false)
  const { config, index, theme } = useLab(
    useShallow((s) => ({ config: s.config, index: s.index, theme: s.theme })),
  )
  const [panels, setPanels] = useState<readonly PanelId[]>(EMBED_PANELS)
  const snippets = useMemo(
    () => embedSnippets({ config, step: index, theme, base, panels }),
    [config, index, theme, base, panels],
  )
  const title = findScenarioInfo(config.scenario)?.title ?? config.scenario

  useEffect(() => {
    ref.current?.focus()
  }, [])

  // Modal: Tab stays inside, Escape closes, and no key reaches the lab's shortcuts behind it.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    e.stopPropagation()
    if (e.key === 'Escape') {
      e.preventDefault()
      onClose()
      return
    }
    if (e.key !== 'Tab' || !ref.current) return
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)]
    const first = items[0]
    const last = items.at(-1)
    if (!first || !last) return
    const active = document.activeElement
    if (e.shiftKey && (active === first || active === ref.current)) {
      e.preventDefault()
      last.focus()
    } else if (!e.shiftKey && active === last) {
      e.preventDefault()
      first.focus()
    }
  }

  return (
    <div
      className="ofl-embed-backdrop"
      onMouseDown={(e) => {
        // A press outside the dialog neither moves focus nor, if it ends there, stays open.
        downOnBackdrop.current = e.target === e.currentTarget
        if (downOnBackdrop.current) e.preventDefault()
      }}
      onClick={(e) => {
        if (downOnBackdrop.current && e.target === e.currentTarget) onClose()
        downOnBackdrop.current = false
      }}
    >
      <div
        ref={ref}
        className="ofl-embed-dialog ofl-panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={introId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <div className="ofl-embed-head">
          <h2 id={titleId}>Embed this step</h2>
          <button type="button" className="ofl-button ofl-embed-close" onClick={onClose}>
            Close
          </button>
        </div>
        <p id={introId} className="ofl-embed-intro">
          Paste one of these into a page. It opens <strong>{title}</strong> at step {index + 1},
          with these settings, the same seed and start time (so the same codes and tokens)
          {theme === 'system' ? '' : ` and the ${theme} theme`}, with compact controls and the panes
          checked below.
        </p>
        <PanelPicker panels={panels} onChange={setPanels} />
        {KINDS.map((k) => (
          <Snippet key={k.key} title={k.title} name={k.name} hint={k.hint} code={snippets[k.key]} />
        ))}
      </div>
    </div>
  )
}
