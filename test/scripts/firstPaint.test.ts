/**
 * What the first paint loads is what the page's entries import statically; the simulated world
 * (src/flow/engine/, src/flow/narration/ and the protocol's servers) comes later, by a dynamic
 * import. This walks the static import graph from the page's and the iframe page's entries and
 * fails, naming the chain, if it reaches the world.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')
const ENTRIES = ['src/app/main.tsx', 'src/embed/frame.tsx']
/** The world's folders and modules: never in the first paint. */
const WORLD = /^src\/(flow\/(engine|narration)\/|protocol\/(?!(state|http|types)\.ts$))/

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
