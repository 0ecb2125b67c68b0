/** The code expires before the exchange. */
import { CODE_LIFETIME, ORIGINS } from '../../../protocol/index.ts'
import { LINKS } from '../../narration/narration.ts'
import { answered, bodyOf, hasCode, lastTokenRequest } from '../helpers.ts'
import { EXPIRED_CODE_WAIT } from '../common.ts'
import type { ScenarioStory } from '../types.ts'

/** How long the code waits: one minute past its lifetime. */

/**
 * More than ten minutes pass between the redirect and the exchange: `invalid_grant`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export const story: ScenarioStory = {
  beat({ world, progress }) {
    const pending = world.browser.pendingRedirect
    if (
      !progress.includes('wait') &&
      hasCode(pending) &&
      pending.startsWith(`${ORIGINS.webClient}/callback`)
    ) {
      return {
        type: 'clock',
        seconds: EXPIRED_CODE_WAIT,
        reason: `${EXPIRED_CODE_WAIT / 60} minutes pass with the redirect pending — a laptop lid closed, a stalled network. The code in the Location URL was issued for ${CODE_LIFETIME} seconds.`,
        milestone: 'wait',
      }
    }
    return null
  },
  ending({ world, progress }) {
    if (!progress.includes('wait')) return null
    const token = lastTokenRequest(world, 'client', 'authorization_code')
    if (!token || !answered(token, 400, 'invalid_grant')) return null
    const description = bodyOf(token).error_description
    return {
      title: 'The code expired: invalid_grant',
      narration: `auth.example issued the code with a ${CODE_LIFETIME / 60}-minute lifetime (RFC 6749 §4.1.2 recommends at most ten). When the app redeemed it ${EXPIRED_CODE_WAIT / 60} minutes later, the token endpoint answered 400 invalid_grant${
        typeof description === 'string' ? ` — “${description}”` : ''
      } — and the app showed the error. A short life limits what a leaked code is worth; a real app simply starts the sign-in again.`,
      outcome: 'failure',
      links: [LINKS.authResponse, LINKS.tokenError],
      label: 'Code expired',
    }
  },
}
