/**
 * The page's sections of `npm run bench`: the real page (index.html) against the floor page
 * (../shared/bench/floor: React, react-dom, zustand and framer-motion's LazyMotion + m, one animated
 * button), both built alike with the project's own Vite and served from loopback to Debian's
 * Chromium.
 *
 * | section  | figures |
 * | -------- | ------- |
 * | size     | JS + CSS fetched before Next can be clicked, and every JS + CSS file the page can load, gzipped |
 * | load     | time until Next can be clicked, 4× CPU throttling |
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
} from 'node:fs'
import { createServer, type Server } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'
import { gzipSync } from 'node:zlib'
import { SCENARIO_INFO } from '../src/flow/scenarios/catalog.ts'
import { fmt, median, percentile, type Row, type Section } from './benchKit.ts'

const ROOT = resolve(import.meta.dirname, '..')
const FLOOR_SRC = resolve(ROOT, '..', 'shared', 'bench', 'floor')
/** This run's own folder (several benches may run at once): the floor's copy and both builds. */
const WORK = join(ROOT, 'bench-results', `tmp-${process.pid}`)
const THROTTLE = 4
const VIEWPORT = { width: 1366, height: 768 }
/** Fresh page loads per page for the load and size figures. */
const LOAD_RUNS = 7
/** Whole flows (each on a fresh page) for the Next latency. */
const NEXT_FLOWS = 3
const NEXT_BUDGET_MS = 50
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
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
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

let bench: Promise<Bench> | null = null

