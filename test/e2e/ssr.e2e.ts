/**
 * The built files a docs site imports while rendering on a server (Docusaurus, Next.js): the web
 * component and the package entry load in Node, with no DOM, and define nothing. Here, after the
 * build, rather than in the unit tests, which run before it.
 */
import { resolve } from 'node:path'
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
  expect(element).toBeDefined()
  expect(typeof lib.OAuthFlowLab).toBe('function')
  expect(typeof lib.createLab).toBe('function')
  for (const name of DOM_GLOBALS) expect(name in globalThis, name).toBe(false)
})
