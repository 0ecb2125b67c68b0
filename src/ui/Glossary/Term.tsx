import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react'
import type { Explanation } from '../../flow/glossary/terms.ts'
import './Glossary.css'

export interface TermProps {
  /** What the popover says: the definition, who sets and checks it, the section. */
  explanation: Explanation
  /** The term as written where it appears. */
  children: ReactNode
  className?: string
}

/** Room kept between the popover and the window's edges, and between it and the term. */
const EDGE = 8
const GAP = 4
/** How long the pointer may take to cross from the term to its popover. */
const LEAVE_MS = 200

/**
 * A word that explains itself: a button with a dotted underline whose definition shows on hover,
 * focus or tap, in a small popover the button names with `aria-describedby` (so a screen reader
 * says it without opening anything). A click or Enter keeps it open and makes its RFC link the
 * next tab stop; a second one, Escape, a tap elsewhere or focus leaving closes it. All text
 * renders as text.
 */
export function Term({ explanation, children, className }: TermProps) {
  const textId = useId()
  const rolesId = useId()
  const wrap = useRef<HTMLSpanElement>(null)
  const button = useRef<HTMLButtonElement>(null)
  const pop = useRef<HTMLSpanElement>(null)
  const leave = useRef<ReturnType<typeof setTimeout> | null>(null)
  const [hover, setHover] = useState(false)
  const [focus, setFocus] = useState(false)
  const [pinned, setPinned] = useState(false)
  const open = hover || focus || pinned

  const close = () => {
    setHover(false)
    setFocus(false)
    setPinned(false)
  }
  const cancelLeave = () => {
    if (leave.current !== null) clearTimeout(leave.current)
    leave.current = null
  }
  useEffect(() => cancelLeave, [])

  // Fixed to the window, so no scroll box of the inspector clips it; kept inside the window.
  useLayoutEffect(() => {
    const el = pop.current
    if (!open || !el) return
    const place = () => {
      const b = button.current?.getBoundingClientRect()
      if (!b) return
      const width = document.documentElement.clientWidth || window.innerWidth
      const { offsetWidth: w, offsetHeight: h } = el
      const left = Math.max(EDGE, Math.min(b.left, width - w - EDGE))
      const fitsBelow = b.bottom + GAP + h <= window.innerHeight - EDGE
      const top = fitsBelow || b.top - GAP - h < EDGE ? b.bottom + GAP : b.top - GAP - h
      el.style.left = `${Math.round(left)}px`
      el.style.top = `${Math.round(top)}px`
    }
    place()
    window.addEventListener('scroll', place, true)
    window.addEventListener('resize', place)
    return () => {
      window.removeEventListener('scroll', place, true)
      window.removeEventListener('resize', place)
    }
  }, [open])

  // A tap or click anywhere else closes it (through a shadow root too: the event's path).
  useEffect(() => {
    if (!open) return
    const onDown = (e: PointerEvent) => {
      if (wrap.current && !e.composedPath().includes(wrap.current)) close()
    }
    document.addEventListener('pointerdown', onDown)
    return () => document.removeEventListener('pointerdown', onDown)
  }, [open])

  const { text, roles, href, source } = explanation
  return (
    <span
      ref={wrap}
      className={className ? `ofl-term ${className}` : 'ofl-term'}
      onMouseEnter={() => {
        cancelLeave()
        setHover(true)
      }}
      onMouseLeave={() => {
        cancelLeave()
        leave.current = setTimeout(() => setHover(false), LEAVE_MS)
      }}
      onFocus={() => setFocus(true)}
      onBlur={(e) => {
        if (!(e.relatedTarget instanceof Node && wrap.current?.contains(e.relatedTarget))) close()
      }}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || !open) return
        e.preventDefault()
        e.stopPropagation()
        // Focus back on the term first: its focus would open the popover again after close().
        button.current?.focus()
        close()
      }}
    >
      <button
        ref={button}
        type="button"
        className="ofl-term-button"
        aria-describedby={roles ? `${textId} ${rolesId}` : textId}
        onClick={() => (pinned ? close() : setPinned(true))}
      >
        {children}
      </button>
      <span ref={pop} className="ofl-term-pop" hidden={!open}>
        <span id={textId} className="ofl-term-text">
          {text}
        </span>
        {roles ? (
          <span id={rolesId} className="ofl-term-roles">
            {roles}
          </span>
        ) : null}
        {/* The link only while open: a closed term is three elements, as many words are. */}
        {open && href ? (
          <a
            className="ofl-term-link"
            href={href}
            target="_blank"
            rel="noopener noreferrer"
            // A tab stop once the popover is opened on purpose (a click, Enter), not on the way
            // past: Tab through a paragraph stops once per term.
            tabIndex={pinned ? undefined : -1}
          >
            {source}
            <span className="ofl-visually-hidden"> (opens in a new tab)</span>
          </a>
        ) : null}
      </span>
    </span>
  )
}
