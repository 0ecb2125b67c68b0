/**
 * The React component for MDX sites (Docusaurus, Nextra, Storybook docs):
 * `import { OAuthFlowLab } from 'oauth-flow-lab/react'`. Props are named like the page's URL parameters
 * and get the same checks. The lab renders into a shadow root of its host element, so the site's
 * CSS (Infima, Tailwind's preflight, …) doesn't reach it and its CSS doesn't reach the site. On a
 * server render it is an empty box, filled in the browser.
 */
import { useLayoutEffect, useRef, useState, type CSSProperties } from 'react'
import { createPortal } from 'react-dom'
import type { ScenarioId } from '../flow/index.ts'
import type { PanelId } from '../flow/panels.ts'
import { EmbedLab } from './EmbedLab.tsx'
import { embedQuery } from './params.ts'
import { adoptStyles } from './styles.ts'

type Switch = boolean | 'on' | 'off'

export interface OAuthFlowLabProps {
  /** A scenario id (`pkce-spa`, `code-interception`, …); default `confidential`. */
  scenario?: ScenarioId
  /** `vulnerable` or `defended`, for attack scenarios. */
  variant?: 'vulnerable' | 'defended'
  /** The step to open at, from 1. */
  step?: number
  /** The random seed: the same seed and start time give the same codes and tokens. */
  seed?: string
  /** Start of simulated time, ISO 8601 (`2026-11-21T09:00:00Z`); default now. */
  t?: string
  client?: 'confidential' | 'public'
  /** Space-separated scopes. */
  scope?: string
  pkce?: Switch
  state?: Switch
  oidc?: Switch
  refresh?: Switch
  revoke?: Switch
  auth?: 'client_secret_basic' | 'client_secret_post'
  theme?: 'light' | 'dark' | 'system'
  controls?: 'full' | 'compact'
  /**
   * The panes to show (`['diagram', 'narration']`, or as text: `'diagram,narration'`); default
   * narration, diagram, message and browser.
   */
  panels?: readonly PanelId[] | string
  /**
   * `fill` (default): the lab fills the height the host element is given (by `style`,
   * `className`; 500 px when none), its panes scrolling inside. `auto`: the lab's natural height.
   */
  height?: 'fill' | 'auto'
  /** On the host element (outside the shadow root): size and place it. */
  className?: string
  style?: CSSProperties
}

/** The lab, embedded; each instance runs its own. */
export function OAuthFlowLab({ className, style, ...params }: OAuthFlowLabProps) {
  const host = useRef<HTMLDivElement>(null)
  const [shadow, setShadow] = useState<ShadowRoot | null>(null)
  // Runs in the browser only: a server render leaves the box empty.
  useLayoutEffect(() => {
    const el = host.current
    if (!el) return
    const root = el.shadowRoot ?? el.attachShadow({ mode: 'open' })
    adoptStyles(root)
    setShadow(root)
  }, [])
  const query = embedQuery(params)
  return (
    <div
      ref={host}
      className={className}
      style={style}
      data-oauth-flow-lab=""
      // The host's own CSS (`:host([data-height='auto'])`, styles.ts) lets it take the lab's height.
      data-height={params.height === 'auto' ? 'auto' : undefined}
    >
      {shadow ? createPortal(<EmbedLab query={query} />, shadow) : null}
    </div>
  )
}
