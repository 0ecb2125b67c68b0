/** The default scenario: the confidential web app, with whatever settings the learner picks. */
import type { Scenario } from './types.ts'

/**
 * The web app with a back end: code, secret on the back channel, API call, refresh, revocation.
 * Its configuration is the learner's own, so every setting can be tried here.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 */
export const confidential: Scenario = {
  id: 'confidential',
  title: 'Web app with a back end',
  summary:
    'The default flow: a confidential web app gets a code through the browser, redeems it with its secret on the back channel, calls the API, refreshes and revokes.',
  attack: false,
  config: {},
  settings: {},
  beat: () => null,
  ending: () => null,
}
