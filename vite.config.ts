import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vitest/config'
import react from '@vitejs/plugin-react'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/**
 * `vite dev` serves the built-only scripts of the demo page (public/demo.html) from source: the web
 * component and the React demo. (`npm run build` makes the real files; see scripts/build.ts.)
 */
function devEmbedScripts(): Plugin {
  const map: Record<string, string> = {
    '/oauth-flow-lab.js': '/src/embed/element.ts',
    '/demo-react.js': '/src/embed/demoReact.tsx',
  }
  return {
    name: 'ofl:dev-embed-scripts',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = req.url?.split('?')[0] ?? ''
        const to = map[path]
        if (to) req.url = to
        if (path !== '/demo.html') return next()
        // Through Vite's HTML transform, which adds what React's hot reload needs.
        readFile(here('./public/demo.html'), 'utf8')
          .then((html) => server.transformIndexHtml(path, html))
          .then((html) => {
            res.setHeader('Content-Type', 'text/html')
            res.end(html)
          })
          .catch(next)
      })
    },
  }
}

/**
 * The modules the simulated world is made of, by folder: jose, the protocol (but the state's
 * shape, the HTTP helpers and the types, which the first step reads), src/flow's engine/ and
 * narration/, and the words the narration tells with: the scenarios' and the clock's
 * (views/time.ts). Loaded on demand, after the first step shows, as one file rather than the seven
 * rolldown would otherwise cut them into (fewer requests, and gzip sees them together). Not in it:
 * what one pane alone needs (the Message pane's model and field glossary load with that pane, the
 * State pane's rows with it) and each scenario's story (its own small file, loaded when that
 * scenario runs): the world is on every reader's path, and they are not.
 * What src/flow has elsewhere (views/, links/, exports/, the scenarios' info) is light: the page
 * reads it first, or a pane loads it.
 */
const WORLD_MODULE =
  /[\\/]node_modules[\\/]jose[\\/]|[\\/]src[\\/](protocol[\\/](?!(state|http|types|records)\.ts$)|flow[\\/]((engine|narration)[\\/]|views[\\/]time\.ts$|index\.ts$|scenarios[\\/](index|helpers|lure|[^\\/]+[\\/]words)\.ts$))/
export function inWorld(id: string): boolean {
  return WORLD_MODULE.test(id)
}

/**
 * Everything the page and the iframe page both need for the first step (React, zustand, the
 * lab's views, the store and the light modules): one file, fetched with the page's own entry,
 * rather than the five small ones rolldown would cut. The page's header tools stay in its entry.
 */
export function inLab(id: string): boolean {
  if (
    inWorld(id) ||
    /[\\/]src[\\/](app|embed)[\\/]|[\\/]src[\\/](store[\\/]engine|flow[\\/]scenarios[\\/][^\\/]+[\\/]story)\.ts$/.test(
      id,
    )
  )
    return false
  if (
    /[\\/]src[\\/]ui[\\/](ScenarioPicker|Settings|Share|Embed|HttpLog|StatePanel|MockBrowser|Clock)[\\/]/.test(
      id,
    )
  )
    return false
  // What loads on demand stays on its own: the message view, its model, field glossary, actions and
  // editor, the exports, the embed snippets, the Browser pane's page model and the State pane's view.
  if (
    /[\\/]src[\\/](ui[\\/]Message[\\/](Message|MessageActions|JwtView|RequestEditor|FieldName)\.|flow[\\/](exports[\\/]|links[\\/]embedSnippets\.|glossary[\\/]fields\.|views[\\/](message|jwt|curl|requestEdit|browser|state)\.))/.test(
      id,
    )
  )
    return false
  return /[\\/]node_modules[\\/]|[\\/]src[\\/]/.test(id) || id.startsWith('\0')
}

/**
 * The project's two pages (the page and the iframe page, embed.html), only when the project itself
 * is built: the bench builds its floor page with this same config from another folder.
 */
function projectPages(): Plugin {
  return {
    name: 'ofl:project-pages',
    config(config) {
      if (resolve(config.root ?? process.cwd()) !== here('.').replace(/\/$/, '')) return
      return {
        build: {
          rolldownOptions: {
            input: { index: here('./index.html'), embed: here('./embed.html') },
            output: {
              codeSplitting: {
                groups: [
                  { name: 'world', test: inWorld, priority: 2 },
                  { name: 'lab', test: inLab, priority: 1 },
                ],
                // The world's modules only: the light ones it uses stay with the page.
                includeDependenciesRecursively: false,
              },
            },
          },
        },
      }
    },
  }
}

export default defineConfig(({ command }) => ({
  plugins: [react(), devEmbedScripts(), projectPages()],
  // Relative URLs: the page, embed.html and the demo work from any folder of any host.
  base: './',
  // In dev the React demo imports the package by name from source; the build uses dist/lib.
  resolve:
    command === 'serve'
      ? {
          alias: [
            { find: /^oauth-flow-lab\/react$/, replacement: here('./src/react.ts') },
            { find: /^oauth-flow-lab$/, replacement: here('./src/index.ts') },
          ],
        }
      : undefined,
  build: {
    target: 'es2022',
    // Several builds (and helpers) may run at once: each with its own folder.
    outDir: process.env.OFL_DIST ?? 'dist',
  },
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    // One fixed fast-check seed for every property, printed with any failure.
    setupFiles: ['test/setup/fastCheck.ts'],
    // Component tests render the whole lab with real crypto: on a loaded machine one can take
    // several seconds, which is not a failure.
    testTimeout: 20_000,
  },
}))
