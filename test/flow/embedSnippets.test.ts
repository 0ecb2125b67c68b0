import { createRequire } from 'node:module'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { defaultConfig, normalizeScope } from '../../src/flow/config.ts'
import { EMBED_HEIGHT, embedSnippets } from '../../src/flow/links/embedSnippets.ts'
import { escapeHtml } from '../../src/protocol/http.ts'
import { parseLabQuery } from '../../src/flow/links/labUrl.ts'
import type { FlowConfig } from '../../src/flow/types.ts'

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0)
const BASE = 'https://docs.example/lab/'
const pkce: FlowConfig = {
  ...defaultConfig(T0),
  scenario: 'pkce-spa',
  clientType: 'public',
  seed: 'room-7',
}

// jsdom ships no types; this is the little of it used here.
const { JSDOM } = createRequire(import.meta.url)('jsdom') as {
  JSDOM: new (
    html: string,
    options?: { runScripts?: 'dangerously' },
  ) => { window: Window & typeof globalThis }
}

/** Parses HTML the way a browser does, scripts off. */
function parseHtml(html: string): Document {
  return new JSDOM(`<!doctype html><body>${html}</body>`).window.document
}

/** The props a JSX element gets: compiled by TypeScript, run with a createElement that records. */
function jsxProps(code: string): Record<string, unknown> {
  const element = code.slice(code.indexOf('<OAuthFlowLab'))
  const js = ts.transpileModule(`export default ${element}`, {
    compilerOptions: { jsx: ts.JsxEmit.React, module: ts.ModuleKind.CommonJS },
  }).outputText
  const module = { exports: {} as { default?: unknown } }
  const React = { createElement: (_type: unknown, props: Record<string, unknown>) => props }
  new Function('module', 'exports', 'React', 'OAuthFlowLab', js)(
    module,
    module.exports,
    React,
    null,
  )
  return module.exports.default as Record<string, unknown>
}

