/** The default scenario: the confidential web app, with whatever settings the learner picks. */
import type { ScenarioStory } from '../types.ts'

/**
 * The web app with a back end: code, secret on the back channel, API call, refresh, revocation.
 * Its configuration is the learner's own, so every setting can be tried here.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 */
export const story: ScenarioStory = {
  beat: () => null,
  ending: () => null,
}
