import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type RefObject,
} from 'react'

/** Presentation mode as the lab's controls see it. */
export interface Presentation {
  presenting: boolean
  toggle(): void
  exit(): void
}

/** Set by the Lab; null where Controls are rendered without one (they then offer no Present). */
export const PresentationContext = createContext<Presentation | null>(null)

/** Presentation mode of the nearest Lab, or null outside one. */
export function usePresentationContext(): Presentation | null {
  return useContext(PresentationContext)
}

/** What the live region says on entering and leaving. */
export const PRESENTATION_MESSAGES = {
  entered:
    'Presentation mode: the stage in large type. Page Down: next step. Page Up: back. Escape leaves.',
  left: 'Presentation mode off.',
} as const

/** Marks the Present button, where focus goes when the focused element is hidden on entering. */
export const PRESENT_BUTTON_ATTR = 'data-ofl-present'

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT'])

/**
 * Whether `el` is the element in full screen. Inside a shadow root (the web component) the
 * document only names the host; the shadow root names the element itself.
 */
function isFullscreen(el: HTMLElement): boolean {
  const scope = el.getRootNode() as Document | ShadowRoot
  return (scope.fullscreenElement ?? document.fullscreenElement) === el
}

/**
 * Presentation mode for a lab: the root element goes full screen when the browser allows it, and
 * the layout shows only the stage either way (a refused request, e.g. in an iframe without
 * `allow="fullscreen"`, still fills the viewport or the frame). Leaving full screen (Esc, the
 * browser's own controls) leaves presentation mode. P toggles, Escape leaves, in the same scope
 * as the other shortcuts.
 */
export function usePresentation(
  root: RefObject<HTMLElement | null>,
  scope: 'document' | RefObject<HTMLElement | null>,
  /** The step on screen: each one is shown from the top of the stage. */
  step: number,
): Presentation & { message: string } {
  const [presenting, setPresenting] = useState(false)
  const [message, setMessage] = useState('')
  // Handlers read these, not the render's values: fullscreen events and keys arrive any time.
  const on = useRef(false)
  const wentFullscreen = useRef(false)
  const scrollY = useRef(0)

  const exit = useCallback(() => {
    if (!on.current) return
    on.current = false
    setPresenting(false)
    setMessage(PRESENTATION_MESSAGES.left)
    const el = root.current
    if (el && isFullscreen(el)) document.exitFullscreen().catch(() => ({}))
  }, [root])

  const enter = useCallback(() => {
    const el = root.current
    if (on.current || !el) return
    on.current = true
    wentFullscreen.current = false
    scrollY.current = window.scrollY
    setPresenting(true)
    setMessage(PRESENTATION_MESSAGES.entered)
    // Full screen is a bonus. Missing (old browsers, jsdom), refused (an iframe without
    // allow="fullscreen", no user gesture) or throwing, the layout alone fills the viewport.
    if (typeof el.requestFullscreen !== 'function' || document.fullscreenEnabled === false) return
    try {
      el.requestFullscreen({ navigationUI: 'hide' }).then(
        () => {
          if (!isFullscreen(el)) return
          // Left again before the browser got there.
          if (!on.current) document.exitFullscreen().catch(() => ({}))
          // Also here: a quick exit and re-entry may bring one fullscreenchange for both.
          else wentFullscreen.current = true
        },
        () => {},
      )
    } catch {
      // Some browsers throw instead of rejecting.
    }
  }, [root])

  const toggle = useCallback(() => (on.current ? exit() : enter()), [enter, exit])

  // Following full screen: leaving it by Esc or the browser's controls leaves presentation mode.
  useEffect(() => {
    const onChange = () => {
      const el = root.current
      if (el && isFullscreen(el)) {
        wentFullscreen.current = true
      } else if (on.current && wentFullscreen.current) {
        wentFullscreen.current = false
        exit()
      }
    }
    document.addEventListener('fullscreenchange', onChange)
    return () => document.removeEventListener('fullscreenchange', onChange)
  }, [root, exit])

  // P toggles, Escape leaves (without full screen, Esc reaches the page).
  useEffect(() => {
    const target: HTMLElement | Document | null = scope === 'document' ? document : scope.current
    if (!target) return
    const onKey = (ev: Event) => {
      const e = ev as KeyboardEvent
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return
      if (e.key === 'Escape') {
        if (!on.current) return
        e.preventDefault()
        exit()
        return
      }
      if (e.key !== 'p' && e.key !== 'P') return
      const el = e.target as HTMLElement | null
      if (TYPING.has(el?.tagName ?? '') || el?.isContentEditable) return
      e.preventDefault()
      toggle()
    }
    target.addEventListener('keydown', onKey)
    return () => target.removeEventListener('keydown', onKey)
  }, [scope, toggle, exit])

  useLayoutEffect(() => {
    const el = root.current
    if (!el) return
    if (presenting) {
      // Keys must keep reaching the lab: if the focused element is now hidden (a panel off the
      // stage) or outside the lab, focus goes to the Present button.
      const active = (el.getRootNode() as Document | ShadowRoot).activeElement
      const shown =
        active instanceof HTMLElement && el.contains(active) && active.getClientRects().length > 0
      if (!shown)
        el.querySelector<HTMLElement>(`[${PRESENT_BUTTON_ATTR}]`)?.focus({ preventScroll: true })
    } else if (scrollY.current > 0) {
      // The page was as short as the viewport while the lab was fixed on top of it.
      window.scrollTo({ top: scrollY.current, behavior: 'instant' })
      scrollY.current = 0
    }
  }, [root, presenting])

  // A long narration scrolled earlier must not hide the next step's title.
  useLayoutEffect(() => {
    const el = root.current
    if (presenting && el) el.scrollTop = 0
  }, [root, presenting, step])

  // Unmounted while presenting: leave full screen too.
  useEffect(() => {
    const el = root.current
    return () => {
      if (el && isFullscreen(el)) document.exitFullscreen().catch(() => ({}))
    }
  }, [root])

  return useMemo(() => ({ presenting, toggle, exit, message }), [presenting, toggle, exit, message])
}
