/**
 * The first step as HTML for the built pages (see src/ui/prerender.ts): renders the prerender
 * modules through Vite's SSR loader (TypeScript, JSX and CSS imports as in the build) and puts the
 * markup into a page's empty root, marked with the key of what it was rendered for. Only the
 * build imports this: the pages' own module graph has neither it nor react-dom/static.
 */
import react from '@vitejs/plugin-react'
import { createServer } from 'vite'
import type { prerenderPage } from '../src/app/prerender.tsx'
import type { prerenderFrame } from '../src/embed/prerender.tsx'
import { PRERENDER_ATTR } from '../src/ui/prerender.ts'

export interface Prerendered {
  key: string
  html: string
}

/** The prerender modules, loaded for Node; `close()` when done. */
export async function loadPrerender(root: string) {
  const server = await createServer({
    configFile: false,
    root,
    logLevel: 'warn',
    plugins: [react()],
    appType: 'custom',
    publicDir: false,
    // Nothing to pre-bundle: Node loads the dependencies as they are.
    optimizeDeps: { noDiscovery: true },
    server: { middlewareMode: true, hmr: false, ws: false },
  })
  const page = (await server.ssrLoadModule('/src/app/prerender.tsx')) as {
    prerenderPage: typeof prerenderPage
  }
  const frame = (await server.ssrLoadModule('/src/embed/prerender.tsx')) as {
    prerenderFrame: typeof prerenderFrame
  }
  return {
    page: page.prerenderPage,
    frame: frame.prerenderFrame,
    close: () => server.close(),
  }
}

/** `html` with the prerendered markup in its one empty `<div id="root"></div>`. */
export function fillRoot(html: string, { key, html: markup }: Prerendered): string {
  const empty = '<div id="root"></div>'
  if (html.split(empty).length !== 2) throw new Error(`expected one empty ${empty}`)
  // The pages' CSP refuses inline scripts and styles: the markup must need neither.
  const inline = /<script\b|<style\b|\sstyle="/i.exec(markup)
  if (inline) throw new Error(`the prerendered markup has ${inline[0].trim()}`)
  const attr = key.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
  const root = `<div id="root" ${PRERENDER_ATTR}="${attr}">${markup}</div>`
  return html.replace(empty, () => root)
}
