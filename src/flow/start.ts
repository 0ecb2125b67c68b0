/**
 * A run's first step, "Ready", as words: what the page shows while the simulated world is still
 * loading. Light on purpose (no part of the world); the flow's own first step is built from it.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 */
import { IDLE } from './views/laneStatus.ts'
import { findScenarioInfo, scenarioConfig } from './scenarios/catalog.ts'
import type { FlowConfig, ShownStep } from './types.ts'


/** The "Ready" step of a configuration's run, or null for an unknown scenario. */
export function startPreview(given: FlowConfig): ShownStep | null {
  const scenario = findScenarioInfo(given.scenario)
  const config = scenarioConfig(given)
  if (!scenario || !config) return null
  const intro = scenario.intro?.(config)
  const confidential = config.clientType === 'confidential'
  return {
    index: 0,
    kind: { type: 'start' },
    from: null,
    to: null,
    channel: null,
    phase: null,
    label: 'Ready',
    title:
      intro?.title ??
      (confidential
        ? 'Ready: a web app with a server of its own'
        : 'Ready: a single-page app with no server'),
    narration:
      intro?.narration ??
      (confidential
        ? 'Alice wants the Demo Photo App (client.example) to show her photos, which live at api.example. She will let it in through auth.example — without ever giving it her password. Press Next.'
        : 'Alice wants the Demo Photo SPA (spa.example), which runs entirely in her browser, to show her photos from api.example. It has no server and no secret: PKCE protects its code. Press Next.'),
    links: [{ label: 'RFC 6749 §4.1', href: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1' }],
    statuses: { ...IDLE },
    active: [],
  }
}
