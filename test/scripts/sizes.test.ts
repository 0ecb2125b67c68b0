import { gzipSync } from 'node:zlib'
import { SourceMapGenerator } from 'source-map-js'
import { describe, expect, it } from 'vitest'
import { partOf, shares } from '../../scripts/sizes.ts'

describe('npm run sizes: parts', () => {
  it('names npm packages (scoped too), folders of src/, or files with --modules', () => {
    expect(partOf('../node_modules/react-dom/cjs/react-dom-client.production.js', false)).toBe(
      'npm:react-dom',
    )
    expect(partOf('../../node_modules/@scope/pkg/dist/index.js', false)).toBe('npm:@scope/pkg')
    expect(partOf('../src/flow/narration/narration.ts', false)).toBe('src/flow/narration')
    expect(partOf('../src/flow/scenarios/mixUp.ts', false)).toBe('src/flow/scenarios')
    expect(partOf('../src/flow/narration/narration.ts', true)).toBe('src/flow/narration/narration.ts')
    expect(partOf(null, false)).toBe('(bundler)')
    expect(partOf('\0rolldown/runtime.js', false)).toBe('\0rolldown/runtime.js')
  })
})

describe('npm run sizes: shares', () => {
  // A built file of two sources, on one line, with a map that says which bytes are whose.
  const a = 'const story = "' + 'the authorization server issues a code; '.repeat(40) + '";'
  const b = 'let n = 1;'
  const code = a + b + '\n'
  const map = new SourceMapGenerator({ file: 'out.js' })
  map.addMapping({
    generated: { line: 1, column: 0 },
    original: { line: 1, column: 0 },
    source: '../src/flow/a.ts',
  })
  map.addMapping({
    generated: { line: 1, column: a.length },
    original: { line: 1, column: 0 },
    source: '../node_modules/b/index.js',
  })
  const gz = (s: string) => gzipSync(s).length

  it("gives each part the file's gzipped size less the file's without it", () => {
    const got = shares(code, map.toString(), false)
    expect([...got.keys()].sort()).toEqual(['npm:b', 'src/flow'])
    expect(got.get('src/flow')).toBe(gz(code) - gz(b + '\n'))
    expect(got.get('npm:b')).toBe(gz(code) - gz(a))
    expect(got.get('src/flow')!).toBeGreaterThan(got.get('npm:b')!)
    expect(got.get('src/flow')! + got.get('npm:b')!).toBeLessThanOrEqual(gz(code))
  })

  it('counts a file of one part as all of it', () => {
    const one = new SourceMapGenerator({ file: 'one.js' })
    one.addMapping({
      generated: { line: 1, column: 0 },
      original: { line: 1, column: 0 },
      source: '../src/ui/x.tsx',
    })
    expect(shares('let x = 1\n', one.toString(), false)).toEqual(
      new Map([['src/ui', gz('let x = 1\n') - gz('')]]),
    )
  })
})
