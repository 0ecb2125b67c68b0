/**
 * The React component for MDX sites (Docusaurus, Nextra, Storybook docs):
 * `import { OAuthFlowLab } from 'oauth-flow-lab'`. Props are named like the page's URL parameters
 * and get the same checks. The lab renders into a shadow root of its host element, so the site's
 * CSS (Infima, Tailwind's preflight, …) doesn't reach it and its CSS doesn't reach the site. On a
 * server render it is an empty box, filled in the browser.
 */
import { useLayoutEffect, useRef, useState, type CSSProperties } from 'react'
import { createPortal } from 'react-dom'
import type { ScenarioId } from '../flow/index.ts'
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
    <div ref={host} className={className} style={style} data-oauth-flow-lab="">
      {shadow ? createPortal(<EmbedLab query={query} />, shadow) : null}
    </div>
  )
}
