/**
 * `npm run build`: everything that ships, into `$OFL_DIST` (default `dist/`).
 *
 * | output | what |
 * | --- | --- |
 * | `index.html`, `embed.html`, `assets/` | the page and the iframe page (vite.config.ts), with their default link's first step prerendered into their root |
 * | `demo.html`, `demo.js` | the demo of the three ways to embed (copied from public/) |
 * | `oauth-flow-lab.js` | the web component: one self-contained ES module, React included |
 * | `lib/index.js`, `lib/react.js`, `lib/types/` | the library: `import { createLab } from 'oauth-flow-lab'` (headless, no React) and `import { OAuthFlowLab } from 'oauth-flow-lab/react'`, React external, the shared code in `lib/chunks/` |
 * | `demo-react.js` | the demo's React part, built against `lib/react.js` |
 *
 * (The offline single-file page, scripts/buildOffline.ts, runs after this one.)
 *
 * Usage: tsx scripts/build.ts
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import react from '@vitejs/plugin-react'
import { build, type InlineConfig, type Plugin } from 'vite'
import { fillRoot, loadPrerender } from './prerender.ts'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = resolve(ROOT, process.env.OFL_DIST ?? 'dist')
const STYLES = join(ROOT, 'src/embed/styles.ts')
const PREFIX = '\0ofl-css:'
const SUFFIX = ':as-text'

/**
 * For the builds that render into a shadow root: every CSS import of the lab becomes
 * `addCss(text)` (src/embed/styles.ts) instead of a stylesheet in the document's head, in the
 * same order, so the cascade is the page's.
 */
function cssAsText(): Plugin {
  return {
    name: 'ofl:css-as-text',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!importer || importer.startsWith(PREFIX) || !/\.css$/.test(source)) return null
      const resolved = await this.resolve(source, importer, { skipSelf: true })
      // Not ending in .css, or Vite's CSS plugin would take the module for a stylesheet.
      return resolved ? `${PREFIX}${resolved.id}${SUFFIX}` : null
    },
    load(id) {
      if (!id.startsWith(PREFIX) || !id.endsWith(SUFFIX)) return null
      const file = id.slice(PREFIX.length, -SUFFIX.length)
      return [
        `import css from ${JSON.stringify(`${file}?inline`)}`,
        `import { addCss } from ${JSON.stringify(STYLES)}`,
        'addCss(css)',
      ].join('\n')
    },
  }
}

/** A build of one ES module (dynamic imports folded in) into `outDir`. */
function moduleBuild(
  entry: string,
  outDir: string,
  fileName: string,
  extra: InlineConfig = {},
): InlineConfig {
  return {
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    publicDir: false,
    ...extra,
    plugins: [react(), ...(extra.plugins ?? [])],
    build: {
      target: 'es2022',
      outDir,
      emptyOutDir: false,
      copyPublicDir: false,
      modulePreload: false,
      // No chunk to load next to it: the file works from any origin and any path.
      chunkSizeWarningLimit: 1200,
      ...extra.build,
      rolldownOptions: {
        ...extra.build?.rolldownOptions,
        input: join(ROOT, entry),
        output: { format: 'es', entryFileNames: fileName, codeSplitting: false },
      },
    },
  }
}

/**
 * Renders the first step of the page and of the iframe page (their default link) with the same
 * components the pages hydrate, and writes it into the built HTML (scripts/prerender.ts).
 */
async function prerenderPages() {
  const prerender = await loadPrerender(ROOT)
  try {
    for (const [file, render] of [
      ['index.html', prerender.page],
      ['embed.html', prerender.frame],
    ] as const) {
      const path = join(OUT, file)
      writeFileSync(path, fillRoot(readFileSync(path, 'utf8'), await render()))
    }
  } finally {
    await prerender.close()
  }
}

const step = (what: string) => console.log(`\n==> ${what}`)

step('the page and the iframe page')
await build({ configFile: join(ROOT, 'vite.config.ts'), root: ROOT, logLevel: 'warn' })

step('their first step, prerendered into index.html and embed.html')
await prerenderPages()

step('the web component (oauth-flow-lab.js)')
await build(
  moduleBuild('src/embed/element.ts', OUT, 'oauth-flow-lab.js', {
    plugins: [cssAsText()],
    // Self-contained: React's production build, inlined.
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  }),
)

step('the library (lib/index.js, lib/react.js)')
const LIB = join(OUT, 'lib')
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}
const externals = [
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
]
await build({
  configFile: false,
  root: ROOT,
  logLevel: 'warn',
  publicDir: false,
  plugins: [react(), cssAsText()],
  build: {
    target: 'es2022',
    outDir: LIB,
    emptyOutDir: true,
    copyPublicDir: false,
    // A library: readable, and its users' bundlers minify.
    minify: false,
    lib: {
      entry: { index: join(ROOT, 'src/index.ts'), react: join(ROOT, 'src/react.ts') },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: {
      // React is the site's (a peer dependency); the other dependencies install with the package.
      external: (id: string) => externals.some((name) => id === name || id.startsWith(`${name}/`)),
      // What both entries use is one shared chunk: a page importing both loads the world once.
      output: { chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
})
execFileSync(
  join(ROOT, 'node_modules/.bin/tsc'),
  ['-p', join(ROOT, 'tsconfig.lib.json'), '--outDir', join(LIB, 'types')],
  { stdio: 'inherit', cwd: ROOT },
)

step('the demo page’s React part (demo-react.js), against the built library')
await build(
  moduleBuild('src/embed/demoReact.tsx', OUT, 'demo-react.js', {
    // The library's own imports (jose, zustand…) resolve from the project, wherever OUT is.
    resolve: { alias: { 'oauth-flow-lab/react': join(LIB, 'react.js') }, dedupe: externals },
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  }),
)

step('sizes')
for (const file of [
  'index.html',
  'embed.html',
  'demo.html',
  'oauth-flow-lab.js',
  'demo-react.js',
  'lib/index.js',
  'lib/react.js',
]) {
  const bytes = readFileSync(join(OUT, file))
  const kB = (n: number) => `${(n / 1024).toFixed(1).padStart(7)} kB`
  console.log(`${file.padEnd(20)} ${kB(bytes.length)}  gzip ${kB(gzipSync(bytes).length)}`)
}
