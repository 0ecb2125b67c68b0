/** The consent-denied scenario as data: what the page shows of it before the simulated world has loaded. */
import { storyConfig } from '../common.ts'
import type { ScenarioInfo } from '../types.ts'

/**
 * Consent denied: `error=access_denied` comes back instead of a code.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export const info = {
  id: 'consent-denied' as const,
  story: () => import('./story.ts'),
  title: 'Consent denied',
  summary:
    'Alice clicks Deny: the authorization server sends error=access_denied back to the app instead of a code, and the app shows her what happened.',
  attack: false,
  config: storyConfig('confidential'),
  settings: {},
  intro: () => ({
    title: 'Ready: Alice will say no',
    narration:
      'The Demo Photo App asks for Alice’s photos; this time she refuses on the consent page (answer the page yourself to choose otherwise). What does the authorization server send back, and what does the app do with it? Press Next.',
  }),
} satisfies ScenarioInfo
