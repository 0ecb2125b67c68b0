/**
 * The code a documentation page pastes to embed the lab as it is on screen: an iframe, the
 * `<oauth-flow-lab>` web component, or the `OAuthFlowLab` React component. All three carry the
 * same settings under the same names as the page's URL parameters (`labUrl.ts`), so each opens
 * the same scenario at the same step with the same codes. Values are escaped for where they go
 * (an HTML attribute, a JSX string), even though `labUrl` already allows only tame ones.
 *
 * Each gets a fixed height (`EMBED_HEIGHT`), which the lab fills, its panes scrolling inside: the
 * page around it never jumps as the reader steps. (`height=auto`, for a frame sized to the lab, is
 * in docs/embedding.md.)
 */
import { escapeHtml } from '../../protocol/http.ts'
import { labSearch, queryText, type LinkTheme } from './labUrl.ts'
import { EMBED_PANELS, PANEL_IDS, type PanelId } from '../panels.ts'
import { findScenarioInfo } from '../scenarios/catalog.ts'
import type { FlowConfig } from '../types.ts'

export interface EmbedSnippetInput {
  config: FlowConfig
  /** The step on screen, from 0. */
  step: number
  theme: LinkTheme
  /** Where the lab is published, ending in `/` (the page's `new URL('.', location.href)`). */
  base: string
  /** The panes to show; the embed's default (`EMBED_PANELS`) when absent, and then not written. */
  panels?: readonly PanelId[]
}

export interface EmbedSnippets {
  iframe: string
  webComponent: string
  react: string
}

/**
 * The height, in CSS pixels, each snippet gives the lab: the frame the embed's default panes are
 * chosen for (`EMBED_PANELS`: 700×500).
 */
export const EMBED_HEIGHT = 500

/** Whether a list names the same panes as the embed's default (then it goes unwritten). */
function isDefaultPanels(panels: readonly PanelId[]): boolean {
  return PANEL_IDS.every((id) => panels.includes(id) === EMBED_PANELS.includes(id))
}

/** A JSX attribute: `name="value"` for tame text, else `name={"…"}` as an escaped JS string. */
function jsxProp(name: string, value: string): string {
  if (name === 'step' && /^\d{1,4}$/.test(value)) return `${name}={${Number(value)}}`
  if (/^[\w .:+,/-]*$/.test(value)) return `${name}="${value}"`
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
    ...(input.panels && !isDefaultPanels(input.panels) ? { panels: input.panels } : {}),
  })
  return [...new URLSearchParams(search)]
}

/** Keeps only names a JS identifier or attribute can carry (the URL parameters all are). */
const tameName = ([name]: [string, string]) => /^[a-z]+$/.test(name)

/** The three snippets for a lab's configuration, step and theme. */
export function embedSnippets(input: EmbedSnippetInput): EmbedSnippets {
  const pairs = settings(input).filter(tameName)
  const query = queryText(new URLSearchParams(pairs))
  const title = findScenarioInfo(input.config.scenario)?.title ?? 'the Authorization Code flow'
  const src = `${input.base}embed.html${query ? `?${query}` : ''}`

  // The size as attributes, which a strict Content Security Policy keeps (it may drop `style`).
  const iframe = `<iframe src="${escapeHtml(src)}" title="${escapeHtml(`OAuth Flow Lab: ${title}`)}" width="100%" height="${EMBED_HEIGHT}" style="border:0" allow="fullscreen" loading="lazy"></iframe>`

  const webComponent = [
    `<script type="module" src="${escapeHtml(`${input.base}oauth-flow-lab.js`)}"></script>`,
    '<oauth-flow-lab',
    ...pairs.map(([name, value]) => `  ${name}="${escapeHtml(value)}"`),
    `  style="height: ${EMBED_HEIGHT}px"`,
    '></oauth-flow-lab>',
  ].join('\n')

  const react = [
    'npm install oauth-flow-lab',
    '',
    "import { OAuthFlowLab } from 'oauth-flow-lab/react'",
    '',
    '<OAuthFlowLab',
    ...pairs.map(([name, value]) => `  ${jsxProp(name, value)}`),
    `  style={{ height: ${EMBED_HEIGHT} }}`,
    '/>',
  ].join('\n')

  return { iframe, webComponent, react }
}
