/** Code replay: a used code presented again. */
import { LINKS } from '../../narration/narration.ts'
import { answered, bcp, ENDPOINTS, errorOf, lastExchange, lastTokenRequest } from '../helpers.ts'
import { info } from './info.ts'
import type { Milestone } from '../../types.ts'
import type { ScenarioStory } from '../types.ts'

/**
 * A code the SPA already used is presented again: the second use fails and the tokens issued
 * from the first are revoked. In the vulnerable variant auth.example lets a code be redeemed
 * more than once, and the SPA does not use PKCE (which would also have stopped the replay: the
 * attacker has the code from the history, never the verifier), so the replay gets tokens.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export const story: ScenarioStory = {
  beat({ progress }) {
    const done = (m: Milestone) => progress.includes(m)
    if (!done('api')) return null
    if (!done('copy')) return { type: 'attacker', move: 'copy-code', milestone: 'copy' }
    if (!done('replay')) return { type: 'attacker', move: 'redeem-code', milestone: 'replay' }
    if (!done('userinfo')) return { type: 'client', op: 'userinfo', milestone: 'userinfo' }
    return { type: 'end', outcome: 'success' }
  },
  ending({ world }) {
    const replay = lastTokenRequest(world, 'attacker', 'authorization_code')
    if (!replay?.response) return null
    const userinfo = lastExchange(world, {
      from: 'client',
      method: 'GET',
      endpoint: ENDPOINTS.userinfo,
    })
    const links = [
      info.variants.defended.defence,
      LINKS.authResponse,
      bcp('4.5', 'code injection'),
      LINKS.userinfo,
    ]
    if (answered(replay, 400, 'invalid_grant')) {
      const ui = userinfo?.response
        ? `${userinfo.response.status} ${errorOf(userinfo) ?? ''}`.trim()
        : null
      return {
        title: 'Single use: the replay revoked the grant',
        narration: `An authorization code may be used once. When it came back, auth.example refused it (400 invalid_grant) and, as RFC 6749 §4.1.2 says it should, revoked every token issued from it — a code used twice means it leaked, and the server cannot tell which use was honest. ${
          ui ? `UserInfo now answers the SPA’s access token with ${ui}. ` : ''
        }Honest caveat: the API validates JWTs locally, so that access token would still work there until it expires. Alice signs in again; the replay gained the attacker nothing.`,
        outcome: 'success',
        links,
        label: 'Replay refused',
      }
    }
    if (replay.response.status === 200) {
      return {
        title: 'The replayed code was accepted',
        narration: `The token endpoint accepted a code a second time (200): the attacker has its own access, refresh and ID tokens for Alice’s account, and nothing was revoked — ${
          answered(userinfo, 200)
            ? 'UserInfo still answers the SPA’s access token with 200, and '
            : ''
        }neither Alice nor the SPA can tell. Two defences were off: auth.example does not make codes single use, and the SPA sent no PKCE challenge, so nothing tied the code to a verifier the attacker never saw. An authorization code must be used once; a second use must fail with invalid_grant and revoke what the first gave (RFC 6749 §4.1.2; RFC 9700 §4.3.1). Switch to the defended variant.`,
        outcome: 'failure',
        links,
        label: 'Attack worked',
      }
    }
    return null
  },
}
