/**
 * Build time only (scripts/build.ts): the page's first step for its default link (no query), as
 * HTML for index.html's root, and the key main.tsx compares with its own address.
 */
import { parseLabQuery } from '../flow/links/labUrl.ts'
import { prerenderKey } from '../ui/prerender.ts'
import { renderForms } from '../ui/renderMarkup.tsx'
import { App } from './App.tsx'
import { storeForQuery } from './store.ts'

export async function prerenderPage(): Promise<{ key: string; html: string }> {
  return {
    key: prerenderKey('page', parseLabQuery('')),
    html: await renderForms(() => <App store={storeForQuery('')} />),
  }
}
