/**
 * First contentful paint of a served build, in Debian's Chromium with the CPU slowed 4× (CDP
 * `Emulation.setCPUThrottlingRate`): the median of fresh loads (a new context each, so nothing is
 * cached), for the page and the iframe page.
 *
 * Usage: serve a build (`npx vite preview --port 4392 --strictPort --host 127.0.0.1 --outDir dist`),
 * then `tsx scripts/fcp.ts [loads, default 5] [base URL, default http://127.0.0.1:4392/] …`. With
 * several base URLs (two builds served side by side) the loads take turns, so a busy machine
 * weighs on each alike.
 */
import { chromium } from '@playwright/test'

const loads = Number(process.argv[2] ?? 5)
const bases = process.argv.length > 3 ? process.argv.slice(3) : ['http://127.0.0.1:4392/']

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
})

/** One fresh load's first contentful paint (ms). */
async function once(base: string, path: string) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
  await page.goto(new URL(path, base).href, { waitUntil: 'load' })
  const fcp = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((list) => {
          const entry = list.getEntriesByName('first-contentful-paint')[0]
          if (entry) resolve(entry.startTime)
        }).observe({ type: 'paint', buffered: true })
      }),
  )
  await context.close()
  return fcp
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

for (const path of ['./', './embed.html']) {
  const runs = bases.map(() => [] as number[])
  for (let i = 0; i < loads; i++)
    for (const [b, base] of bases.entries()) runs[b]!.push(await once(base, path))
  for (const [b, base] of bases.entries())
    console.log(
      `${new URL(path, base).href.padEnd(40)} FCP median ${median(runs[b]!).toFixed(0)} ms  (${runs[b]!.map((r) => r.toFixed(0)).join(', ')})`,
    )
}
await browser.close()
