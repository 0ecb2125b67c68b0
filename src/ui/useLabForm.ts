import { useLayoutEffect, useState, type RefObject } from 'react'

/** The lab's two forms: wide (the diagram beside the inspector) or narrow (one pane, tabs). */
export type LabForm = 'wide' | 'narrow'

/** Widths from this up get the wide form: the diagram's four lanes and the inspector side by side. */
export const WIDE_FROM = 900

/** The form for a width in CSS pixels. */
export function formFor(width: number): LabForm {
  return width >= WIDE_FROM ? 'wide' : 'narrow'
}

/**
 * The form of the lab's own box (an embed in a docs column is narrow on a wide screen), followed
 * as the box is resized. Before the box is measured, `initial` decides (the form of the markup being
 * rendered on a server or hydrated), else the window's width; without a window, wide.
 */
export function useLabForm(root: RefObject<HTMLElement | null>, initial?: LabForm): LabForm {
  const [form, setForm] = useState<LabForm>(
    () => initial ?? (typeof window === 'undefined' ? 'wide' : formFor(window.innerWidth)),
  )
  useLayoutEffect(() => {
    const el = root.current
    if (!el) return
    // A box with no width is not laid out (hidden, or no layout engine at all): keep the guess.
    const follow = (width: number) => {
      if (width > 0) setForm(formFor(width))
    }
    follow(el.getBoundingClientRect().width)
    if (typeof ResizeObserver !== 'function') return
    const observer = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.borderBoxSize?.[0]
      follow(box ? box.inlineSize : el.getBoundingClientRect().width)
    })
    observer.observe(el)
    return () => observer.disconnect()
  }, [root])
  return form
}
