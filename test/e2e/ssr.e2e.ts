/**
 * The built files a docs site imports while rendering on a server (Docusaurus, Next.js): the web
 * component and the package entry load in Node, with no DOM, and define nothing. Here, after the
 * build, rather than in the unit tests, which run before it.
 */
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect, test } from '@playwright/test'

const DIST = resolve(import.meta.dirname, '../..', process.env.OFL_DIST ?? 'dist')
const DOM_GLOBALS = [
  'window',
  'document',
  'customElements',
  'HTMLElement',
  'matchMedia',
  'localStorage',
]

test('the built web component and library import in Node without a DOM', async () => {
  for (const name of DOM_GLOBALS) expect(name in globalThis, name).toBe(false)
  const element = (await import(pathToFileURL(resolve(DIST, 'oauth-flow-lab.js')).href)) as object
  const lib = (await import(pathToFileURL(resolve(DIST, 'lib/index.js')).href)) as {
    OAuthFlowLab?: unknown
    createLab?: unknown
  }
  const react = (await import(pathToFileURL(resolve(DIST, 'lib/react.js')).href)) as {
    OAuthFlowLab?: unknown
  }
  expect(element).toBeDefined()
  expect(typeof lib.createLab).toBe('function')
  expect(lib.OAuthFlowLab).toBeUndefined()
  expect(typeof react.OAuthFlowLab).toBe('function')
  for (const name of DOM_GLOBALS) expect(name in globalThis, name).toBe(false)
})

/** The files a module imports, relative ones followed, and the bare names it imports. */
function importsOf(file: string, seen = new Set<string>(), bare = new Set<string>()) {
  if (seen.has(file)) return { seen, bare }
  seen.add(file)
  const code = readFileSync(file, 'utf8')
  for (const m of code.matchAll(
    /(?:^|[;\n}])\s*(?:import|export)\b[^'"`;]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^import\s*['"]([^'"]+)['"]/gm,
  )) {
    const spec = m[1] ?? m[2] ?? m[3] ?? ''
    if (spec.startsWith('.')) importsOf(resolve(dirname(file), spec), seen, bare)
    else bare.add(spec)
  }
  return { seen, bare }
}

test('the package entry loads no React; the React entry does', () => {
  const headless = importsOf(resolve(DIST, 'lib/index.js'))
  expect([...headless.bare].filter((s) => /^react(-dom)?(\/|$)/.test(s))).toEqual([])
  expect(headless.bare.has('jose')).toBe(true) // the scan does find bare imports
  const react = importsOf(resolve(DIST, 'lib/react.js'))
  expect([...react.bare].filter((s) => /^react(-dom)?(\/|$)/.test(s)).length).toBeGreaterThan(0)
})
