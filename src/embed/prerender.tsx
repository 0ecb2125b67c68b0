/**
 * Build time only (scripts/build.ts): the iframe page's first step for its default link (no
 * query), as HTML for embed.html's root, and the key frame.tsx compares with its own address.
 */
import { parseLabQuery } from '../flow/links/labUrl.ts'
import { prerenderKey } from '../ui/prerender.ts'
import { renderForms } from '../ui/renderMarkup.tsx'
import { EmbedLab } from './EmbedLab.tsx'

export async function prerenderFrame(): Promise<{ key: string; html: string }> {
  return {
    key: prerenderKey('embed', parseLabQuery('')),
    html: await renderForms(() => <EmbedLab query="" page />),
  }
}
