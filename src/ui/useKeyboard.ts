import { useEffect, type RefObject } from 'react'
import type { LabStore } from '../store/index.ts'

/** Input types that take no typed text: every other input (and a textarea) keeps all its keys. */
const NOT_TEXT = new Set([
  'button',
  'checkbox',
  'color',
  'file',
  'hidden',
  'image',
  'radio',
  'range',
  'reset',
  'submit',
])

/**
 * What the focused element does with keys:
 * - `text`: a person types there; the lab never takes a key from it.
 * - `choice`: a select or a range, whose arrows, Home and End would change its value — a speed, a
 *   scenario (which restarts the run) — never what a learner pressing → meant; the lab's keys win.
 * - `radio`: arrows move through its group (the platform's own way to pick one); the rest is the lab's.
 * - `other`: buttons, links, the lab's root, the page.
 */
function kindOf(el: Element | null): 'text' | 'choice' | 'radio' | 'other' {
  if (!(el instanceof HTMLElement)) return 'other'
  if (el.isContentEditable || el instanceof HTMLTextAreaElement) return 'text'
  if (el instanceof HTMLSelectElement) return 'choice'
  if (!(el instanceof HTMLInputElement)) return 'other'
  const type = el.type.toLowerCase()
  if (type === 'range') return 'choice'
  if (type === 'radio') return 'radio'
  return NOT_TEXT.has(type) ? 'other' : 'text'
}

/** Elements where Space is their own (press, toggle, open): the lab plays or pauses elsewhere. */
function ownsSpace(el: Element | null): boolean {
  if (!(el instanceof HTMLElement)) return false
  if (el instanceof HTMLButtonElement || el instanceof HTMLAnchorElement) return true
  if (el.tagName === 'SUMMARY' || el instanceof HTMLSelectElement) return true
  return el instanceof HTMLInputElement && el.type.toLowerCase() !== 'range'
}

/**
 * Keyboard shortcuts: ← Back, → Next, Space play/pause, Home first, End last; Page Up/Down for
 * clickers. On the whole document for the page, on the lab's own element for embeds. They never
 * take a key from a text field, and a select or a range never changes from one of them: a learner
 * who just picked a speed or a scenario and presses → means the next step.
 */
export function useKeyboard(store: LabStore, scope: 'document' | RefObject<HTMLElement | null>) {
  useEffect(() => {
    const target: HTMLElement | Document | null = scope === 'document' ? document : scope.current
    if (!target) return
    const onKey = (ev: Event) => {
      const e = ev as KeyboardEvent
      if (e.defaultPrevented || e.isComposing || e.altKey || e.ctrlKey || e.metaKey) return
      const el = e.target instanceof Element ? e.target : null
      const kind = kindOf(el)
      if (kind === 'text') return
      if (kind === 'radio' && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) return
      const s = store.getState()
      switch (e.key) {
        case 'ArrowRight':
        case 'PageDown':
          e.preventDefault()
          void s.next()
          break
        case 'ArrowLeft':
        case 'PageUp':
          e.preventDefault()
          s.back()
          break
        case ' ':
          if (ownsSpace(el)) return
          e.preventDefault()
          s.togglePlay()
          break
        case 'Home':
          e.preventDefault()
          s.first()
          break
        case 'End':
          e.preventDefault()
          void s.last()
          break
      }
    }
    target.addEventListener('keydown', onKey)
    return () => target.removeEventListener('keydown', onKey)
  }, [store, scope])
}

/**
 * Gives the keyboard back to the lab after a choice (a setting, a select): focus moves to the lab's
 * root, so ← and → step at once. The root takes focus from code only (`tabindex="-1"`, added here
 * where the lab did not render one): it never becomes a Tab stop.
 */
export function focusLab(from: Element | null): void {
  const root = from?.closest<HTMLElement>('.ofl-lab')
  if (!root) return
  if (!root.hasAttribute('tabindex')) root.tabIndex = -1
  root.focus({ preventScroll: true })
}
