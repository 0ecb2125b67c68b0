import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { readersPath, WORLD_SOURCE } from '../../scripts/benchPage.ts'

/**
 * A built page as Vite writes one: the entry imports the shared chunk statically and, through the
 * preload helper, the engine (with the world and its CSS) and a panel (with its CSS and a chunk of
 * its own); the panel may import the engine's world too, which is loaded already.
 */
const FILES: Record<string, string> = {
  'index.html': `<!doctype html><html><head>
<script type="module" crossorigin src="./assets/index-AAAAAAAA.js"></script>
<link rel="modulepreload" crossorigin href="./assets/shared-BBBBBBBB.js">
<link rel="stylesheet" crossorigin href="./assets/index-CCCCCCCC.css">
</head><body></body></html>`,
  'assets/index-AAAAAAAA.js':
    'const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["./engine-DDDDDDDD.js","./world-EEEEEEEE.js","./shared-BBBBBBBB.js","./world-FFFFFFFF.css","./Panel-GGGGGGGG.js","./model-HHHHHHHH.js","./Panel-IIIIIIII.css"])))=>i.map(i=>d[i]);\n' +
    'import{p as _}from"./shared-BBBBBBBB.js";' +
    'export const engine=()=>_(()=>import(`./engine-DDDDDDDD.js`),__vite__mapDeps([0,1,2,3]),import.meta.url);' +
    'export const panel=()=>_(()=>import(`./Panel-GGGGGGGG.js`).then(e=>e.Panel),__vite__mapDeps([4,2,1,5,6]),import.meta.url);\n',
  'assets/shared-BBBBBBBB.js': `export const p=(f)=>f();export const react=${JSON.stringify('react '.repeat(300))};\n`,
  'assets/index-CCCCCCCC.css': `.page{color:red}${'.a{margin:0}'.repeat(50)}\n`,
  'assets/engine-DDDDDDDD.js': 'export{w as createFlow}from"./world-EEEEEEEE.js";\n',
  'assets/world-EEEEEEEE.js': `import"./shared-BBBBBBBB.js";export const w=${JSON.stringify('the simulated world '.repeat(400))};\n`,
  'assets/world-FFFFFFFF.css': '.world{color:blue}\n',
  'assets/Panel-GGGGGGGG.js':
    'import"./shared-BBBBBBBB.js";import"./world-EEEEEEEE.js";import{m}from"./model-HHHHHHHH.js";export const Panel=m;\n',
  'assets/model-HHHHHHHH.js': `export const m=${JSON.stringify('a panel model '.repeat(60))};\n`,
  'assets/Panel-IIIIIIII.css': '.panel{color:green}\n',
  'assets/unused-JJJJJJJJ.js': 'export const nobody=1\n',
  '.vite/manifest.json': JSON.stringify({
    'index.html': { file: 'assets/index-AAAAAAAA.js', src: 'index.html', isEntry: true },
    [WORLD_SOURCE]: { file: 'assets/engine-DDDDDDDD.js', src: WORLD_SOURCE, isDynamicEntry: true },
    'src/ui/Panel.tsx': {
      file: 'assets/Panel-GGGGGGGG.js',
      src: 'src/ui/Panel.tsx',
      isDynamicEntry: true,
    },
  }),
}

const dir = mkdtempSync(join(tmpdir(), 'ofl-readers-path-'))
for (const [path, text] of Object.entries(FILES)) {
  mkdirSync(dirname(join(dir, path)), { recursive: true })
  writeFileSync(join(dir, path), text)
}
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const gz = (...paths: string[]) => paths.reduce((n, p) => n + gzipSync(FILES[p]!).length, 0)

describe("npm run bench's size figures: one reader's path from the built files", () => {
  const path = readersPath(dir)

  it('takes the initial files from index.html and their static imports', () => {
    expect(path.initial).toEqual([
      'assets/index-AAAAAAAA.js',
      'assets/index-CCCCCCCC.css',
      'assets/shared-BBBBBBBB.js',
    ])
    expect(path.bytes.initial).toBe(
      gz('assets/index-AAAAAAAA.js', 'assets/index-CCCCCCCC.css', 'assets/shared-BBBBBBBB.js'),
    )
  })

  it("names the world by the manifest's src/store/engine.ts: its closure and CSS beyond the initial files", () => {
    expect(path.worldChunk).toBe('assets/engine-DDDDDDDD.js')
    expect(path.world).toEqual([
      'assets/engine-DDDDDDDD.js',
      'assets/world-EEEEEEEE.js',
      'assets/world-FFFFFFFF.css',
    ])
  })

  it('counts a part beyond the page and the world, named by its source', () => {
    expect(path.parts).toEqual([
      {
        target: 'assets/Panel-GGGGGGGG.js',
        source: 'src/ui/Panel.tsx',
        files: [
          'assets/Panel-GGGGGGGG.js',
          'assets/Panel-IIIIIIII.css',
          'assets/model-HHHHHHHH.js',
        ],
        bytes: gz(
          'assets/Panel-GGGGGGGG.js',
          'assets/Panel-IIIIIIII.css',
          'assets/model-HHHHHHHH.js',
        ),
      },
    ])
  })

  it('adds initial, world and the largest part, each file once; files nothing loads are left out', () => {
    expect(path.path).toHaveLength(9)
    expect(path.bytes.path).toBe(path.bytes.initial + path.bytes.world + path.bytes.largestPart)
    expect(path.path).not.toContain('assets/unused-JJJJJJJJ.js')
    expect(path.uncovered).toEqual([])
  })

  it('has no world without a chunk for it (the floor page)', () => {
    const floor = readersPath(dir, 'src/nothing.ts')
    expect(floor.worldChunk).toBeNull()
    expect(floor.world).toEqual([])
    expect(floor.parts.map((p) => p.source).sort()).toEqual([WORLD_SOURCE, 'src/ui/Panel.tsx'])
  })
})