describe('the embed snippets', () => {
  const snippets = embedSnippets({ config: pkce, step: 3, theme: 'dark', base: BASE })

  it('give an iframe of embed.html with the lab’s query, compact controls and a title', () => {
    expect(snippets.iframe).toBe(
      '<iframe src="https://docs.example/lab/embed.html?scenario=pkce-spa&amp;client=public&amp;seed=room-7&amp;t=2026-11-21T09:00:00Z&amp;step=4&amp;theme=dark&amp;controls=compact" title="OAuth Flow Lab: Single-page app with PKCE" width="100%" height="500" style="border:0" allow="fullscreen" loading="lazy"></iframe>',
    )
    const doc = parseHtml(snippets.iframe)
    const frame = doc.querySelector('iframe')
    const src = new URL(frame?.getAttribute('src') ?? '')
    expect(src.origin + src.pathname).toBe('https://docs.example/lab/embed.html')
    const link = parseLabQuery(src.search)
    expect(link).toEqual({
      config: { scenario: 'pkce-spa', clientType: 'public', seed: 'room-7', now: T0 },
      step: 3,
      theme: 'dark',
      controls: 'compact',
      panels: null,
      height: null,
      notice: null,
    })
  })

  it('give a web component with the URL parameters as attributes', () => {
    expect(snippets.webComponent).toBe(
      [
        '<script type="module" src="https://docs.example/lab/oauth-flow-lab.js"></script>',
        '<oauth-flow-lab',
        '  scenario="pkce-spa"',
        '  client="public"',
        '  seed="room-7"',
        '  t="2026-11-21T09:00:00Z"',
        '  step="4"',
        '  theme="dark"',
        '  controls="compact"',
        '  style="height: 500px"',
        '></oauth-flow-lab>',
      ].join('\n'),
    )
  })

  it('give the React component with the same props, the step as a number', () => {
    expect(snippets.react).toBe(
      [
        'npm install oauth-flow-lab',
        '',
        "import { OAuthFlowLab } from 'oauth-flow-lab/react'",
        '',
        '<OAuthFlowLab',
        '  scenario="pkce-spa"',
        '  client="public"',
        '  seed="room-7"',
        '  t="2026-11-21T09:00:00Z"',
        '  step={4}',
        '  theme="dark"',
        '  controls="compact"',
        '  style={{ height: 500 }}',
        '/>',
      ].join('\n'),
    )
    expect(jsxProps(snippets.react)).toEqual({
      scenario: 'pkce-spa',
      client: 'public',
      seed: 'room-7',
      t: '2026-11-21T09:00:00Z',
      step: 4,
      theme: 'dark',
      controls: 'compact',
      style: { height: 500 },
    })
  })

  it('carry every setting that differs, and the variant of an attack', () => {
    const config: FlowConfig = {
      ...defaultConfig(T0),
      scenario: 'mix-up',
      variant: 'vulnerable',
      scope: 'openid photos.write',
      pkce: false,
      state: false,
      refresh: false,
      revoke: false,
      authMethod: 'client_secret_post',
    }
    const { webComponent, react } = embedSnippets({ config, step: 0, theme: 'system', base: BASE })
    const el = parseHtml(webComponent).querySelector('oauth-flow-lab')
    expect(el?.getAttributeNames()).toEqual([
      'scenario',
      'variant',
      'scope',
      'pkce',
      'state',
      'refresh',
      'revoke',
      'auth',
      't',
      'controls',
      'style',
    ])
    expect(el?.getAttribute('scope')).toBe('openid photos.write')
    expect(el?.getAttribute('pkce')).toBe('off')
    expect(jsxProps(react)).toMatchObject({ variant: 'vulnerable', scope: 'openid photos.write' })
    expect(jsxProps(react)).not.toHaveProperty('step')
  })

  it('use the page’s own base, escaped', () => {
    const base = 'https://docs.example/a"b<c>&d\'/'
    const { iframe, webComponent } = embedSnippets({ config: pkce, step: 0, theme: 'light', base })
    const frame = parseHtml(iframe).querySelector('iframe')
    expect(frame?.getAttribute('src')).toMatch(/^https:\/\/docs\.example\/a"b<c>&d'\/embed\.html\?/)
    const script = parseHtml(webComponent).querySelector('script')
    expect(script?.getAttribute('src')).toBe(`${base}oauth-flow-lab.js`)
  })
})

describe('hostile values in the snippets', () => {
  // labUrl would never let these through a link; the snippets escape them all the same.
  const hostile: FlowConfig = {
    ...defaultConfig(T0),
    seed: '"><img src=x onerror=alert(1)>',
    scope: `openid x" onload="alert(1) </script><script>alert(2)</script> {alert(3)} \`\${x}\` a'b \\ &amp; \u2028 <!-- -->`,
  }
  const snippets = embedSnippets({ config: hostile, step: 2, theme: 'dark', base: BASE })

  it('cannot break out of an attribute of the web component', () => {
    const doc = parseHtml(snippets.webComponent)
    expect([...doc.body.querySelectorAll('*')].map((e) => e.localName)).toEqual([
      'script',
      'oauth-flow-lab',
    ])
    const el = doc.querySelector('oauth-flow-lab')
    expect(el?.getAttribute('seed')).toBe(hostile.seed)
    expect(el?.getAttribute('scope')).toBe(normalizeScope(hostile.scope, true))
    expect(el?.getAttributeNames()).not.toContain('onload')
    expect(el?.getAttributeNames()).not.toContain('onerror')
  })

  it('cannot break out of the iframe’s address or add elements', () => {
    const doc = parseHtml(snippets.iframe)
    expect([...doc.body.querySelectorAll('*')].map((e) => e.localName)).toEqual(['iframe'])
    const frame = doc.querySelector('iframe')
    expect(frame?.getAttributeNames()).toEqual([
      'src',
      'title',
      'width',
      'height',
      'style',
      'allow',
      'loading',
    ])
    const link = parseLabQuery(new URL(frame?.getAttribute('src') ?? '').search)
    expect(link.config.now).toBe(T0)
    expect(link.step).toBe(2)
  })

  it('cannot break out of a JSX string: the props are the values', () => {
    expect(snippets.react).not.toContain('</script>')
    const props = jsxProps(snippets.react)
    expect(props.seed).toBe(hostile.seed)
    expect(props.scope).toBe(normalizeScope(hostile.scope, true))
    expect(Object.keys(props)).toEqual(['scope', 'seed', 't', 'step', 'theme', 'controls', 'style'])
  })

  it('escape an attribute value (the world’s HTML escaping)', () => {
    expect(escapeHtml(`a&b"c'd<e>f`)).toBe('a&amp;b&quot;c&#39;d&lt;e&gt;f')
  })
})

describe('the height of the snippets', () => {
  const { iframe, webComponent, react } = embedSnippets({
    config: pkce,
    step: 0,
    theme: 'system',
    base: BASE,
  })

  it('is fixed, and the lab fills it: no resize script, no height=auto', () => {
    expect(EMBED_HEIGHT).toBe(500)
    const frame = parseHtml(iframe).querySelector('iframe')
    expect(frame?.getAttribute('width')).toBe('100%')
    expect(frame?.getAttribute('height')).toBe('500')
    expect(parseHtml(iframe).querySelector('script')).toBeNull()
    expect(new URL(frame?.getAttribute('src') ?? '').searchParams.has('height')).toBe(false)
    const el = parseHtml(webComponent).querySelector<HTMLElement>('oauth-flow-lab')
    expect(el?.getAttribute('style')).toBe('height: 500px')
    expect(el?.hasAttribute('height')).toBe(false)
    expect(jsxProps(react).style).toEqual({ height: 500 })
  })
})

describe('the panes of the snippets', () => {
  it('are left out when they are the embed’s default, in any order', () => {
    const given = { config: pkce, step: 0, theme: 'system' as const, base: BASE }
    const plain = embedSnippets(given)
    expect(
      embedSnippets({ ...given, panels: ['browser', 'message', 'diagram', 'narration'] }),
    ).toEqual(plain)
    expect(plain.webComponent).not.toContain('panels')
  })

  it('are carried, in the lab’s order, by all three', () => {
    const { iframe, webComponent, react } = embedSnippets({
      config: pkce,
      step: 0,
      theme: 'system',
      base: BASE,
      panels: ['narration', 'diagram'].reverse() as ['diagram', 'narration'],
    })
    const src = new URL(parseHtml(iframe).querySelector('iframe')?.getAttribute('src') ?? '')
    expect(src.search).toContain('&panels=narration,diagram')
    expect(parseLabQuery(src.search).panels).toEqual(['narration', 'diagram'])
    expect(parseHtml(webComponent).querySelector('oauth-flow-lab')?.getAttribute('panels')).toBe(
      'narration,diagram',
    )
    expect(jsxProps(react).panels).toBe('narration,diagram')
    expect(react).toContain('  panels="narration,diagram"\n')
  })
})
