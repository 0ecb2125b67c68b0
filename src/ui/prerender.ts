/**
 * The first step as prerendered HTML: at build time the page and the iframe page render their
 * default link's first step into their root element (scripts/build.ts), once per form of the lab
 * (wide, then narrow; the stylesheet shows the one the viewport calls for), and mark the root with
 * what the markup was rendered for. In the browser, `claimPrerendered` keeps the markup when it
 * was rendered for the same first state the page is about to render — React then hydrates it —
 * and otherwise empties the root for a client render.
 *
 * The markup holds nothing that depends on the moment or the device: the world (and with it the
 * simulated clock, codes and tokens) loads after the first paint, and the lab's form comes from
 * `PrerenderContext`, not from the window, while hydrating.
 */
import { createContext } from 'react'
import type { LabLink } from '../flow/links/labUrl.ts'
import { formFor, type LabForm } from './useLabForm.ts'

/** On the root element: the key of what its markup was rendered for (`prerenderKey`). */
export const PRERENDER_ATTR = 'data-ofl-prerendered'
/** On the root element, from the page's script: `hydrate` or `render` (what it did). */
export const RENDER_ATTR = 'data-ofl-render'
/** On the root element: set to `mismatch` when React reports a hydration error. */
export const HYDRATION_ATTR = 'data-ofl-hydration'
/** Starts the console error a hydration mismatch is reported with (the e2e tests look for it). */
export const HYDRATION_MISMATCH = 'OFL_HYDRATION_MISMATCH'

/** The forms prerendered, in the order their markup stands in the root. */
export const PRERENDERED_FORMS: readonly LabForm[] = ['wide', 'narrow']

/** The prefix of `useId`'s ids in a form's markup: the two forms' ids never clash. */
export function prerenderIdPrefix(form: LabForm): string {
  return `ofl-${form}-`
}

/**
 * Present while the markup of a prerender is rendered (on the server) and while it is hydrated:
 * the lab takes this form before measuring its box, and renders its panes at once rather than
 * after the controls, as the markup has them.
 */
export const PrerenderContext = createContext<{ form: LabForm } | null>(null)

/**
 * What a page's first render depends on, from its address: which page it is (the offline file,
 * opened from disk, has no Embed), and everything the link says (the
 * scenario and settings, the step, the theme, the embed's controls, panels and height, and the
 * notice about what was ignored). Markup rendered for one key is only hydrated under the same.
 */
export function prerenderKey(page: 'page' | 'offline' | 'embed', link: LabLink): string {
  const { config, step, theme, controls, panels, height, notice } = link
  const sorted = Object.fromEntries(Object.entries(config).sort(([a], [b]) => a.localeCompare(b)))
  return JSON.stringify([page, sorted, step, theme, controls, panels, height, notice])
}

/**
 * Decides how the page renders into `root`: keeps the prerendered markup of the lab's form (the
 * window's width decides it, as the lab's own first guess does) and returns that form when the
 * markup was rendered for `key`; otherwise empties the root and returns null (render afresh).
 */
export function claimPrerendered(root: HTMLElement, key: string): LabForm | null {
  const rendered = root.getAttribute(PRERENDER_ATTR)
  root.removeAttribute(PRERENDER_ATTR)
  const children = Array.from(root.children)
  if (rendered !== key || children.length !== PRERENDERED_FORMS.length) {
    root.replaceChildren()
    root.setAttribute(RENDER_ATTR, 'render')
    return null
  }
  const form = formFor(window.innerWidth)
  children.forEach((child, i) => {
    if (PRERENDERED_FORMS[i] !== form) child.remove()
  })
  // Text between the two (none is written, but a proxy may add some) would not hydrate.
  for (const node of Array.from(root.childNodes)) if (node.nodeType !== 1) node.remove()
  root.setAttribute(RENDER_ATTR, 'hydrate')
  return form
}

/**
 * The root options that make a hydration mismatch visible to a test: React recovers from one by
 * rendering afresh, and reports it here; the root is marked and the console says so with
 * `HYDRATION_MISMATCH` first.
 */
export function reportHydrationErrors(root: HTMLElement): {
  onRecoverableError(error: unknown): void
} {
  return {
    onRecoverableError(error) {
      root.setAttribute(HYDRATION_ATTR, 'mismatch')
      const message = error instanceof Error ? error.message : String(error)
      const cause =
        error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : ''
      console.error(`${HYDRATION_MISMATCH}: ${message}${cause}`)
    },
  }
}
