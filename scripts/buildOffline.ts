/**
 * The offline build: the page (index.html, src/app/main.tsx) as ONE self-contained HTML file,
 * `${OFL_DIST ?? 'dist'}/oauth-flow-lab-offline.html`, for a classroom machine with no network:
 * opened from disk (file://), it needs nothing else. Everything is inlined — the code as one
 * module script (dynamic imports folded in), the CSS as a <style>, the favicon as a data: URI —
 * and the first step is in its root as HTML, which the page hydrates (scripts/prerender.ts).
 *
 * The build runs in memory (vite's `write: false`), so no intermediate folder is left behind, and
 * with its own config (not vite.config.ts), so the page build's options can change without
 * breaking this one. The script fails loudly if anything in the result still points at a file.
 *
 * Usage: tsx scripts/buildOffline.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { build, type Plugin, type Rolldown } from 'vite'
import { fillRoot, loadPrerender } from './prerender.ts'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const OUT_DIR = resolve(ROOT, process.env.OFL_DIST ?? 'dist')
const OUT_FILE = join(OUT_DIR, 'oauth-flow-lab-offline.html')
const FAVICON = join(ROOT, 'public', 'favicon.svg')

class OfflineBuildError extends Error {
  override name = 'OfflineBuildError'
}

const fail = (message: string): never => {
  throw new OfflineBuildError(message)
}

/**
 * Turns the app's own lazy imports (`import('./X.tsx')`) into static ones. Vite wraps every
 * dynamic import in its preload helper, which loads files next to the page by
 * `import.meta.url`; with none left there is nothing to fetch and no helper in the file.
 */
