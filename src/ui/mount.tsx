/**
 * How the page and the iframe page put their lab on screen: hydrating the prerendered first step
 * when it was rendered for the same first state (see `prerender.ts`), else rendering afresh.
 */
import { StrictMode, type ReactNode } from 'react'
import { createRoot, hydrateRoot } from 'react-dom/client'
import {
  PrerenderContext,
  claimPrerendered,
  prerenderIdPrefix,
  reportHydrationErrors,
} from './prerender.ts'

/**
 * Renders `lab` into `root`: hydrates the markup there if it was prerendered for `key` (the
 * page's first state, `prerenderKey`), else empties the root and renders. Returns which it did.
 */
export function mountLab(root: HTMLElement, key: string, lab: ReactNode): 'hydrate' | 'render' {
  const form = claimPrerendered(root, key)
  if (form === null) {
    createRoot(root).render(<StrictMode>{lab}</StrictMode>)
    return 'render'
  }
  hydrateRoot(
    root,
    <StrictMode>
      <PrerenderContext value={{ form }}>{lab}</PrerenderContext>
    </StrictMode>,
    { identifierPrefix: prerenderIdPrefix(form), ...reportHydrationErrors(root) },
  )
  return 'hydrate'
}
