// @vitest-environment node
/**
 * Docusaurus, Next.js and Nextra import the embeds while rendering pages on a server, where there
 * is no `window`, `document`, `customElements`, `HTMLElement`, `matchMedia` or `localStorage`.
 * Importing them must touch none of these, and the React component must render to a string.
 * (The built files get the same check after the build: test/e2e/ssr.e2e.ts.)
 */
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'

const DOM_GLOBALS = [
  'window',
  'document',
  'customElements',
  'HTMLElement',
  'matchMedia',
  'localStorage',
  'ShadowRoot',
] as const

function expectNoDom() {
  for (const name of DOM_GLOBALS) expect(name in globalThis, name).toBe(false)
}

describe('on a server (no DOM)', () => {
  it('has no DOM to begin with (this test would prove nothing otherwise)', () => {
    expectNoDom()
  })

  it('imports the web component module without defining anything or throwing', async () => {
    const element = await import('../../src/embed/element.ts')
    expect(element.ELEMENT_NAME).toBe('oauth-flow-lab')
    expect(() => element.defineOAuthFlowLab()).not.toThrow()
    expectNoDom()
  })

  it('imports the package entries (the headless API, and the React component)', async () => {
    const lib = await import('../../src/index.ts')
    expect(typeof lib.createLab).toBe('function')
    expect('OAuthFlowLab' in lib).toBe(false)
    const react = await import('../../src/react.ts')
    expect(typeof react.OAuthFlowLab).toBe('function')
    expectNoDom()
  })

  it('renders the React component to a string: an empty host, filled in the browser', async () => {
    const { OAuthFlowLab } = await import('../../src/embed/react.tsx')
    const html = renderToString(
      createElement(OAuthFlowLab, {
        scenario: 'pkce-spa',
        panels: ['diagram', 'narration'],
        height: 'auto',
        className: 'docs-lab',
        style: { height: 480 },
      }),
    )
    expect(html).toBe(
      '<div class="docs-lab" style="height:480px" data-oauth-flow-lab="" data-height="auto"></div>',
    )
    expectNoDom()
  })
})