function staticImports(): Plugin {
  return {
    name: 'ofl:offline-static-imports',
    enforce: 'pre',
    transform(code, id) {
      if (!id.startsWith(join(ROOT, 'src') + '/') || !/\bimport\s*\(/.test(code)) return null
      const hoisted: string[] = []
      const out = code.replace(
        /\bimport\s*\(\s*(['"])(\.{1,2}\/[^'"]+)\1\s*\)/g,
        (_all, _q: string, spec: string) => {
          const name = `__oflOffline${hoisted.length}`
          hoisted.push(`import * as ${name} from ${JSON.stringify(spec)}`)
          return `Promise.resolve(${name})`
        },
      )
      return hoisted.length ? { code: `${hoisted.join('\n')}\n${out}`, map: null } : null
    },
  }
}

/** Builds the page in memory: one JS chunk, one CSS file, every asset inlined. */
async function buildInMemory(): Promise<Rolldown.RolldownOutput['output']> {
  const result = await build({
    configFile: false,
    root: ROOT,
    base: './',
    logLevel: 'warn',
    plugins: [staticImports(), react()],
    // public/ is not copied: the only file it has, the favicon, is inlined below.
    publicDir: false,
    build: {
      target: 'es2022',
      write: false,
      emptyOutDir: false,
      cssCodeSplit: false,
      // Inline every asset the code or the CSS imports, whatever its size.
      assetsInlineLimit: () => true,
      // The polyfill looks for <link rel="modulepreload">; there is none in one file.
      modulePreload: false,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 4096,
      rolldownOptions: {
        input: join(ROOT, 'index.html'),
        // One chunk: the lazily loaded parts (the request editor) are folded into it.
        output: { codeSplitting: false },
      },
    },
  })
  const outputs = Array.isArray(result) ? result : [result]
  if (outputs.length !== 1 || !('output' in outputs[0]!)) fail('expected one build output')
  return (outputs[0] as Rolldown.RolldownOutput).output
}

/**
 * Makes code safe inside <script>…</script>: the HTML parser ends the element at the first
 * `</script`, and after a `<!--` a later `<script` can stop it from ending at all. In a module,
 * both can only occur inside strings, template literals, regular expressions and comments, where
 * `\x3C` means `<` too.
 */
function escapeScript(code: string): string {
  return code.replace(/<(\/script|!--)/gi, '\\x3C$1')
}

/** Makes CSS safe inside <style>…</style>. */
function escapeStyle(css: string): string {
  if (/<\/style/i.test(css)) fail('the CSS contains "</style"')
  return css
}

/** A `$` in the replacement of String.replace is special; a function replacement is not. */
const literally = (text: string) => () => text

/** What in the HTML (outside the inlined code and CSS) still loads a file. */
function externalRefsInHtml(html: string): string[] {
  const found: string[] = []
  for (const m of html.matchAll(/<(script|link|img|iframe|source|embed)\b[^>]*>/gi)) {
    const tag = m[0]
    const ref = /\s(?:src|href)\s*=\s*["']?([^"'\s>]+)/i.exec(tag)?.[1]
    if (ref !== undefined && !ref.startsWith('data:')) found.push(tag)
  }
  return found
}

/** What in the CSS still loads a file: @import, or url() to anything but data: or a fragment. */
function externalRefsInCss(css: string): string[] {
  const found: string[] = []
  for (const m of css.matchAll(/@import[^;]*;?/gi)) found.push(m[0])
  for (const m of css.matchAll(/url\(\s*(["']?)([^"')]*)\1\s*\)/gi)) {
    const target = m[2] ?? ''
    if (!target.startsWith('data:') && !target.startsWith('#')) found.push(m[0])
  }
  return found
}

/** What in the code still loads a module or an asset at run time. */
function externalRefsInJs(code: string): string[] {
  const patterns: [RegExp, string][] = [
    [/\bimport\s*\(\s*["'`][./]/g, 'dynamic import of a file'],
    [/\bimport\.meta\.url\b/g, 'import.meta.url'],
    [/\bfetch\s*\(\s*["'`](?:\.{1,2}\/|\/(?!\/))/g, 'a fetch of a file'],
    [/\bnew\s+(?:Shared)?Worker\s*\(/g, 'a worker script'],
    [/["'`](?:\.\/|\/)?assets\/[^"'`]+["'`]/g, 'a built asset path'],
    [/__vitePreload\b/g, 'the module preload helper'],
  ]
  const found: string[] = []
  for (const [re, what] of patterns) {
    for (const m of code.matchAll(re)) {
      const at = m.index ?? 0
      found.push(`${what}: …${code.slice(Math.max(0, at - 80), at + 60)}…`)
    }
  }
  return found
}

async function main() {
  const started = performance.now()
  const output = await buildInMemory()
  const chunks = output.filter((o): o is Rolldown.OutputChunk => o.type === 'chunk')
  const assets = output.filter((o): o is Rolldown.OutputAsset => o.type === 'asset')
  const html = assets.find((a) => a.fileName === 'index.html')
  const css = assets.filter((a) => a.fileName.endsWith('.css'))
  const others = assets.filter((a) => a !== html && !css.includes(a))
  if (!html) fail('the build made no index.html')
  if (chunks.length !== 1)
    fail(`expected one JS chunk, got ${chunks.length}: ${chunks.map((c) => c.fileName).join(', ')}`)
  if (css.length > 1)
    fail(`expected at most one CSS file, got ${css.map((c) => c.fileName).join(', ')}`)
  if (others.length)
    fail(`assets left outside the file: ${others.map((a) => a.fileName).join(', ')}`)

  const chunk = chunks[0]!
  // (Without vite's chunk markers.)
  const styles = css.map((a) => String(a.source).replace(/\/\*\$vite\$:\d+\*\/\n?/g, '')).join('\n')
  const problems = [
    ...externalRefsInCss(styles).map((r) => `CSS: ${r}`),
    ...externalRefsInJs(chunk.code).map((r) => `JS: ${r}`),
  ]

  let page = String(html!.source)
  // Take out vite's <script src> and <link rel="stylesheet">; put the code and CSS back inline.
  const scriptTag = new RegExp(
    `<script\\b[^>]*\\ssrc="[^"]*${escapeRe(chunk.fileName)}"[^>]*>\\s*</script>`,
  )
  if (!scriptTag.test(page)) fail(`no <script> for ${chunk.fileName} in index.html`)
  page = page.replace(scriptTag, '')
  for (const a of css) {
    const linkTag = new RegExp(`<link\\b[^>]*\\shref="[^"]*${escapeRe(a.fileName)}"[^>]*>`)
    if (!linkTag.test(page)) fail(`no <link> for ${a.fileName} in index.html`)
    page = page.replace(linkTag, '')
  }
  const favicon = `data:image/svg+xml,${encodeURIComponent(readFileSync(FAVICON, 'utf8').trim())}`
  page = page.replace(/(<link\b[^>]*\brel="icon"[^>]*\bhref=")[^"]*(")/, `$1${favicon}$2`)
  // The lines the tags stood on (before any code goes in: its template literals keep theirs).
  page = page.replace(/\n[ \t]*(?=\n)/g, '')
  // The first step, as the file opened from disk renders it (no Embed).
  const prerender = await loadPrerender(ROOT)
  try {
    page = fillRoot(page, await prerender.page('offline'))
  } finally {
    await prerender.close()
  }
  problems.push(...externalRefsInHtml(page).map((r) => `HTML: ${r}`))
  if (problems.length) fail(`the offline file would still load files:\n  ${problems.join('\n  ')}`)

  // The style first, in <head>, so the first paint is styled; the module runs after parsing
  // (module scripts are deferred, inline ones too), when #root exists.
  if (!page.includes('</head>')) fail('index.html has no </head>')
  page = page.replace('</head>', literally(`<style>\n${escapeStyle(styles)}\n</style>\n  </head>`))
  if (!page.includes('</body>')) fail('index.html has no </body>')
  page = page.replace(
    '</body>',
    literally(`<script type="module">\n${escapeScript(chunk.code)}\n</script>\n  </body>`),
  )

  mkdirSync(OUT_DIR, { recursive: true })
  writeFileSync(OUT_FILE, page)
  const kb = (Buffer.byteLength(page) / 1024).toFixed(1)
  const ms = Math.round(performance.now() - started)
  console.log(
    `offline: ${relativeToRoot(OUT_FILE)}  ${kb} kB, one file, no external references (${ms} ms)`,
  )
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function relativeToRoot(path: string): string {
  return path.startsWith(ROOT + '/') ? path.slice(ROOT.length + 1) : path
}

try {
  await main()
} catch (e) {
  console.error(`offline build failed: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
}
