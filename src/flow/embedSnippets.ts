/**
 * The code a documentation page pastes to embed the lab as it is on screen: an iframe, the
 * `<oauth-flow-lab>` web component, or the `OAuthFlowLab` React component. All three carry the
 * same settings under the same names as the page's URL parameters (`labUrl.ts`), so each opens
 * the same scenario at the same step with the same codes. Values are escaped for where they go
 * (an HTML attribute, a JSX string), even though `labUrl` already allows only tame ones.
 */
import { escapeHtml } from '../protocol/http.ts'
import { labSearch, type LinkTheme } from './labUrl.ts'
import { findScenarioInfo } from './scenarios/catalog.ts'
import type { FlowConfig } from './types.ts'

export interface EmbedSnippetInput {
  config: FlowConfig
  /** The step on screen, from 0. */
  step: number
  theme: LinkTheme
  /** Where the lab is published, ending in `/` (the page's `new URL('.', location.href)`). */
  base: string
}

export interface EmbedSnippets {
  iframe: string
  webComponent: string
  react: string
}

/** The message an embedded lab posts to its parent when its height changes. */
export const RESIZE_MESSAGE = { source: 'oauth-flow-lab', type: 'resize' } as const

/** A JSX attribute: `name="value"` for tame text, else `name={"…"}` as an escaped JS string. */
function jsxProp(name: string, value: string): string {
  if (name === 'step' && /^\d{1,4}$/.test(value)) return `${name}={${Number(value)}}`
  if (/^[\w .:+/-]*$/.test(value)) return `${name}="${value}"`
  // JSON is a JS string literal; <, > and & are escaped too, for MDX and for pages that inline it.
  const literal = JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  return `${name}={${literal}}`
}

/** The settings as `[name, value]` pairs, in the order (and with the names) of the URL parameters. */
function settings(input: EmbedSnippetInput): [string, string][] {
  const search = labSearch({
    config: input.config,
    step: input.step,
    theme: input.theme,
    controls: 'compact',
  })
  return [...new URLSearchParams(search)]
}

/** Keeps only names a JS identifier or attribute can carry (the URL parameters all are). */
const tameName = ([name]: [string, string]) => /^[a-z]+$/.test(name)

// Kept short and free of the page's values: it only trusts messages from its own iframe.
const RESIZE_SCRIPT = `<script>
  // Right after its iframe: fits it to the lab, which posts its height when it changes.
  (() => {
    const frame = document.currentScript.previousElementSibling
    addEventListener('message', (e) => {
      const d = e.data
      if (e.source !== frame.contentWindow || !d || d.source !== '${RESIZE_MESSAGE.source}' || d.type !== '${RESIZE_MESSAGE.type}') return
      if (Number.isFinite(d.height) && d.height > 0) frame.style.height = Math.ceil(d.height) + 'px'
    })
  })()
</script>`

/** The three snippets for a lab's configuration, step and theme. */
export function embedSnippets(input: EmbedSnippetInput): EmbedSnippets {
  const pairs = settings(input).filter(tameName)
  const query = new URLSearchParams(pairs).toString().replace(/%3A/gi, ':')
  const title = findScenarioInfo(input.config.scenario)?.title ?? 'the Authorization Code flow'
  const src = `${input.base}embed.html${query ? `?${query}` : ''}`

  const iframe = [
    `<iframe src="${escapeHtml(src)}" title="${escapeHtml(`OAuth Flow Lab: ${title}`)}" style="width:100%;border:0;height:640px" allow="fullscreen" loading="lazy"></iframe>`,
    RESIZE_SCRIPT,
  ].join('\n')

  const webComponent = [
    `<script type="module" src="${escapeHtml(`${input.base}oauth-flow-lab.js`)}"></script>`,
    '<oauth-flow-lab',
    ...pairs.map(([name, value]) => `  ${name}="${escapeHtml(value)}"`),
    '></oauth-flow-lab>',
  ].join('\n')

  const react = [
    'npm install oauth-flow-lab',
    '',
    "import { OAuthFlowLab } from 'oauth-flow-lab'",
    '',
    '<OAuthFlowLab',
    ...pairs.map(([name, value]) => `  ${jsxProp(name, value)}`),
    '/>',
  ].join('\n')

  return { iframe, webComponent, react }
}
