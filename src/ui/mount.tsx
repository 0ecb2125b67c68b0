/**
 * How the page and the iframe page put their lab on screen: hydrating the prerendered first step
 * when it was rendered for the same first state (see `prerender.ts`), else rendering afresh.
 */
import { StrictMode, type ReactNode } from 'react'
import { createRoot, hydrateRoot, type Root } from 'react-dom/client'
import {
  PrerenderContext,
  claimPrerendered,
  prerenderIdPrefix,
  reportHydrationErrors,
} from './prerender.ts'

/**
 * Renders `lab` into `root`: hydrates the markup there if it was prerendered for `key` (the
 * page's first state, `prerenderKey`), else empties the root and renders. Returns which it did,
 * and the React root (to unmount).
 */
export function mountLab(
  root: HTMLElement,
  key: string,
  lab: ReactNode,
): { mode: 'hydrate' | 'render'; root: Root } {
  const form = claimPrerendered(root, key)
  if (form === null) {
    const rendered = createRoot(root)
    rendered.render(<StrictMode>{lab}</StrictMode>)
    return { mode: 'render', root: rendered }
  }
  const hydrated = hydrateRoot(
    root,
    <StrictMode>
      <PrerenderContext value={{ form }}>{lab}</PrerenderContext>
    </StrictMode>,
    { identifierPrefix: prerenderIdPrefix(form), ...reportHydrationErrors(root) },
  )
  return { mode: 'hydrate', root: hydrated }
}
