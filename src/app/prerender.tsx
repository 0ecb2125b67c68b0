/**
 * Build time only (scripts/build.ts, scripts/buildOffline.ts): the page's first step for its
 * default link (no query), as HTML for the root of index.html (`page`) or of the offline file
 * (`offline`: opened from disk, it has no Embed), and the key main.tsx compares with its own.
 */
import { parseLabQuery } from '../flow/links/labUrl.ts'
import { prerenderKey } from '../ui/prerender.ts'
import { renderForms } from '../ui/renderMarkup.tsx'
import { App } from './App.tsx'
import type { LabStore } from '../store/labStore.ts'
import { storeForQuery } from './store.ts'

export async function prerenderPage(
  page: 'page' | 'offline' = 'page',
): Promise<{ key: string; html: string }> {
  const stores: LabStore[] = []
  const html = await renderForms(() => {
    const store = storeForQuery('')
    stores.push(store)
    return <App store={store} offline={page === 'offline'} />
  })
  // Only their first state was wanted: the world they would load and the key they would make are not.
  for (const store of stores) store.dispose()
  return { key: prerenderKey(page, parseLabQuery('')), html }
}
