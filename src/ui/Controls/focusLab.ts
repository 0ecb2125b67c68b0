/**
 * Gives the keyboard back to the lab after a choice in a select (a chapter, a scenario), so ← and
 * → step through the run again instead of changing the select. The lab's root takes focus without
 * joining the tab order: an embed's root has tabindex -1 already; the page's gets it here.
 */
export function focusLabRoot(from: Element | null): void {
  const root = from?.closest<HTMLElement>('.ofl-lab')
  if (!root) return
  if (!root.hasAttribute('tabindex')) root.tabIndex = -1
  root.focus({ preventScroll: true })
}
