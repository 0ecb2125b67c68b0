/**
 * Build time only (scripts/build.ts, scripts/buildOffline.ts): the page's first step for its
 * default link (no query), as HTML for the root of index.html (`page`) or of the offline file
 * (`offline`: opened from disk, it has no Embed), and the key main.tsx compares with its own.
 */
import { parseLabQuery } from '../flow/links/labUrl.ts'
import { prerenderKey } from '../ui/prerender.ts'
import { renderForms } from '../ui/renderMarkup.tsx'
import { App } from './App.tsx'
import { storeForQuery } from './store.ts'

export async function prerenderPage(
  page: 'page' | 'offline' = 'page',
): Promise<{ key: string; html: string }> {
  return {
    key: prerenderKey(page, parseLabQuery('')),
    html: await renderForms(() => <App store={storeForQuery('')} offline={page === 'offline'} />),
  }
}
