/** The confidential scenario as data: what the page shows of it before the simulated world has loaded. */
import type { ScenarioInfo } from '../types.ts'

/**
 * The web app with a back end: code, secret on the back channel, API call, refresh, revocation.
 * Its configuration is the learner's own, so every setting can be tried here.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 */
export const info = {
  id: 'confidential' as const,
  story: () => import('./story.ts'),
  title: 'Web app with a back end',
  summary:
    'The default flow: a confidential web app gets a code through the browser, redeems it with its secret on the back channel, calls the API, refreshes and revokes.',
  attack: false,
  config: {},
  settings: {},
} satisfies ScenarioInfo
