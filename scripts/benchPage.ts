/**
 * The page section of `npm run bench`: the real page and the floor page (../shared/bench/floor,
 * the smallest page with our stack), built alike with the project's Vite and measured in the same
 * run in Debian's Chromium: JS and CSS loaded before the first step can be clicked (gzipped), all
 * JS and CSS (gzipped), time until Next can be clicked, and Next-keypress-to-new-step latency.
 */
import { chromium, type Browser } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { extname, join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'

export interface PageRow {
  name: string
  value: number
  unit: string
  floor?: number
  budget?: { min?: number; max?: number }
  note?: string
}

const ROOT = resolve(import.meta.dirname, '..')
const OUT = join(ROOT, 'bench-results')
const FLOOR_SRC = resolve(ROOT, '..', 'shared', 'bench', 'floor')
const THROTTLE = 4
const RUNS = 5

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
}

function build(root: string, outDir: string) {
  execFileSync('npx', ['vite', 'build', root, '--config', join(ROOT, 'vite.config.ts'), '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
}

function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    let file = join(dir, path)
    if (!file.startsWith(dir)) {
      res.writeHead(403).end()
      return
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html')
    if (!existsSync(file)) {
      res.writeHead(404).end('not found')
      return
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' })
    res.end(readFileSync(file))
  })
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    const addr = server.address()
    ok({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/` })
  }))
}

function gz(file: string): number {
  return gzipSync(readFileSync(file)).length
}

function allAssets(dir: string): number {
  let total = 0
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f)
      if (statSync(p).isDirectory()) walk(p)
      else if (/\.(js|css)$/.test(f)) total += gz(p)
    }
  }
  walk(dir)
  return total
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0
}

/** Loads a page with 4× CPU throttling; returns ms until ready and the JS/CSS it fetched by then. */
async function load(browser: Browser, url: string, dir: string, ready: string) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE })
  const fetched = new Set<string>()
  page.on('request', (r) => {
    const u = new URL(r.url())
    if (/\.(js|css)$/.test(u.pathname)) fetched.add(u.pathname)
  })
  const t0 = Date.now()
  await page.goto(url, { waitUntil: 'commit' })
  await page.waitForSelector(ready, { state: 'visible', timeout: 60_000 })
  const ms = await page.evaluate(() => performance.now())
  void t0
  const bytes = [...fetched].reduce((sum, p) => sum + gz(join(dir, p)), 0)
  return { ms, bytes, page, context, cdp }
}

/** In the page: resolves with ms from the next keydown to two frames after the step changed. */
const MEASURE_NEXT = `window.__oflNext = new Promise((res) => {
  const root = document.querySelector('.ofl-lab')
  if (!root) return res(null)
  const before = root.dataset.stepIndex
  let t0 = performance.now()
  document.addEventListener('keydown', (e) => { t0 = e.timeStamp }, { capture: true, once: true })
  const obs = new MutationObserver(() => {
    if (root.dataset.stepIndex !== before) {
      obs.disconnect()
      requestAnimationFrame(() => requestAnimationFrame(() => res(performance.now() - t0)))
    }
  })
  obs.observe(root, { attributes: true, attributeFilter: ['data-step-index'] })
  setTimeout(() => { obs.disconnect(); res(null) }, 10000)
}); true`

/** Runs the page section and returns its rows. */
export async function pageRows(): Promise<PageRow[]> {
  if (!existsSync(FLOOR_SRC)) throw new Error(`the floor page is missing at ${FLOOR_SRC}`)
  rmSync(OUT, { recursive: true, force: true })
  mkdirSync(OUT, { recursive: true })
  const floorSrc = join(OUT, 'floor-src')
  cpSync(FLOOR_SRC, floorSrc, { recursive: true })
  const appDir = join(OUT, 'app')
  const floorDir = join(OUT, 'floor')
  build(ROOT, appDir)
  build(floorSrc, floorDir)
  const app = await serve(appDir)
  const floor = await serve(floorDir)
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  try {
    const appLoads: number[] = []
    const floorLoads: number[] = []
    let appInitial = 0
    let floorInitial = 0
    for (let i = 0; i < RUNS; i++) {
      const f = await load(browser, floor.url, floorDir, '#next')
      floorLoads.push(f.ms)
      floorInitial = f.bytes
      await f.context.close()
      const a = await load(browser, app.url, appDir, '.ofl-lab[data-ready="true"]')
      appLoads.push(a.ms)
      appInitial = a.bytes
      await a.context.close()
    }

    // Next keypress → new step on screen (the lab's step index and the panels re-rendered, then
    // painted), over a whole flow, with the same throttling.
    const a = await load(browser, app.url, appDir, '.ofl-lab[data-ready="true"]')
    await a.page.waitForSelector('.ofl-lab[data-complete="true"]', { state: 'attached', timeout: 60_000 })
    const latencies: number[] = []
    await a.page.locator('body').click({ position: { x: 1, y: 1 } })
    for (let i = 0; i < 200; i++) {
      // Strings, not functions: the TypeScript loader would add helpers the page does not have.
      // Install the watcher, press the key, then wait for what the watcher saw (Playwright runs
      // one command on a page at a time, so the key can't be pressed inside the evaluate).
      await a.page.evaluate(MEASURE_NEXT)
      await a.page.keyboard.press('ArrowRight')
      const ms = (await a.page.evaluate('window.__oflNext')) as number | null
      if (ms === null) {
        if (process.env.BENCH_DEBUG) console.log("# page: no step change after keypress", i, await a.page.evaluate("document.querySelector('.ofl-lab')?.dataset.stepIndex"))
        break
      }
      latencies.push(ms)
    }
    await a.context.close()
    const initialFloor = floorInitial
    return [
      { name: 'initial_js_css_gzip', value: appInitial / 1024, unit: 'KiB', floor: initialFloor / 1024, note: 'fetched before Next can be clicked' },
      { name: 'all_js_css_gzip', value: allAssets(appDir) / 1024, unit: 'KiB', floor: allAssets(floorDir) / 1024 },
      { name: 'time_to_next_clickable', value: median(appLoads), unit: 'ms', floor: median(floorLoads), note: `median of ${RUNS}, ${THROTTLE}× CPU throttling, loopback` },
      { name: 'next_to_step_median', value: median(latencies), unit: 'ms', note: `${latencies.length} keypresses over a whole flow, ${THROTTLE}× CPU throttling` },
      { name: 'next_to_step_p95', value: percentile(latencies, 95), unit: 'ms' },
    ]
  } finally {
    await browser.close()
    app.server.close()
    floor.server.close()
  }
}
