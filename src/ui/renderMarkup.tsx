/**
 * Build time only (scripts/build.ts): the markup of a page's first step, one lab per prerendered
 * form, for `mountLab` to hydrate. Never imported by the pages themselves.
 */
import { StrictMode, type ReactNode } from 'react'
import { prerender } from 'react-dom/static'
import { PRERENDERED_FORMS, PrerenderContext, prerenderIdPrefix } from './prerender.ts'

/**
 * Renders `lab()` once per form (wide, then narrow), each as the lab's first render in that form,
 * lazily loaded parts included; returns the markup of both, in that order.
 */
export async function renderForms(lab: () => ReactNode): Promise<string> {
  let html = ''
  for (const form of PRERENDERED_FORMS) {
    const { prelude } = await prerender(
      <StrictMode>
        <PrerenderContext value={{ form }}>{lab()}</PrerenderContext>
      </StrictMode>,
      {
        identifierPrefix: prerenderIdPrefix(form),
        // Every boundary inline, however large: no hidden copy revealed by an inline script
        // (a strict CSP refuses it, and without scripts it would never show).
        progressiveChunkSize: Number.POSITIVE_INFINITY,
      },
    )
    html += await new Response(prelude).text()
  }
  return html
}
