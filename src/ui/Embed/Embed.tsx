import { lazy, Suspense, useRef, useState } from 'react'
import './Embed.css'

/** The dialog, loaded when first opened: the button is all the page needs at first. */
const EmbedDialog = lazy(() =>
  import('./EmbedDialog.tsx').then((m) => ({ default: m.EmbedDialog })),
)

export interface EmbedProps {
  /** Where the lab is published, ending in `/` (default: the page's own folder, read on open). */
  base?: () => string
}

/** The Embed button and its dialog of snippets (iframe, web component, React). */
export function Embed({ base = () => new URL('.', location.href).href }: EmbedProps) {
  const [open, setOpen] = useState<string | null>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const close = () => {
    setOpen(null)
    buttonRef.current?.focus()
  }
  return (
    <div className="ofl-embed">
      <button
        ref={buttonRef}
        type="button"
        className="ofl-button ofl-embed-button"
        title="Embed this step in another page"
        aria-haspopup="dialog"
        aria-expanded={open !== null}
        onClick={() => setOpen(base())}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
          <path
            fill="none"
            stroke="currentColor"
            strokeWidth="2.2"
            strokeLinecap="round"
            strokeLinejoin="round"
            d="M8 7l-5 5 5 5M16 7l5 5-5 5M13.5 5l-3 14"
          />
        </svg>
        <span className="ofl-embed-text">Embed</span>
      </button>
      {open !== null ? (
        <Suspense fallback={null}>
          <EmbedDialog base={open} onClose={close} />
        </Suspense>
      ) : null}
    </div>
  )
}
