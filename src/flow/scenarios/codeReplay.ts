/** Code replay: a used code presented again. */
import { LINKS } from '../narration.ts'
import { answered, bcp, ENDPOINTS, errorOf, lastExchange } from './helpers.ts'
import type { Scenario } from './types.ts'

/**
 * A code the SPA already used is presented again: the second use fails and the tokens issued
 * from the first are revoked.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export const codeReplay: Scenario = {
  id: 'code-replay',
  title: 'Code replay',
  summary:
    'An attacker presents a code the SPA already used: the token endpoint refuses it with invalid_grant and revokes the tokens issued from it.',
  attack: true,
  config: {
    clientType: 'public',
    pkce: true,
    state: true,
    oidc: true,
    scope: 'openid profile photos.read',
    refresh: false,
    revoke: false,
  },
  settings: {},
  intro: () => ({
    title: 'Ready: a code used twice',
    narration:
      'Alice signs in to the Demo Photo SPA. Afterwards the callback URL, code included, is still in her browser’s history. What happens if someone presents that code again? Press Next.',
  }),
  beat({ progress }) {
    const done = (m: string) => progress.includes(m)
    if (!done('api')) return null
    if (!done('copy')) return { type: 'attacker', move: 'copy-code', milestone: 'copy' }
    if (!done('replay')) return { type: 'attacker', move: 'redeem-code', milestone: 'replay' }
    if (!done('userinfo')) return { type: 'client', op: 'userinfo', milestone: 'userinfo' }
    return { type: 'end', outcome: 'success' }
  },
  ending({ world }) {
    const replay = lastExchange(world, {
      from: 'attacker',
      endpoint: ENDPOINTS.token,
      grant: 'authorization_code',
    })
    if (!replay?.response) return null
    const userinfo = lastExchange(world, {
      from: 'client',
      method: 'GET',
      endpoint: ENDPOINTS.userinfo,
    })
    const links = [LINKS.authResponse, bcp('4.5', 'code injection'), LINKS.userinfo]
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
        narration:
          'The token endpoint accepted a code a second time: the attacker has tokens. Codes must be single use (RFC 6749 §4.1.2).',
        outcome: 'failure',
        links,
      }
    }
    return null
  },
}
