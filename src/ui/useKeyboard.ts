import { useEffect, type RefObject } from 'react'
import type { LabStore } from '../store/index.ts'

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT'])

/**
 * Keyboard shortcuts: ← Back, → Next, Space play/pause, Home first, End last; Page Up/Down for
 * clickers. On the whole document for the page, on the lab's own element for embeds.
 */
export function useKeyboard(store: LabStore, scope: 'document' | RefObject<HTMLElement | null>) {
  useEffect(() => {
    const target: HTMLElement | Document | null = scope === 'document' ? document : scope.current
    if (!target) return
    const onKey = (ev: Event) => {
      const e = ev as KeyboardEvent
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return
      const el = e.target as HTMLElement | null
      const tag = el?.tagName ?? ''
      if ((TYPING.has(tag) || el?.isContentEditable) && !isClickerKeyOnControl(e, el)) return
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
          // Space on a focused button presses that button.
          if (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY') return
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
 * A clicker's Page Down / Page Up step even when the speed list or the step scrubber has focus:
 * there they would change the speed or jump several steps, never what the presenter meant.
 * Text fields keep them.
 */
function isClickerKeyOnControl(e: KeyboardEvent, el: HTMLElement | null): boolean {
  if (e.key !== 'PageDown' && e.key !== 'PageUp') return false
  if (el instanceof HTMLSelectElement) return true
  return el instanceof HTMLInputElement && el.type === 'range'
}
