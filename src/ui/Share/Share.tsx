import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { useLab, useLabStore } from '../../store/index.ts'
import { copyText } from '../copyText.ts'
import { stepLink } from './stepLink.ts'
import './Share.css'

/** How long “Link copied” stays on screen. */
const CONFIRM_MS = 5000

export interface ShareProps {
  /** The page address the link starts from (default: the page's own, read when shared). */
  href?: () => string
}

/**
 * Copies the link to the step on screen. Where the clipboard is not available or refuses, shows
 * the link selected in a read-only field to copy by hand.
 */
export function Share({ href = () => location.href }: ShareProps) {
  const store = useLabStore()
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle')
  const buttonRef = useRef<HTMLButtonElement>(null)
  const fieldRef = useRef<HTMLInputElement>(null)
  const rootRef = useRef<HTMLDivElement>(null)
  const panelId = useId()
  const labelId = useId()
  const hintId = useId()
  // The step or settings changing makes the link on screen (or just copied) another one.
  const where = useLab(useShallow((s) => ({ config: s.config, index: s.index })))
  const manualLink = state === 'manual' ? stepLink(where, href()) : ''

  useEffect(() => {
    if (state !== 'copied') return
    const t = setTimeout(() => setState('idle'), CONFIRM_MS)
    return () => clearTimeout(t)
  }, [state])

  useEffect(() => {
    setState((s) => (s === 'copied' ? 'idle' : s))
  }, [where])

  useEffect(() => {
    if (state !== 'manual') return
    fieldRef.current?.focus()
    fieldRef.current?.select()
    const onDown = (e: PointerEvent) => {
      if (rootRef.current && e.target instanceof Node && !rootRef.current.contains(e.target))
        setState('idle')
    }
    document.addEventListener('pointerdown', onDown)
    return () => document.removeEventListener('pointerdown', onDown)
  }, [state])

  async function share() {
    const link = stepLink(store.getState(), href())
    setState((await copyText(link)) ? 'copied' : 'manual')
  }

  const close = () => {
    setState('idle')
    buttonRef.current?.focus()
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape' && state === 'manual') {
      e.preventDefault()
      e.stopPropagation()
      close()
    }
  }

  return (
    <div className="ofl-share" ref={rootRef} onKeyDown={onKeyDown}>
      <button
        ref={buttonRef}
        type="button"
        className="ofl-button ofl-share-button"
        title="Copy a link to this step"
        aria-expanded={state === 'manual'}
        aria-controls={panelId}
        onClick={() => void share()}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
          <path
            fill="none"
            stroke="currentColor"
            strokeWidth="2.2"
            strokeLinecap="round"
            d="M10 14a4.5 4.5 0 0 0 6.4 0l3-3a4.5 4.5 0 0 0-6.4-6.4l-1 1M14 10a4.5 4.5 0 0 0-6.4 0l-3 3a4.5 4.5 0 0 0 6.4 6.4l1-1"
          />
        </svg>
        <span className="ofl-share-text">Share</span>
      </button>
      <span className="ofl-share-status" aria-live="polite" aria-atomic="true">
        {state === 'copied' ? 'Link copied' : ''}
      </span>
      <div
        id={panelId}
        className="ofl-share-manual ofl-panel"
        role="group"
        aria-labelledby={labelId}
        hidden={state !== 'manual'}
      >
        {state === 'manual' ? (
          <>
            <label id={labelId} className="ofl-share-label" htmlFor={`${panelId}-field`}>
              Link to this step
            </label>
            <p id={hintId} className="ofl-share-hint">
              Copying is not allowed here. The link is selected: press Ctrl+C (⌘C on a Mac) to copy
              it.
            </p>
            <input
              ref={fieldRef}
              id={`${panelId}-field`}
              className="ofl-share-field"
              readOnly
              value={manualLink}
              spellCheck={false}
              aria-describedby={hintId}
              onFocus={(e) => e.currentTarget.select()}
            />
            <button type="button" className="ofl-button ofl-share-close" onClick={close}>
              Close
            </button>
          </>
        ) : null}
      </div>
    </div>
  )
}
