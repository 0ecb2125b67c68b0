/**
 * `npm run sizes`: where the page's gzipped bytes come from. Builds the page as the bench does
 * (vite.config.ts, with source maps), takes every JS and CSS file reachable from index.html (the
 * bench's "everything"), and gives each source part its share of each file: the file's gzipped
 * size minus the file's gzipped size without that part's code (so the shares add up to a little
 * less than the files: what gzip finds in common between parts is nobody's alone).
 *
 * Parts: an npm package, or a folder of src/ (src/flow/scenarios, src/ui/HttpLog, …); with
 * --modules, every source file. The bench's own size figures stay with `npm run bench`.
 *
 * Usage: npm run sizes [-- --modules] [--top=N]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { SourceMapConsumer } from 'source-map-js'
import { reachable, viteBuild } from './benchPage.ts'

const ROOT = resolve(import.meta.dirname, '..')
const MODULES = process.argv.includes('--modules')
const TOP = Number(
  /^--top=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--top=')) ?? '')?.[1] ?? 40,
)

/** The part a source belongs to: `npm:name`, a folder of src/, or the file with --modules. */
export function partOf(source: string | null, perFile = MODULES): string {
  if (!source) return '(bundler)'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source)
  if (pkg) return `npm:${pkg[1]}`
  const own = /(?:^|\/)src\/(.*)$/.exec(source)
  if (!own) return source.replace(/^(\.\.\/)+/, '')
  return perFile ? `src/${own[1]}` : `src/${own[1]!.replace(/\/[^/]+$/, '')}`
}

const gz = (text: string) => gzipSync(text).length
const kib = (bytes: number) => (bytes / 1024).toFixed(2)

/** Each part's share of one built JS file: gz(file) − gz(file without the part's code). */
export function shares(code: string, map: string, perFile = MODULES): Map<string, number> {
  const consumer = new SourceMapConsumer(JSON.parse(map))
  const lines = code.split('\n')
  const mappings: { line: number; column: number; part: string }[] = []
  consumer.eachMapping((m) =>
    mappings.push({
      line: m.generatedLine,
      column: m.generatedColumn,
      part: partOf(m.source, perFile),
    }),
  )
  mappings.sort((a, b) => a.line - b.line || a.column - b.column)
  // The file cut at its mappings: each piece belongs to the part of the mapping it starts at.
  const pieces: { part: string; text: string }[] = []
  for (let i = 0; i < mappings.length; i++) {
    const m = mappings[i]!
    const next = mappings[i + 1]
    const line = lines[m.line - 1] ?? ''
    const end = next && next.line === m.line ? next.column : line.length
    pieces.push({
      part: m.part,
      text: line.slice(m.column, end) + (end === line.length ? '\n' : ''),
    })
  }
  const whole = gz(pieces.map((p) => p.text).join(''))
  const out = new Map<string, number>()
  for (const part of new Set(pieces.map((p) => p.part))) {
    const without = pieces
      .filter((p) => p.part !== part)
      .map((p) => p.text)
      .join('')
    out.set(part, whole - gz(without))
  }
  return out
}

function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ofl-sizes-'))
  try {
    viteBuild(ROOT, dir, ['--sourcemap'])
    const { files } = reachable(dir)
    const total = new Map<string, number>()
    let all = 0
    console.log('file (gzipped KiB)')
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8')
      // The source-map comment is not in the bench's build; leave it out here too.
      const code = text.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '')
      const size = gz(code)
      all += size
      console.log(`  ${kib(size).padStart(7)}  ${file}`)
      if (file.endsWith('.css')) {
        total.set(`css:${file.replace(/^assets\//, '').replace(/-[\w-]{8}\.css$/, '')}`, size)
        continue
      }
      let map: string
      try {
        map = readFileSync(join(dir, `${file}.map`), 'utf8')
      } catch {
        total.set(`(no map) ${file}`, size)
        continue
      }
      for (const [part, n] of shares(code, map)) total.set(part, (total.get(part) ?? 0) + n)
    }
    const rows = [...total].sort((a, b) => b[1] - a[1])
    const shown = rows.slice(0, TOP)
    console.log(`\n${MODULES ? 'source file' : 'part'}: its share (gzipped KiB), largest first`)
    for (const [part, n] of shown) console.log(`  ${kib(n).padStart(7)}  ${part}`)
    if (rows.length > shown.length) {
      const rest = rows.slice(TOP).reduce((s, [, n]) => s + n, 0)
      console.log(`  ${kib(rest).padStart(7)}  (${rows.length - shown.length} more)`)
    }
    const summed = rows.reduce((s, [, n]) => s + n, 0)
    console.log(
      `\nall files: ${kib(all)} KiB gzipped; the shares add up to ${kib(summed)} KiB (the rest is shared between parts)`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// Run as a script (npm run sizes), not when a test imports the functions above.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main()
