/**
 * The page's sections of `npm run bench`: the real page (index.html) against the floor page
 * (../shared/bench/floor: React, react-dom, zustand and framer-motion's LazyMotion + m, one animated
 * button), both built alike with the project's own Vite and served from loopback to Debian's
 * Chromium.
 *
 * | section  | figures |
 * | -------- | ------- |
 * | size     | gzipped JS + CSS from the built files (no browser): before Next can be clicked, one reader's path (initial + world + the largest on-demand part), everything |
 * | load     | first contentful paint and time until Next can be clicked, 4× CPU throttling |
 * | next     | Next keypress → new step on screen (narration updated), 4× CPU throttling, whole flows |
 * | autoplay | every scenario × variant at 4×: long tasks and dropped frames |
 * | heap     | JS heap after GC, after the first complete flow and after 500 more |
 *
 * Page scripts are passed as strings: the TypeScript loader would add helpers to functions that the
 * page does not have.
 */
import {
  chromium,
  type Browser,
  type BrowserContext,
  type CDPSession,
  type Page,
} from '@playwright/test'
import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createServer, type Server } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'
import { gzipSync } from 'node:zlib'
import { SCENARIO_INFO } from '../src/flow/scenarios/catalog.ts'
import { fmt, median, percentile, type Row, type Section } from './benchKit.ts'
import { fillRoot, loadPrerender } from './prerender.ts'

const ROOT = resolve(import.meta.dirname, '..')
const FLOOR_SRC = resolve(ROOT, '..', 'shared', 'bench', 'floor')
/** This run's own folder (several benches may run at once): the floor's copy and both builds. */
const WORK = join(ROOT, 'bench-results', `tmp-${process.pid}`)
const THROTTLE = 4
const VIEWPORT = { width: 1366, height: 768 }
/** Fresh page loads per page for the load and size figures. */
const LOAD_RUNS = 7
/** Whole flows (each on a fresh page) for the Next latency. */
const NEXT_FLOWS = 6
/** OFL_BENCH_NEXT_CSS: a stylesheet added to the page in the next section (a trial, not a figure). */
const TRIAL_CSS = process.env.OFL_BENCH_NEXT_CSS ?? ''
/**
 * In the floor page: resolves once its button's spring animation has ended (its transform the
 * same over five frames), so the next press starts on a quiet page, as the page's presses do.
 */
const FLOOR_SETTLED = `new Promise((res) => {
  const button = document.getElementById('next')
  let last = null
  let same = 0
  const check = () => {
    const now = getComputedStyle(button).transform
    same = now === last ? same + 1 : 0
    last = now
    if (same >= 5) res(true)
    else requestAnimationFrame(check)
  }
  requestAnimationFrame(check)
})`
const LONG_TASK_BUDGET_MS = 50
const HEAP_BUDGET_MB = 10
const MB = 1_000_000
/** Reduced runs while working on the bench; the output says so. */
const HEAP_FLOWS = Number(process.env.OFL_BENCH_FLOWS ?? 500)
const AUTOPLAY_ONLY = process.env.OFL_BENCH_SCENARIOS?.split(',').filter(Boolean)

// ---------------------------------------------------------------------------------------------
// Building, serving, the browser

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
}

/** Builds `root` with the project's vite.config.ts into `outDir` (`extra`: more CLI flags). */
export function viteBuild(root: string, outDir: string, extra: string[] = []) {
  execFileSync(
    join(ROOT, 'node_modules', '.bin', 'vite'),
    [
      'build',
      root,
      '--config',
      join(ROOT, 'vite.config.ts'),
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'error',
      ...extra,
    ],
    // A production build, whatever this process's NODE_ENV: Vite's dev server (the prerender's SSR
    // loader) sets it to development, which a child build would inherit (React's development build).
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } },
  )
}

/** The copy keeps shared/'s modes, which may be read-only: make it removable. */
function writable(path: string) {
  const isDir = statSync(path).isDirectory()
  chmodSync(path, isDir ? 0o755 : 0o644)
  if (isDir) for (const f of readdirSync(path)) writable(join(path, f))
}

/** vite.config.ts adds the project's pages when the project root is built: make sure it didn't here. */
function checkFloorBuild(dir: string) {
  const html = readFileSync(join(dir, 'index.html'), 'utf8')
  const problems = []
  if (!/<title>floor<\/title>/.test(html)) problems.push('its index.html is not the floor’s')
  if (existsSync(join(dir, 'embed.html'))) problems.push('it has the project’s embed.html')
  const scripts = reachable(dir).files.filter((f) => f.endsWith('.js'))
  if (scripts.some((f) => readFileSync(join(dir, f), 'utf8').includes('ofl-lab')))
    problems.push('its scripts contain the lab')
  if (problems.length) throw new Error(`the floor build is not the floor: ${problems.join('; ')}`)
}