/** Builds both pages, serves them and starts Chromium, once for all the page's sections. */
function setUp(): Promise<Bench> {
  bench ??= (async () => {
    if (!existsSync(FLOOR_SRC)) throw new Error(`the floor page is missing at ${FLOOR_SRC}`)
    rmSync(WORK, { recursive: true, force: true })
    mkdirSync(WORK, { recursive: true })
    const floorSrc = join(WORK, 'floor-src')
    cpSync(FLOOR_SRC, floorSrc, { recursive: true })
    writable(floorSrc)
    const appDir = join(WORK, 'app')
    const floorDir = join(WORK, 'floor')
    viteBuild(ROOT, appDir)
    viteBuild(floorSrc, floorDir)
    checkFloorBuild(floorDir)
    const app = await serve(appDir)
    const floor = await serve(floorDir)
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
    return { app: { dir: appDir, ...app }, floor: { dir: floorDir, ...floor }, browser }
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
// Loads: time until Next can be clicked, and what was fetched by then

/**
 * Watches, from the very start of the document, for the ready control (the lab's Next; the
 * floor's #next) to be in the DOM, enabled and visible (on every DOM change, and every frame);
 * resolves `window.__oflReady` with the time (ms since navigation) and where the control is.
 */
function readyWatch(kind: 'app' | 'floor'): string {
  const find =
    kind === 'floor'
      ? `document.getElementById('next')`
      : `[...document.querySelectorAll('[aria-label="Controls"] button')].find((b) => b.textContent.trim() === 'Next')`
  return `window.__oflReady = new Promise((resolve) => {
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
  /** JS and CSS files (paths in the build) requested before that moment, and after it. */
  before: string[]
  after: string[]
  /** Every JS and CSS path the page requested (Playwright's request events). */
  requested: string[]
  nextTop: number
  nextBottom: number
  viewport: number
}

const isAsset = (path: string) => /\.(m?js|css)$/.test(path)

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
    '  web component, lib/ or the demo) against the floor, both built with vite.config.ts.',
    `  initial: the files requested before Next was clickable (Resource Timing start ≤ that moment;`,
    `  median of the load section's ${LOAD_RUNS} fresh loads at ${THROTTLE}× CPU); all: every file reachable from`,
    '  index.html (scripts, stylesheets, modulepreloads, then static and dynamic imports and CSS',
    '  references, transitively), plus anything the browser requested that the walk missed',
  ],
  async run() {
    const b = await setUp()
    const { app, floor } = await allLoads(b)
    const appWalk = reachable(b.app.dir)
    const floorWalk = reachable(b.floor.dir)
    const details: string[] = []
    const warn = (what: string) => details.push(`WARNING: ${what}`)
    // The walk must cover what the browser really fetched.
    const missedApp = union(app, 'requested').filter((f) => !appWalk.files.includes(f))
    const missedFloor = union(floor, 'requested').filter((f) => !floorWalk.files.includes(f))
    if (missedApp.length)
      warn(`the page requested files the walk missed (counted): ${missedApp.join(', ')}`)
    if (missedFloor.length)
      warn(`the floor requested files the walk missed (counted): ${missedFloor.join(', ')}`)
    for (const u of [...appWalk.unresolved, ...floorWalk.unresolved]) warn(`no file for ${u}`)
    const appAll = [...new Set([...appWalk.files, ...missedApp])].sort()
    const floorAll = [...new Set([...floorWalk.files, ...missedFloor])].sort()

    // Initial: per load, what was requested before Next was clickable; the median load counts.
    const initialOf = (dir: string, runs: LoadRun[]) => {
      const bytes = runs.map((r) => sumGz(dir, r.before))
      const m = median(bytes)
      // A real load with that figure (the lower middle one for an even count).
      const run =
        runs[bytes.indexOf([...bytes].sort((x, y) => x - y)[Math.floor((runs.length - 1) / 2)]!)]!
      return { bytes: m, files: run.before, all: bytes }
    }
    const appInitial = initialOf(b.app.dir, app)
    const floorInitial = initialOf(b.floor.dir, floor)
    const sometimes = (runs: LoadRun[]) =>
      union(runs, 'before')
        .map((f) => [f, runs.filter((r) => r.before.includes(f)).length] as const)
        .filter(([, n]) => n < runs.length)
        .map(([f, n]) => `${f} in ${n} of ${runs.length}`)
    const appSometimes = sometimes(app)
    const floorSometimes = sometimes(floor)
    if (appSometimes.length)
      details.push(`the page's initial files vary between loads: ${appSometimes.join(', ')}`)
    if (floorSometimes.length)
      details.push(`the floor's initial files vary between loads: ${floorSometimes.join(', ')}`)
    const appLater = appAll.filter((f) => !appInitial.files.includes(f))
    const fetchedLater = union(app, 'after').filter((f) => !appInitial.files.includes(f))
    const perLoad = (all: number[]) => all.map((n) => fmt(kib(n))).join(', ')
    details.push(
      `page initial per load (KiB gz): ${perLoad(appInitial.all)}; floor: ${perLoad(floorInitial.all)}`,
      `page initial (the median load, ${appInitial.files.length} files, KiB gz): ${listFiles(b.app.dir, appInitial.files)}`,
      `page on demand (${appLater.length} files; requested within 1 s after Next was clickable, with no input: ${fetchedLater.join(', ') || 'none'}): ${listFiles(b.app.dir, appLater)}`,
      `floor initial (${floorInitial.files.length}): ${listFiles(b.floor.dir, floorInitial.files)}`,
      `floor all (${floorAll.length}): ${listFiles(b.floor.dir, floorAll)}`,
    )
    const rawKib = (dir: string, files: string[]) =>
      kib(files.reduce((n, f) => n + statSync(join(dir, f)).size, 0))
    return {
      details,
      rows: [
        {
          name: 'initial_js_css_gzip',
          value: kib(appInitial.bytes),
          unit: 'KiB',
          floor: kib(floorInitial.bytes),
          budget: { maxRatio: 1.2 },
          note: `median of ${LOAD_RUNS} loads`,
        },
        {
          name: 'all_js_css_gzip',
          value: kib(sumGz(b.app.dir, appAll)),
          unit: 'KiB',
          floor: kib(sumGz(b.floor.dir, floorAll)),
          budget: { maxRatio: 1.6 },
        },
        {
          name: 'initial_js_css_raw',
          value: rawKib(b.app.dir, appInitial.files),
          unit: 'KiB',
          floor: rawKib(b.floor.dir, floorInitial.files),
          note: 'uncompressed, the median load’s files',
        },
      ],
      data: {
        app: { initial: appInitial, all: appAll, onDemand: appLater },
        floor: { initial: floorInitial, all: floorAll },
        loads: { app, floor },
        gzip: Object.fromEntries(appAll.map((f) => [f, gzSize(b.app.dir, f)] as const)),
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
    `  seen by a MutationObserver installed before the page's scripts; median of ${LOAD_RUNS} fresh browser`,
    `  contexts (empty cache) each, interleaved, CDP Emulation.setCPUThrottlingRate ${THROTTLE}, loopback HTTP`,
  ],
  async run() {
    const b = await setUp()
    const { app, floor } = await allLoads(b)
    const ms = (runs: LoadRun[]) => runs.map((r) => fmt(r.ms)).join(', ')
    const below = app.filter((r) => r.nextBottom > r.viewport)
    const details = [`page runs (ms): ${ms(app)}`, `floor runs (ms): ${ms(floor)}`]
    if (below.length > 0)
      details.push(
        `note: in ${below.length} of ${app.length} loads Next was below the fold of the ${VIEWPORT.width}×${VIEWPORT.height} viewport (top at ${fmt(below[0]!.nextTop)} px): clickable, but not seen without scrolling`,
      )
    return {
      details,
      rows: [
        {
          name: 'time_to_next_clickable',
          value: median(app.map((r) => r.ms)),
          unit: 'ms',
          floor: median(floor.map((r) => r.ms)),
          budget: { maxRatio: 1.3 },
          note: `median of ${LOAD_RUNS}, ${THROTTLE}× CPU`,
        },
      ],
      data: { app: app.map((r) => r.ms), floor: floor.map((r) => r.ms) },
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
    `  of the frame after its text changed; the budget stays the issue's absolute 50 ms`,
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
        },
        {
          name: 'next_to_step_p95',
          value: percentile(latencies, 95),
          unit: 'ms',
          floor: percentile(floorLatencies, 95),
          // A trial is not the page: it is printed, never judged.
          ...(TRIAL_CSS ? { note: 'TRIAL, not judged' } : { budget: { max: NEXT_BUDGET_MS } }),
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
          budget: { max: LONG_TASK_BUDGET_MS },
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
        note: `${longTasks} long tasks in all`,
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
        const pick = { kind: 'scenario' as const, id: SCENARIO_INFO[(i + 1) % SCENARIO_INFO.length]!.id }
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
export const pageSections: Section[] = [load, size, next, autoplay, heap]
