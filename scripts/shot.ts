/**
 * Takes screenshots of the page in Debian's Chromium, for looking at what we build.
 * Usage: tsx scripts/shot.ts <url> <out.png> [--size 1920x1080] [--dark] [--next N] [--press KEY]
 *   [--click 'role:name'] [--reduced] [--full]
 */
import { chromium } from '@playwright/test'

const args = process.argv.slice(2)
const url = args[0] ?? 'http://localhost:5173/'
const out = args[1] ?? 'shot.png'
const opt = (name: string) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const [width, height] = (opt('--size') ?? '1366x768').split('x').map(Number)
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
})
const page = await browser.newPage({
  viewport: { width: width ?? 1366, height: height ?? 768 },
  colorScheme: args.includes('--dark') ? 'dark' : 'light',
  reducedMotion: args.includes('--reduced') ? 'reduce' : 'no-preference',
})
page.on('console', (m) => {
  if (m.type() === 'error' || m.type() === 'warning') console.log(`[console.${m.type()}] ${m.text()}`)
})
page.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`))
await page.goto(url)
await page.waitForTimeout(800)
const n = Number(opt('--next') ?? 0)
for (let i = 0; i < n; i++) {
  await page.keyboard.press('ArrowRight')
  await page.waitForTimeout(120)
}
const press = opt('--press')
if (press) await page.keyboard.press(press)
const click = opt('--click')
if (click) {
  const [role, name] = click.split(':') as [Parameters<typeof page.getByRole>[0], string]
  await page.getByRole(role, { name, exact: true }).first().click()
}
await page.waitForTimeout(900)
await page.screenshot({ path: out, fullPage: args.includes('--full') })
await browser.close()
console.log(`wrote ${out}`)