function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    let file = join(dir, path)
    if (file !== dir && !file.startsWith(dir + sep)) {
      res.writeHead(403).end()
      return
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html')
    if (!existsSync(file)) {
      res.writeHead(404).end('not found')
      return
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
    })
    res.end(readFileSync(file))
  })
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address()
      ok({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/` })
    }),
  )
}

interface Built {
  /** The page's build (with Vite's manifest, .vite/manifest.json, to name the world's chunk). */
  app: string
  floor: string
}

interface Site {
  dir: string
  url: string
  server: Server
}

interface Bench {
  app: Site
  floor: Site
  browser: Browser
}

let built: Promise<Built> | null = null

/**
 * Builds both pages into this run's folder, once for all the sections (no browser needed). The
 * page as it ships: its index.html carries the prerendered first step (scripts/prerender.ts, as
 * `npm run build` does), so first paint is measured on what readers get.
 */
function buildBoth(): Promise<Built> {
  built ??= (async () => {
    if (!existsSync(FLOOR_SRC)) throw new Error(`the floor page is missing at ${FLOOR_SRC}`)
    rmSync(WORK, { recursive: true, force: true })
    mkdirSync(WORK, { recursive: true })
    const floorSrc = join(WORK, 'floor-src')
    cpSync(FLOOR_SRC, floorSrc, { recursive: true })
    writable(floorSrc)
    const app = join(WORK, 'app')
    const floor = join(WORK, 'floor')
    viteBuild(ROOT, app, ['--manifest'])
    viteBuild(floorSrc, floor, ['--manifest'])
    checkFloorBuild(floor)
    const prerender = await loadPrerender(ROOT)
    try {
      const index = join(app, 'index.html')
      writeFileSync(index, fillRoot(readFileSync(index, 'utf8'), await prerender.page()))
    } finally {
      await prerender.close()
    }
    return { app, floor }
  })()
  return built
}

let bench: Promise<Bench> | null = null

/** Builds both pages, serves them and starts Chromium, once for all the page's timed sections. */
function setUp(): Promise<Bench> {
  bench ??= (async () => {
    const dirs = await buildBoth()
    const app = await serve(dirs.app)
    const floor = await serve(dirs.floor)
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    })
    return { app: { dir: dirs.app, ...app }, floor: { dir: dirs.floor, ...floor }, browser }
  })()
  return bench
}

/** Closes Chromium and the servers and removes this run's folder (kept with OFL_BENCH_KEEP=1). */
export async function tearDownPage(): Promise<void> {
  if (bench) {
    const b = await bench.catch(() => null)
    await b?.browser.close()
    b?.app.server.close()
    b?.floor.server.close()
    bench = null
  }
  built = null
  if (!process.env.OFL_BENCH_KEEP) rmSync(WORK, { recursive: true, force: true })
}

interface Opened {
  context: BrowserContext
  page: Page
  cdp: CDPSession
}

/** A page in a fresh browser context (empty cache), optionally with the CPU throttled. */
async function open(browser: Browser, throttle: number, init?: string): Promise<Opened> {
  const context = await browser.newContext({ viewport: VIEWPORT })
  if (init) await context.addInitScript({ content: init })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  if (throttle !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle })
  return { context, page, cdp }
}

const COMPLETE = '.ofl-lab[data-complete="true"]'

/** The number of steps of the run on screen (the step scrubber's range). */
async function stepCount(page: Page): Promise<number> {
  const max = await page.getByRole('slider', { name: 'Step' }).getAttribute('max')
  return Number(max) + 1
}

// ---------------------------------------------------------------------------------------------
// Files: every JS and CSS file a built page can load

const isAsset = (path: string) => /\.(m?js|css)$/.test(path)

/** Specifiers of modules and stylesheets in built JS: static and dynamic imports, Vite's preload lists. */
const JS_REFS = [
  /\bimport\s*\(\s*(["'`])([^"'`\s]+)\1/g,
  /\bfrom\s*(["'`])([^"'`\s]+)\1/g,
  /\bimport\s*(["'`])([^"'`\s]+)\1/g,
  /\bnew\s+URL\(\s*(["'`])([^"'`\s]+)\1\s*,\s*import\.meta\.url/g,
]
const CSS_REFS = [
  /@import\s+(?:url\()?\s*(["']?)([^"')\s;]+)\1/g,
  /url\(\s*(["']?)([^"')\s]+\.css)\1\s*\)/g,
]

function htmlRefs(html: string): string[] {
  const refs: string[] = []
  for (const m of html.matchAll(/<script\b[^>]*\bsrc=["']([^"']+)["']/gi)) refs.push(m[1]!)
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    const tag = m[0]
    const rel = /\brel=["']([^"']+)["']/i.exec(tag)?.[1]?.toLowerCase() ?? ''
    const href = /\bhref=["']([^"']+)["']/i.exec(tag)?.[1]
    if (href && /(^|\s)(stylesheet|modulepreload|preload)(\s|$)/.test(rel)) refs.push(href)
  }
  return refs
}

function jsRefs(js: string): string[] {
  const refs = JS_REFS.flatMap((re) => [...js.matchAll(re)].map((m) => m[2]!))
  // Vite's list of what a dynamic import preloads: `__vite__mapDeps=(…m.f=["./a.js","./a.css"])`.
  const at = js.indexOf('__vite__mapDeps=')
  if (at >= 0) {
    const list = /\[([^\]]*)\]/.exec(js.slice(at))?.[1] ?? ''
    for (const m of list.matchAll(/(["'`])([^"'`]+)\1/g)) refs.push(m[2]!)
  }
  return refs
}

/** A built file's path (relative to `dir`, with /) for a reference from `from`, if it exists. */
function resolveRef(dir: string, from: string, ref: string): string | null {
  if (/^(data:|https?:|\/\/)/.test(ref)) return null
  for (const base of [from, 'index.html']) {
    const path = decodeURIComponent(new URL(ref, `http://x/${base}`).pathname).replace(/^\//, '')
    const file = join(dir, path)
    if (existsSync(file) && statSync(file).isFile()) return path
  }
  return null
}

/**
 * Every JS and CSS file reachable from `dir/index.html`: its scripts, stylesheets and preloads,
 * then, transitively, what those import (statically or lazily) and the CSS they reference.
 * `unresolved`: relative JS/CSS references with no file (a sign the walk misreads something).
 */
export function reachable(dir: string): { files: string[]; unresolved: string[] } {
  const seen = new Set<string>()
  const unresolved = new Set<string>()
  const queue: string[] = []
  const add = (from: string, ref: string) => {
    const path = resolveRef(dir, from, ref)
    if (path === null) {
      if (/^\.{0,2}\//.test(ref) && /\.(m?js|css)$/.test(ref))
        unresolved.add(`${ref} (from ${from})`)
      return
    }
    if (!/\.(m?js|css)$/.test(path) || seen.has(path)) return
    seen.add(path)
    queue.push(path)
  }
  for (const ref of htmlRefs(readFileSync(join(dir, 'index.html'), 'utf8'))) add('index.html', ref)
  while (queue.length > 0) {
    const file = queue.shift()!
    const text = readFileSync(join(dir, file), 'utf8')
    const refs = file.endsWith('.css')
      ? CSS_REFS.flatMap((re) => [...text.matchAll(re)].map((m) => m[2]!))
      : jsRefs(text)
    for (const ref of refs) add(file, ref)
  }
  return { files: [...seen].sort(), unresolved: [...unresolved] }
}

const gzCache = new Map<string, number>()
/** Gzipped size (zlib's default level, 6) of a built file. */
function gzSize(dir: string, file: string): number {
  const key = join(dir, file)
  let n = gzCache.get(key)
  if (n === undefined) {
    n = gzipSync(readFileSync(key)).length
    gzCache.set(key, n)
  }
  return n
}

const kib = (bytes: number) => bytes / 1024
const sumGz = (dir: string, files: Iterable<string>) =>
  [...files].reduce((n, f) => n + gzSize(dir, f), 0)
const listFiles = (dir: string, files: Iterable<string>) =>
  [...files].map((f) => `${f} ${fmt(kib(gzSize(dir, f)))}`).join(', ') || '(none)'

// ---------------------------------------------------------------------------------------------
// The reader's path: what one reader's visit loads, by a static walk of the built files

/** A dynamic import in built JS: its target and the list Vite preloads with it (`__vite__mapDeps`). */
interface DynamicImport {
  target: string
  preload: string[]
}

/** The files a built JS or CSS file loads with it (static imports, CSS imports), and its dynamic imports. */
function edges(dir: string, file: string): { statics: string[]; dynamics: DynamicImport[] } {
  const text = readFileSync(join(dir, file), 'utf8')
  const resolved = (refs: string[]) =>
    refs.map((r) => resolveRef(dir, file, r)).filter((f): f is string => f !== null && isAsset(f))
  if (file.endsWith('.css'))
    return {
      statics: resolved(CSS_REFS.flatMap((re) => [...text.matchAll(re)].map((m) => m[2]!))),
      dynamics: [],
    }
  const statics = resolved(
    [/\bfrom\s*(["'`])([^"'`\s]+)\1/g, /\bimport\s*(["'`])([^"'`\s]+)\1/g].flatMap((re) =>
      [...text.matchAll(re)].map((m) => m[2]!),
    ),
  )
  // Vite's list of every file a dynamic import preloads; each import() names its entries by index.
  const at = text.indexOf('__vite__mapDeps=')
  const deps =
    at < 0
      ? []
      : [...(/\[([^\]]*)\]/.exec(text.slice(at))?.[1] ?? '').matchAll(/(["'`])([^"'`]+)\1/g)].map(
          (m) => m[2]!,
        )
  const dynamics: DynamicImport[] = []
  const calls = [...text.matchAll(/\bimport\s*\(\s*(["'`])([^"'`\s]+)\1\s*\)/g)]
  for (const [i, m] of calls.entries()) {
    const [target] = resolved([m[2]!])
    if (!target) continue
    // Its preload list: the first __vite__mapDeps([…]) before the next import().
    const rest = text.slice(m.index + m[0].length, calls[i + 1]?.index ?? text.length)
    const indices = /__vite__mapDeps\(\[([\d,\s]*)\]\)/.exec(rest)?.[1] ?? ''
    const preload = resolved(
      indices
        .split(',')
        .filter((n) => n.trim() !== '')
        .map((n) => deps[Number(n)] ?? ''),
    )
    dynamics.push({ target, preload })
  }
  return { statics, dynamics }
}

/** `from` and everything it loads with it (static imports, transitively). */
function closure(dir: string, from: Iterable<string>): Set<string> {
  const seen = new Set<string>()
  const queue = [...from]
  while (queue.length > 0) {
    const file = queue.shift()!
    if (seen.has(file)) continue
    seen.add(file)
    queue.push(...edges(dir, file).statics)
  }
  return seen
}

/** One on-demand part: what a dynamic import loads beyond the page and the world. */
export interface Part {
  /** The chunk the import() names (its path in the build). */
  target: string
  /** The module it was built from, by Vite's manifest (else the chunk's name). */
  source: string
  files: string[]
  bytes: number
}

/** What one reader's visit loads, in gzipped bytes of JS + CSS, from the built files alone. */
export interface ReadersPath {
  /** index.html's scripts, stylesheets and preloads and their static imports: before Next. */
  initial: string[]
  /** What `loadEngine()`'s import of src/store/engine.ts loads beyond the initial files. */
  world: string[]
  /** The chunk of src/store/engine.ts, if the build has one (Vite's manifest names it). */
  worldChunk: string | null
  /** Every other dynamic import's group beyond initial and world, largest first. */
  parts: Part[]
  /** initial + world + the largest part. */
  path: string[]
  bytes: { initial: number; world: number; largestPart: number; path: number }
  /** Files the page can load that no group covers (the walk misreads something if any). */
  uncovered: string[]
}

/** The world's module: the lab store imports it on demand (`loadEngine()`). */
export const WORLD_SOURCE = 'src/store/engine.ts'

/** A built file's short name: `assets/Message-BUSFWfAX.js` → `Message.js`. */
const chunkName = (file: string) => file.replace(/^.*\//, '').replace(/-[\w-]{8}(\.\w+)$/, '$1')

/** Each entry chunk's source module, by Vite's manifest (.vite/manifest.json; none without one). */
function sourcesOf(dir: string): Map<string, string> {
  const file = join(dir, '.vite', 'manifest.json')
  if (!existsSync(file)) return new Map()
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<
    string,
    { file: string; src?: string }
  >
  return new Map(Object.values(manifest).flatMap((c) => (c.src ? [[c.file, c.src] as const] : [])))
}

/**
 * The reader's path of the page built in `dir`: the initial files (index.html's scripts,
 * stylesheets and preloads, and what they import statically), the world (what the import() of the
 * chunk built from `worldSource` loads beyond those: its static closure and the CSS Vite preloads
 * with it) and each other dynamic import's group beyond both (a part: a panel, a scenario, a
 * language). The path is initial + world + the largest part: deterministic, from the files alone.
 */
export function readersPath(dir: string, worldSource = WORLD_SOURCE): ReadersPath {
  const html = readFileSync(join(dir, 'index.html'), 'utf8')
  const entries = htmlRefs(html)
    .map((r) => resolveRef(dir, 'index.html', r))
    .filter((f): f is string => f !== null && isAsset(f))
  const initial = closure(dir, entries)
  const all = reachable(dir).files
  // Every dynamic import of every file the page can load, merged by target.
  const groups = new Map<string, Set<string>>()
  for (const file of all) {
    for (const d of edges(dir, file).dynamics) {
      const group = groups.get(d.target) ?? new Set<string>()
      for (const f of closure(dir, [d.target, ...d.preload])) group.add(f)
      groups.set(d.target, group)
    }
  }
  const beyond = (files: Iterable<string>, ...loaded: Set<string>[]) =>
    [...files].filter((f) => !loaded.some((l) => l.has(f))).sort()
  const sources = sourcesOf(dir)
  const worldChunk = [...sources].find(([, src]) => src === worldSource)?.[0] ?? null
  if (worldChunk !== null && !groups.has(worldChunk))
    throw new Error(`no dynamic import of ${worldChunk} (built from ${worldSource})`)
  const world = new Set(worldChunk ? beyond(groups.get(worldChunk)!, initial) : [])
  const parts = [...groups]
    .filter(([target]) => target !== worldChunk)
    .map(([target, files]) => {
      const own = beyond(files, initial, world)
      return {
        target,
        source: sources.get(target) ?? chunkName(target),
        files: own,
        bytes: sumGz(dir, own),
      }
    })
    .sort((a, b) => b.bytes - a.bytes || a.target.localeCompare(b.target))
  const largest = parts[0]
  const path = [...initial, ...world, ...(largest?.files ?? [])].sort()
  const covered = new Set([...initial, ...world, ...parts.flatMap((p) => p.files)])
  return {
    initial: [...initial].sort(),
    world: [...world],
    worldChunk,
    parts,
    path,
    bytes: {
      initial: sumGz(dir, initial),
      world: sumGz(dir, world),
      largestPart: largest?.bytes ?? 0,
      path: sumGz(dir, path),
    },
    uncovered: all.filter((f) => !covered.has(f)),
  }
}

// ---------------------------------------------------------------------------------------------
// Loads: time until Next can be clicked, and what was fetched by then

/**
 * Watches, from the very start of the document, for the ready control (the lab's Next; the
 * floor's #next) to be in the DOM, enabled and visible (on every DOM change, and every frame);
 * resolves `window.__oflReady` with the time (ms since navigation) and where the control is, and
 * `window.__oflFcp` with the first contentful paint's (the 'paint' entry's startTime).
 */
function readyWatch(kind: 'app' | 'floor'): string {
  const find =
    kind === 'floor'
      ? `document.getElementById('next')`
      : `[...document.querySelectorAll('[aria-label="Controls"] button')].find((b) => b.textContent.trim() === 'Next')`
  return `window.__oflFcp = new Promise((resolve) => {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') resolve(e.startTime)
  }).observe({ type: 'paint', buffered: true })
})
window.__oflReady = new Promise((resolve) => {
  const check = () => {
    const el = ${find}
    if (!el || el.disabled) return false
    const r = el.getBoundingClientRect()
    const cs = getComputedStyle(el)
    if (r.width === 0 || r.height === 0 || cs.visibility === 'hidden' || cs.opacity === '0') return false
    resolve({ t: performance.now(), top: r.top, bottom: r.bottom, viewport: innerHeight })
    return true
  }
  let seen = false
  const obs = new MutationObserver(() => { if (!seen && check()) { seen = true; obs.disconnect() } })
  obs.observe(document, { subtree: true, childList: true, attributes: true })
  // A change without a mutation (a stylesheet arriving): caught at the next frame.
  const frame = () => { if (!seen && !(seen = check())) requestAnimationFrame(frame) }
  requestAnimationFrame(frame)
})`
}

interface LoadRun {
  /** ms from navigation start until the ready control was clickable. */
  ms: number
  /** ms from navigation start to the first contentful paint (NaN: none seen within 5 s of ready). */
  fcp: number
  /** JS and CSS files (paths in the build) requested before that moment, and after it. */
  before: string[]
  after: string[]
  /** Every JS and CSS path the page requested (Playwright's request events). */
  requested: string[]
  nextTop: number
  nextBottom: number
  viewport: number
}

async function loadOnce(browser: Browser, site: Site, kind: 'app' | 'floor'): Promise<LoadRun> {
  const { context, page } = await open(browser, THROTTLE, readyWatch(kind))
  try {
    const requested = new Set<string>()
    page.on('request', (r) => {
      const u = new URL(r.url())
      if (u.origin === new URL(site.url).origin && isAsset(u.pathname))
        requested.add(u.pathname.slice(1))
    })
    await page.goto(site.url, { waitUntil: 'commit' })
    const ready = (await page.evaluate('window.__oflReady')) as {
      t: number
      top: number
      bottom: number
      viewport: number
    }
    // What starts right after (lazy chunks, prefetches) is not part of the initial load; give it
    // a moment to show in the list of what was fetched after.
    await page.waitForLoadState('load')
    await page.waitForTimeout(1000)
    const fcp = (await page.evaluate(
      `Promise.race([window.__oflFcp, new Promise((r) => setTimeout(() => r(null), 5000))])`,
    )) as number | null
    const entries = (await page.evaluate(
      `performance.getEntriesByType('resource').map((e) => ({ name: e.name, start: e.startTime }))`,
    )) as { name: string; start: number }[]
    const before = new Set<string>()
    const after = new Set<string>()
    for (const e of entries) {
      const u = new URL(e.name)
      if (u.origin !== new URL(site.url).origin || !isAsset(u.pathname)) continue
      ;(e.start <= ready.t ? before : after).add(u.pathname.slice(1))
    }
    for (const p of before) after.delete(p)
    return {
      ms: ready.t,
      fcp: fcp ?? Number.NaN,
      before: [...before].sort(),
      after: [...after].sort(),
      requested: [...requested].sort(),
      nextTop: ready.top,
      nextBottom: ready.bottom,
      viewport: ready.viewport,
    }
  } finally {
    await context.close()
  }
}

let loads: Promise<{ app: LoadRun[]; floor: LoadRun[] }> | null = null

/** LOAD_RUNS fresh loads of each page, interleaved so drift falls on both alike (shared by size and load). */
function allLoads(b: Bench) {
  loads ??= (async () => {
    const app: LoadRun[] = []
    const floor: LoadRun[] = []
    for (let i = 0; i < LOAD_RUNS; i++) {
      floor.push(await loadOnce(b.browser, b.floor, 'floor'))
      app.push(await loadOnce(b.browser, b.app, 'app'))
    }
    return { app, floor }
  })()
  return loads
}

const union = (runs: LoadRun[], key: 'before' | 'after' | 'requested') =>
  [...new Set(runs.flatMap((r) => r[key]))].sort()

// ---------------------------------------------------------------------------------------------
// Section "size"

const size: Section = {
  name: 'size',
  describe: [
    'gzipped JS + CSS (zlib level 6, the HTML not counted) of the page (index.html only: not the',
    '  web component, lib/ or the demo) against the floor, both built with vite.config.ts; from the',
    '  built files alone (no browser): exact and the same on every run.',
    "  initial: index.html's scripts, stylesheets and modulepreloads and what they import statically",
    '  (what loads before Next can be clicked; the load section checks it against what a browser fetched).',
    `  world: what loadEngine()'s import of ${WORLD_SOURCE} loads beyond the initial files (its chunk's`,
    '  static closure and the CSS Vite preloads with it). a part: what any other dynamic import (a',
    '  panel, a scenario, a language) loads beyond initial and world. reader_path: initial + world +',
    '  the largest part. all: every file reachable from index.html, static and dynamic, transitively',
  ],
  async run() {
    const dirs = await buildBoth()
    const app = readersPath(dirs.app)
    const floor = readersPath(dirs.floor)
    const appAll = reachable(dirs.app)
    const floorAll = reachable(dirs.floor)
    const details: string[] = []
    const warn = (what: string) => details.push(`WARNING: ${what}`)
    for (const u of [...appAll.unresolved, ...floorAll.unresolved]) warn(`no file for ${u}`)
    if (app.worldChunk === null)
      throw new Error(`the page's build has no chunk for ${WORLD_SOURCE}`)
    if (app.uncovered.length)
      warn(`files the page can load that no group covers: ${app.uncovered.join(', ')}`)
    const largest = app.parts[0]
    const parts = app.parts.filter((p) => p.bytes > 0)
    const inOthers = app.parts.filter((p) => p.bytes === 0).map((p) => p.source)
    details.push(
      `page initial (${app.initial.length} files, KiB gz): ${listFiles(dirs.app, app.initial)}`,
      `page world: ${WORLD_SOURCE} (${chunkName(app.worldChunk)}) and its closure beyond initial (${app.world.length} files, ${fmt(kib(app.bytes.world))} KiB gz): ${listFiles(dirs.app, app.world)}`,
      `page parts beyond initial and world (KiB gz, largest first): ${parts.map((p) => `${p.source} ${fmt(kib(p.bytes))} (${p.files.map(chunkName).join(' + ')})`).join('; ') || 'none'}${inOthers.length ? `; already loaded with the page or the world: ${inOthers.join(', ')}` : ''}`,
      `page reader's path: initial ${fmt(kib(app.bytes.initial))} + world ${fmt(kib(app.bytes.world))} + largest part ${largest ? `${largest.source} ` : ''}${fmt(kib(app.bytes.largestPart))} = ${fmt(kib(app.bytes.path))} KiB gz`,
      `floor initial (${floor.initial.length}): ${listFiles(dirs.floor, floor.initial)}; floor reader's path ${fmt(kib(floor.bytes.path))} KiB gz (${floor.parts.length} parts)`,
      `floor all (${floorAll.files.length}): ${listFiles(dirs.floor, floorAll.files)}`,
    )
    const rawKib = (dir: string, files: string[]) =>
      kib(files.reduce((n, f) => n + statSync(join(dir, f)).size, 0))
    return {
      details,
      rows: [
        {
          name: 'initial_js_css_gzip',
          value: kib(app.bytes.initial),
          unit: 'KiB',
          floor: kib(floor.bytes.initial),
          budget: { maxRatio: 1.2, enforced: true },
          note: 'before Next can be clicked',
        },
        {
          name: 'reader_path_js_css_gzip',
          value: kib(app.bytes.path),
          unit: 'KiB',
          floor: kib(floor.bytes.path),
          budget: { maxRatio: 1.8, enforced: true },
          note: `initial + world + the largest part (${largest ? largest.source : 'none'})`,
        },
        {
          name: 'all_js_css_gzip',
          value: kib(sumGz(dirs.app, appAll.files)),
          unit: 'KiB',
          floor: kib(sumGz(dirs.floor, floorAll.files)),
          note: 'everything the page can load: reported, not budgeted',
        },
        {
          name: 'initial_js_css_raw',
          value: rawKib(dirs.app, app.initial),
          unit: 'KiB',
          floor: rawKib(dirs.floor, floor.initial),
          note: 'uncompressed',
        },
      ],
      data: {
        app: { ...app, all: appAll.files },
        floor: { ...floor, all: floorAll.files },
        gzip: Object.fromEntries(appAll.files.map((f) => [f, gzSize(dirs.app, f)] as const)),
      },
    }
  },
}

// ---------------------------------------------------------------------------------------------
// Section "load"

const load: Section = {
  name: 'load',
  describe: [
    `ms from navigation start until Next is in the DOM, enabled and visible (the floor: its #next),`,
    `  seen by a MutationObserver installed before the page's scripts, and to the first contentful paint`,
    `  (PerformanceObserver 'paint'), in the same loads; median of ${LOAD_RUNS} fresh browser contexts (empty`,
    `  cache) each, interleaved, CDP Emulation.setCPUThrottlingRate ${THROTTLE}, loopback HTTP. Also what was`,
    `  fetched before Next was clickable (Resource Timing), checked against the size section's static walk`,
  ],
  async run() {
    const b = await setUp()
    const { app, floor } = await allLoads(b)
    const ms = (runs: LoadRun[], key: 'ms' | 'fcp') => runs.map((r) => fmt(r[key])).join(', ')
    const below = app.filter((r) => r.nextBottom > r.viewport)
    const details = [
      `page runs (ms to Next): ${ms(app, 'ms')}; floor: ${ms(floor, 'ms')}`,
      `page runs (ms to first contentful paint): ${ms(app, 'fcp')}; floor: ${ms(floor, 'fcp')}`,
    ]
    if (below.length > 0)
      details.push(
        `note: in ${below.length} of ${app.length} loads Next was below the fold of the ${VIEWPORT.width}×${VIEWPORT.height} viewport (top at ${fmt(below[0]!.nextTop)} px): clickable, but not seen without scrolling`,
      )
    // The size section's figures come from the built files: check them against what was fetched.
    const fetched = (site: Site, runs: LoadRun[], who: string) => {
      const walk = readersPath(site.dir)
      const all = reachable(site.dir).files
      const missed = union(runs, 'requested').filter((f) => !all.includes(f))
      if (missed.length)
        details.push(
          `WARNING: ${who} requested files the static walk does not reach: ${missed.join(', ')}`,
        )
      const differ = runs
        .map((r, i) => {
          const extra = r.before.filter((f) => !walk.initial.includes(f))
          const lacking = walk.initial.filter((f) => !r.before.includes(f))
          return extra.length || lacking.length
            ? `load ${i + 1}: ${extra.length ? `also ${extra.join(', ')}` : ''}${extra.length && lacking.length ? '; ' : ''}${lacking.length ? `not yet ${lacking.join(', ')}` : ''}`
            : ''
        })
        .filter(Boolean)
      if (differ.length)
        details.push(
          `note: what ${who} fetched before Next was clickable differs from the static initial files: ${differ.join('; ')}`,
        )
      return median(runs.map((r) => sumGz(site.dir, r.before)))
    }
    const appFetched = fetched(b.app, app, 'the page')
    const floorFetched = fetched(b.floor, floor, 'the floor')
    return {
      details,
      rows: [
        {
          name: 'first_contentful_paint',
          value: median(app.map((r) => r.fcp)),
          unit: 'ms',
          floor: median(floor.map((r) => r.fcp)),
          budget: { maxRatio: 0.8 },
          note: `median of ${LOAD_RUNS}, ${THROTTLE}× CPU`,
        },
        {
          name: 'time_to_next_clickable',
          value: median(app.map((r) => r.ms)),
          unit: 'ms',
          floor: median(floor.map((r) => r.ms)),
          budget: { maxRatio: 1.3 },
          note: `median of ${LOAD_RUNS}, ${THROTTLE}× CPU`,
        },
        {
          name: 'fetched_before_next_js_css_gzip',
          value: kib(appFetched),
          unit: 'KiB',
          floor: kib(floorFetched),
          note: `median of ${LOAD_RUNS} loads; the budget is on size.initial_js_css_gzip`,
        },
      ],
      data: {
        app: app.map((r) => ({ ms: r.ms, fcp: r.fcp, before: r.before, after: r.after })),
        floor: floor.map((r) => ({ ms: r.ms, fcp: r.fcp, before: r.before, after: r.after })),
      },
    }
  },
}

// ---------------------------------------------------------------------------------------------
// Section "next"

/**
 * Page script: `(then) => …` calls `then(ms since t0)` at the end of the next frame (a rAF
 * callback, then a message, which runs after that frame's rendering work); `t0` is the caller's.
 * The page and the floor are timed with this same end.
 */
const AFTER_FRAME = `(then) => requestAnimationFrame(() => {
    const ch = new MessageChannel()
    ch.port1.onmessage = () => then(performance.now() - t0)
    ch.port2.postMessage(0)
  })`

/**
 * In the page: resolves `window.__oflNext` with the ms from the next keydown (its timeStamp) to the
 * end of the first frame (`AFTER_FRAME`) after the step changed and the narration tells it (the
 * words render with the controls, in the first frame). `all` is the same to the frame after every
 * pane on show that illustrates the step (the diagram, the inspector's pane: their `data-step`)
 * shows it too: those follow in a render React may interrupt.
 */
const MEASURE_NEXT = `(() => {
  document.activeElement?.blur?.()
  const root = document.querySelector('.ofl-lab')
  const panel = root?.querySelector('.ofl-narration')
  if (!root || !panel) return (window.__oflNext = Promise.resolve({ error: 'no lab or no narration' }))
  const before = root.dataset.stepIndex
  const panelBefore = panel.textContent
  let t0 = null
  let tIndex = null
  let done = false
  let result = null
  let all = null
  let waiting = false
  document.addEventListener('keydown', (e) => { t0 = e.timeStamp }, { capture: true, once: true })
  const afterFrame = ${AFTER_FRAME}
  const drawn = () => [...root.querySelectorAll('.ofl-layout [data-step]')].filter((p) => p.checkVisibility()).every((p) => p.dataset.step === root.dataset.stepIndex)
  window.__oflNext = new Promise((res) => {
    const settle = () => { if (result && all !== null) { obs.disconnect(); res({ ...result, all }) } }
    const finish = (panelChanged) => {
      done = true
      afterFrame((ms) => { result = { ms, commit: tIndex - t0, panelChanged, index: Number(root.dataset.stepIndex) }; settle() })
      if (drawn()) { waiting = true; afterFrame((ms) => { all = ms; settle() }) }
    }
    const obs = new MutationObserver(() => {
      if (t0 === null || root.dataset.stepIndex === before) return
      if (done) {
        if (!waiting && drawn()) { waiting = true; afterFrame((ms) => { all = ms; settle() }) }
        return
      }
      tIndex ??= performance.now()
      if (panel.textContent !== panelBefore) finish(true)
    })
    obs.observe(root, { subtree: true, childList: true, attributes: true, characterData: true })
    // A step whose narration reads exactly as the one before (it didn't change within 2 s):
    // timed to the step change.
    setTimeout(() => {
      if (done) return
      obs.disconnect()
      res(tIndex === null ? { error: 'the step did not change' } : { ms: tIndex - t0, commit: tIndex - t0, panelChanged: false, index: Number(root.dataset.stepIndex), all: tIndex - t0 })
    }, 2000)
  })
  return true
})()`

/**
 * The same measure on the floor page: its button, focused, pressed with Enter (a click), from the
 * keydown's timeStamp to the end of the first frame after the button's text changed.
 */
const MEASURE_FLOOR_NEXT = `(() => {
  const button = document.getElementById('next')
  if (!button) return (window.__oflNext = Promise.resolve({ error: 'no #next' }))
  button.focus()
  const before = button.textContent
  let t0 = null
  document.addEventListener('keydown', (e) => { t0 = e.timeStamp }, { capture: true, once: true })
  const afterFrame = ${AFTER_FRAME}
  window.__oflNext = new Promise((res) => {
    const obs = new MutationObserver(() => {
      if (t0 === null || button.textContent === before) return
      obs.disconnect()
      afterFrame((ms) => res({ ms }))
    })
    obs.observe(button, { subtree: true, childList: true, characterData: true })
    setTimeout(() => { obs.disconnect(); res({ error: 'the button did not change' }) }, 2000)
  })
  return true
})()`

interface NextResult {
  ms?: number
  /** ms from the keydown to the DOM showing the new step (before layout and paint). */
  commit?: number
  /** ms from the keydown to the end of the frame where every panel shows the new step. */
  all?: number
  panelChanged?: boolean
  index?: number
  error?: string
}

/** `presses` presses of the floor's button on a fresh page, throttled as the page is: ms each. */
async function floorPresses(b: Bench, presses: number): Promise<number[]> {
  const { context, page } = await open(b.browser, THROTTLE)
  try {
    await page.goto(b.floor.url)
    await page.waitForSelector('#next', { state: 'visible', timeout: 120_000 })
    const out: number[] = []
    for (let i = 0; i < presses; i++) {
      await page.evaluate(MEASURE_FLOOR_NEXT)
      await page.keyboard.press('Enter')
      const r = (await page.evaluate('window.__oflNext')) as NextResult
      if (r.error || r.ms === undefined) throw new Error(`floor press ${i + 1}: ${r.error}`)
      out.push(r.ms)
      await page.evaluate(FLOOR_SETTLED)
    }
    return out
  } finally {
    await context.close()
  }
}

const next: Section = {
  name: 'next',
  describe: [
    `Next key (→) to the new step on screen: keydown timeStamp → the step index changed and the`,
    `  narration's text changed → the end of the next frame (rAF, then a message); every step of the`,
    `  default flow, ${NEXT_FLOWS} flows on fresh pages, ${THROTTLE}× CPU throttling, after the run is computed.`,
    `  floor: the floor's button, focused, pressed with Enter as often, on its own fresh page, to the end`,
    `  of the frame after its text changed; budgets: median ≤ 2× and p95 ≤ 2.5× the floor's`,
  ],
  async run() {
    const b = await setUp()
    const latencies: number[] = []
    const floorLatencies: number[] = []
    const commits: number[] = []
    const alls: number[] = []
    let unchanged = 0
    const perFlow: string[] = []
    for (let flow = 0; flow < NEXT_FLOWS; flow++) {
      const { context, page } = await open(b.browser, THROTTLE)
      let mine: number[]
      try {
        await page.goto(b.app.url)
        if (TRIAL_CSS) await page.addStyleTag({ content: TRIAL_CSS })
        await page.waitForSelector(COMPLETE, { state: 'attached', timeout: 120_000 })
        const total = await stepCount(page)
        mine = []
        for (let i = 1; i < total; i++) {
          await page.evaluate(MEASURE_NEXT)
          await page.keyboard.press('ArrowRight')
          const r = (await page.evaluate('window.__oflNext')) as NextResult
          if (r.error || r.ms === undefined)
            throw new Error(`step ${i + 1} of ${total}: ${r.error}`)
          if (r.index !== i)
            throw new Error(`Next went to step ${(r.index ?? -1) + 1}, not ${i + 1}`)
          if (!r.panelChanged) unchanged++
          mine.push(r.ms)
          commits.push(r.commit ?? r.ms)
          alls.push(r.all ?? r.ms)
        }
        latencies.push(...mine)
        perFlow.push(`${fmt(median(mine))}/${fmt(percentile(mine, 95))}/${fmt(Math.max(...mine))}`)
      } finally {
        await context.close()
      }
      // The floor, on a fresh page of its own once the page's is closed, as many presses.
      floorLatencies.push(...(await floorPresses(b, mine.length)))
    }
    const details = [
      `${latencies.length} keypresses; per flow median/p95/max ms: ${perFlow.join(', ')}`,
      `of which keydown → new step in the DOM (before layout and paint): median ${fmt(median(commits))} ms, p95 ${fmt(percentile(commits, 95))} ms`,
    ]
    if (TRIAL_CSS) details.unshift(`TRIAL: the page had this stylesheet added: ${TRIAL_CSS}`)
    if (unchanged > 0)
      details.push(
        `${unchanged} steps left the narration's text as it was: timed to the step change`,
      )
    return {
      details,
      rows: [
        {
          name: 'next_to_step_median',
          value: median(latencies),
          unit: 'ms',
          floor: median(floorLatencies),
          // A trial is not the page: it is printed, never judged.
          ...(TRIAL_CSS ? { note: 'TRIAL, not judged' } : { budget: { maxRatio: 2 } }),
        },
        {
          name: 'next_to_step_p95',
          value: percentile(latencies, 95),
          unit: 'ms',
          floor: percentile(floorLatencies, 95),
          ...(TRIAL_CSS ? { note: 'TRIAL, not judged' } : { budget: { maxRatio: 2.5 } }),
        },
        {
          name: 'next_to_step_max',
          value: Math.max(...latencies),
          unit: 'ms',
          floor: Math.max(...floorLatencies),
        },
        {
          name: 'next_to_all_panels_median',
          value: median(alls),
          unit: 'ms',
          note: 'the diagram and the pane on show draw the step too (they follow the narration)',
        },
        { name: 'next_to_all_panels_p95', value: percentile(alls, 95), unit: 'ms' },
      ],
      data: { latencies, commits, alls, floor: floorLatencies },
    }
  },
}

// ---------------------------------------------------------------------------------------------
// Section "autoplay"

/** In the page: long tasks (PerformanceObserver) and every frame's time (rAF), until stopped. */
const WATCH_FRAMES = `(() => {
  const w = (window.__oflWatch = { longTasks: [], frames: [], on: true })
  w.observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.longTasks.push(e.duration)
  })
  w.observer.observe({ type: 'longtask' })
  const frame = (t) => { if (!w.on) return; w.frames.push(t); requestAnimationFrame(frame) }
  requestAnimationFrame(frame)
  return true
})()`
const STOP_WATCH = `(() => {
  const w = window.__oflWatch
  w.on = false
  for (const e of w.observer.takeRecords()) w.longTasks.push(e.duration)
  w.observer.disconnect()
  return { longTasks: w.longTasks, frames: w.frames }
})()`

interface Frames {
  frames: number
  dropped: number
  interval: number
}

/** Dropped frames: a gap over 1.5× the median frame interval counts as round(gap / median) − 1. */
function droppedFrames(times: number[]): Frames {
  const gaps = times.slice(1).map((t, i) => t - times[i]!)
  const interval = median(gaps)
  let dropped = 0
  for (const g of gaps) if (g > 1.5 * interval) dropped += Math.round(g / interval) - 1
  return { frames: gaps.length + dropped, dropped, interval }
}

const autoplay: Section = {
  name: 'autoplay',
  describe: [
    'every scenario × variant from ?scenario=…&variant=…, Speed 4× chosen and Play clicked, until the',
    '  last step is on screen and Play shows again; NO CPU throttling. Long tasks: PerformanceObserver',
    '  "longtask" (> 50 ms); dropped frames: rAF gaps over 1.5× the median frame interval, each counted',
    '  as round(gap / interval) − 1. idle: the same frame count on the page at rest, for comparison',
  ],
  async run() {
    const b = await setUp()
    const rows: Row[] = []
    const details: string[] = []
    const data: Record<string, unknown> = {}
    const runs = SCENARIO_INFO.flatMap((s) =>
      (s.variants ? (['vulnerable', 'defended'] as const) : [null]).map((v) => ({
        id: s.id,
        variant: v,
      })),
    ).filter((r) => !AUTOPLAY_ONLY || AUTOPLAY_ONLY.includes(r.id))
    if (AUTOPLAY_ONLY)
      details.push(`WARNING: only ${AUTOPLAY_ONLY.join(', ')} (OFL_BENCH_SCENARIOS)`)
    let longest = 0
    let longestIn = ''
    let longTasks = 0
    let dropped = 0
    let frames = 0
    let idle: Frames | null = null
    let idleTasks: number[] = []
    for (const run of runs) {
      const { context, page } = await open(b.browser, 1)
      try {
        const query = `?scenario=${run.id}${run.variant ? `&variant=${run.variant}` : ''}`
        await page.goto(b.app.url + query)
        await page.waitForSelector(COMPLETE, { state: 'attached', timeout: 60_000 })
        const total = await stepCount(page)
        const controls = page.getByRole('region', { name: 'Controls' })
        if (idle === null) {
          // The page at rest for 5 s: how many frames Chromium drops here without any work.
          await page.evaluate(WATCH_FRAMES)
          await page.waitForTimeout(5000)
          const r = (await page.evaluate(STOP_WATCH)) as { longTasks: number[]; frames: number[] }
          idle = droppedFrames(r.frames)
          idleTasks = r.longTasks
        }
        await controls.getByLabel('Speed').selectOption('4')
        await page.evaluate(WATCH_FRAMES)
        const started = Date.now()
        await controls.getByRole('button', { name: 'Play', exact: true }).click()
        await page.waitForFunction(
          `(() => {
            const root = document.querySelector('.ofl-lab')
            // The word the button shows (beside it, hidden, the other word keeps its width).
            const play = [...document.querySelectorAll('[aria-label="Controls"] .ofl-controls-play-label > :first-child')].some((b) => b.textContent.trim() === 'Play')
            return root && Number(root.dataset.stepIndex) === ${total - 1} && play
          })()`,
          undefined,
          { polling: 250, timeout: total * 2200 + 30_000 },
        )
        const seconds = (Date.now() - started) / 1000
        const r = (await page.evaluate(STOP_WATCH)) as { longTasks: number[]; frames: number[] }
        const f = droppedFrames(r.frames)
        const max = Math.max(0, ...r.longTasks)
        if (max > longest || !longestIn)
          longestIn = `${run.id}${run.variant ? `/${run.variant}` : ''}`
        longest = Math.max(longest, max)
        longTasks += r.longTasks.length
        dropped += f.dropped
        frames += f.frames
        const name = `${run.id}${run.variant ? `/${run.variant}` : ''}`
        data[name] = {
          steps: total,
          seconds,
          longTasks: r.longTasks,
          dropped: f.dropped,
          frames: f.frames,
        }
        rows.push({
          name: `longest_task.${name}`,
          value: max,
          unit: 'ms',
          note: `${r.longTasks.length} long tasks; dropped ${f.dropped} of ${f.frames} frames (${fmt((100 * f.dropped) / Math.max(1, f.frames))} %); ${total} steps in ${fmt(seconds)} s`,
        })
      } finally {
        await context.close()
      }
    }
    if (idle)
      details.push(
        `idle page (5 s at rest, a sign of other load on the machine): ${idle.dropped} of ${idle.frames} frames dropped (median interval ${fmt(idle.interval)} ms), ${idleTasks.length} long tasks${idleTasks.length ? ` (longest ${fmt(Math.max(...idleTasks))} ms)` : ''}`,
      )
    rows.push(
      {
        name: 'longest_task',
        value: longest,
        unit: 'ms',
        budget: { max: LONG_TASK_BUDGET_MS },
        note: `every scenario at 4×: ${longTasks} long tasks in all${longest > 0 ? `; the longest in ${longestIn}` : ''}`,
      },
      {
        name: 'dropped_frames',
        value: dropped,
        unit: 'frames',
        note: `of ${frames} (${fmt((100 * dropped) / Math.max(1, frames))} %); idle page: ${idle ? fmt((100 * idle.dropped) / Math.max(1, idle.frames)) : '?'} %`,
      },
    )
    return { rows, details, data }
  },
}

// ---------------------------------------------------------------------------------------------
// Section "heap"

/** In the page: counts the runs computed to their end (the lab's data-complete turning true). */
const COUNT_COMPLETE = `(() => {
  const root = document.querySelector('.ofl-lab')
  window.__oflCompleted = 0
  let was = root.dataset.complete
  new MutationObserver(() => {
    const now = root.dataset.complete
    if (now === 'true' && was !== 'true') window.__oflCompleted++
    was = now
  }).observe(root, { attributes: true, attributeFilter: ['data-complete'] })
  return true
})()`

/** The JS heap in use after a full garbage collection, in bytes. */
async function heapAfterGc(cdp: CDPSession): Promise<number> {
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage')
  const { usedSize } = await cdp.send('Runtime.getHeapUsage')
  return usedSize
}

async function domCounters(cdp: CDPSession) {
  return (await cdp.send('Memory.getDOMCounters')) as {
    documents: number
    nodes: number
    jsEventListeners: number
  }
}

const heap: Section = {
  name: 'heap',
  describe: [
    `${HEAP_FLOWS} complete flows in one page, driven through the UI: the scenario select and the`,
    '  Vulnerable/Defended switch in turn (every scenario × variant), each run waited for until computed',
    '  to its end (data-complete), then End to show its last step. JS heap in use (CDP',
    '  Runtime.getHeapUsage) after HeapProfiler.collectGarbage ×3, after the first flow and at the end;',
    '  no CPU throttling. MB = 10^6 bytes',
  ],
  async run() {
    const b = await setUp()
    const details: string[] = []
    if (HEAP_FLOWS !== 500) details.push(`WARNING: ${HEAP_FLOWS} flows, not 500 (OFL_BENCH_FLOWS)`)
    const { context, page, cdp } = await open(b.browser, 1)
    const started = Date.now()
    try {
      await cdp.send('HeapProfiler.enable')
      await page.goto(b.app.url)
      await page.waitForSelector(COMPLETE, { state: 'attached', timeout: 60_000 })
      await page.evaluate(COUNT_COMPLETE)
      const select = page.getByRole('combobox', { name: 'Scenario' })
      const variants = page.getByRole('group', { name: 'Variant' })
      const toEnd = async () => {
        await page.keyboard.press('End')
        const last = (await stepCount(page)) - 1
        await page.waitForSelector(`.ofl-lab[data-step-index="${last}"]`, { state: 'attached' })
      }
      await toEnd()
      // One action, one new run: the next scenario; after a scenario with variants, its other one.
      const actions = SCENARIO_INFO.flatMap((s, i) => {
        const pick = {
          kind: 'scenario' as const,
          id: SCENARIO_INFO[(i + 1) % SCENARIO_INFO.length]!.id,
        }
        return s.variants ? [{ kind: 'variant' as const, id: s.id }, pick] : [pick]
      })
      // The page opens on the first scenario (with the default variant, if it has variants).
      let at = 0
      const start = await heapAfterGc(cdp)
      const domStart = await domCounters(cdp)
      const samples: string[] = []
      for (let flow = 1; flow <= HEAP_FLOWS; flow++) {
        const action = actions[at++ % actions.length]!
        const before = (await page.evaluate('window.__oflCompleted')) as number
        if (action.kind === 'scenario') await select.selectOption(action.id)
        else await variants.locator('button[aria-pressed="false"]').click()
        await page.waitForFunction(`window.__oflCompleted > ${before}`, undefined, {
          timeout: 60_000,
        })
        await toEnd()
        if (flow % 100 === 0 && flow !== HEAP_FLOWS)
          samples.push(`${flow}: ${fmt((await heapAfterGc(cdp)) / MB)} MB`)
      }
      const end = await heapAfterGc(cdp)
      const domEnd = await domCounters(cdp)
      const seconds = (Date.now() - started) / 1000
      details.push(
        `heap after GC: after flow 1 ${fmt(start / MB)} MB; ${samples.join('; ')}${samples.length ? '; ' : ''}after flow ${HEAP_FLOWS + 1}: ${fmt(end / MB)} MB`,
        `DOM nodes ${domStart.nodes} → ${domEnd.nodes}, JS event listeners ${domStart.jsEventListeners} → ${domEnd.jsEventListeners}; ${fmt(seconds)} s (${fmt((1000 * seconds) / HEAP_FLOWS)} ms a flow)`,
      )
      return {
        details,
        rows: [
          {
            name: 'heap_growth',
            value: (end - start) / MB,
            unit: 'MB',
            budget: { max: HEAP_BUDGET_MB },
            note: `over ${HEAP_FLOWS} flows after the first`,
          },
          { name: 'heap_after_first_flow', value: start / MB, unit: 'MB' },
          { name: 'heap_at_end', value: end / MB, unit: 'MB' },
          { name: 'runtime', value: seconds, unit: 's' },
        ],
        data: { start, end, seconds, samples, domStart, domEnd },
      }
    } finally {
      await context.close()
    }
  },
}

/** The page's sections, in the order they run. */
export const pageSections: Section[] = [size, load, next, autoplay, heap]
