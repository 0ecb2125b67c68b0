/** Alice refuses on the consent page. */
import { awaitingOf, userAction } from '../../engine/director.ts'
import { LINKS } from '../../narration/narration.ts'
import { webSessionOf } from '../helpers.ts'
import type { ScenarioStory } from '../types.ts'

/**
 * Consent denied: `error=access_denied` comes back instead of a code.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export const story: ScenarioStory = {
  beat({ world, input }) {
    // The simulated Alice denies; the learner's own answer wins.
    if (!input && !world.browser.pendingRedirect && awaitingOf(world) === 'consent')
      return userAction({ type: 'consent', decision: 'deny' })
    return null
  },
  ending({ world }) {
    if (webSessionOf(world)?.error?.error !== 'access_denied') return null
    return {
      title: 'Alice said no: access_denied',
      narration:
        'auth.example sent the browser back to the app’s redirect_uri with error=access_denied, the state and iss — and no code. The app checked state and iss as it does for any answer, then showed “Sign-in did not complete” with the error: a 200 page, because nothing broke — Alice just said no. The app has no code and no tokens, exactly as she wished; only she can change that, by signing in again.',
      outcome: 'failure',
      links: [LINKS.authError, LINKS.csrf],
      label: 'Denied',
    }
  },
}
