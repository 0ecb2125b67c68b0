/**
 * What the first paint loads is what the page's entries import statically; the simulated world
 * (src/flow/engine/, src/flow/narration/ and the protocol's servers) comes later, by a dynamic
 * import. This walks the static import graph from the page's and the iframe page's entries and
 * fails, naming the chain, if it reaches the world.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { inLab, inWorld } from '../../vite.config.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const ENTRIES = ['src/app/main.tsx', 'src/embed/frame.tsx']
/** The world's folders and modules: never in the first paint. */
const WORLD = /^src\/(flow\/(engine|narration)\/|protocol\/(?!(state|http|types|records)\.ts$))/

/** The relative modules a file imports for its values (type-only imports and import() left out). */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    false,
  )
  const out: string[] = []
  for (const node of source.statements) {
    let spec: ts.Expression | undefined
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause
      const typeOnly =
        clause?.isTypeOnly ||
        (clause &&
          !clause.name &&
          clause.namedBindings &&
          ts.isNamedImports(clause.namedBindings) &&
          clause.namedBindings.elements.length > 0 &&
          clause.namedBindings.elements.every((e) => e.isTypeOnly))
      if (!typeOnly) spec = node.moduleSpecifier
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly) {
      spec = node.moduleSpecifier
    }
    if (spec && ts.isStringLiteral(spec) && spec.text.startsWith('.')) {
      const path = resolve(dirname(file), spec.text)
      if (/\.(tsx?)$/.test(path) && existsSync(path)) out.push(path)
    }
  }
  return out
}

/** Every module the entries reach by static imports, with the chain that reaches it. */
function firstPaint(): Map<string, string[]> {
  const chains = new Map<string, string[]>()
  const queue = ENTRIES.map((e) => [resolve(ROOT, e)])
  while (queue.length) {
    const chain = queue.shift()!
    const file = chain.at(-1)!
    const name = relative(ROOT, file)
    if (chains.has(name)) continue
    chains.set(
      name,
      chain.map((f) => relative(ROOT, f)),
    )
    for (const next of staticImports(file)) queue.push([...chain, next])
  }
  return chains
}

describe('the first paint', () => {
  const chains = firstPaint()

  it('reaches the page, the store and the light flow modules', () => {
    expect(chains.has('src/ui/Lab.tsx')).toBe(true)
    expect(chains.has('src/flow/links/labUrl.ts')).toBe(true)
    expect(chains.has('src/flow/views/diagram.ts')).toBe(true)
  })

  it('does not pull in the simulated world (src/flow/engine/, narration/, the servers)', () => {
    const world = [...chains]
      .filter(([name]) => WORLD.test(name))
      .map(([, chain]) => chain.join(' → '))
    expect(world).toEqual([])
  })

  it('would catch a static import of the engine', () => {
    // The check itself: the engine's own graph does reach the world.
    const engine = staticImports(resolve(ROOT, 'src/flow/engine/flow.ts')).map((f) =>
      relative(ROOT, f),
    )
    expect(engine.some((f) => WORLD.test(f))).toBe(true)
  })
})

/** Every source file under src/, relative to the project. */
function sourceFiles(dir = resolve(ROOT, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = resolve(dir, e.name)
    if (e.isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : []
  })
}

/**
 * The build puts the page's modules in one chunk (`inLab`) and the world's in another (`inWorld`):
 * a page module that imports a world module makes the page's chunk import the world's, which
 * imports the page's back, and the world then runs before the page's constants exist (seen: the
 * page stuck on its prerendered first step, "reading 'spaClient'" of undefined).
 */
describe('the chunks the build cuts', () => {
  it('no module of the page’s chunk imports a module of the world’s', () => {
    // The library's entries (src/index.ts, src/react.ts) are not in the page's build.
    const crossing = sourceFiles()
      .filter((file) => inLab(file) && dirname(file) !== resolve(ROOT, 'src'))
      .flatMap((file) =>
        staticImports(file)
          .filter((dep) => inWorld(dep))
          .map((dep) => `${relative(ROOT, file)} → ${relative(ROOT, dep)}`),
      )
    expect(crossing).toEqual([])
  })

  it('would catch one: the engine is in the world, the store in the page', () => {
    expect(inWorld(resolve(ROOT, 'src/flow/engine/director.ts'))).toBe(true)
    expect(inLab(resolve(ROOT, 'src/store/labStore.ts'))).toBe(true)
    expect(inLab(resolve(ROOT, 'src/flow/engine/director.ts'))).toBe(false)
  })
})
