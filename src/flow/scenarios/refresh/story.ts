/** Tokens expire: refresh with rotation, and reuse of an old refresh token detected. */
import { ACCESS_TOKEN_LIFETIME } from '../../../protocol/index.ts'
import { LINKS } from '../../narration/narration.ts'
import { answered, ENDPOINTS, exchangesWhere, spaSessionOf, lastTokenRequest } from '../helpers.ts'
import { info } from './info.ts'
import type { Milestone } from '../../types.ts'
import type { ScenarioStory } from '../types.ts'

/**
 * The access token expires, the SPA refreshes it (the refresh token rotates), and a copy of the
 * old refresh token presented later revokes the whole token family. In the vulnerable variant
 * auth.example does not rotate: the refresh answers no new refresh token, the old one stays valid,
 * and the copy gets the attacker fresh tokens.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 */
export const story: ScenarioStory = {
  beat({ world, progress }) {
    const done = (m: Milestone) => progress.includes(m)
    if (!spaSessionOf(world)?.tokens) return null
    if (!done('copy-rt'))
      return { type: 'attacker', move: 'copy-refresh-token', milestone: 'copy-rt' }
    if (!done('api')) return null
    if (!done('expire')) {
      return {
        type: 'clock',
        seconds: ACCESS_TOKEN_LIFETIME + 60,
        reason: `An hour and a minute pass. The token response said expires_in ${ACCESS_TOKEN_LIFETIME}: the access token is now past its exp.`,
        milestone: 'expire',
      }
    }
    if (!done('api-expired')) return { type: 'spa', op: 'call-api', milestone: 'api-expired' }
    if (!done('rotate')) return { type: 'spa', op: 'refresh', milestone: 'rotate' }
    if (!done('api-again')) return { type: 'spa', op: 'call-api', milestone: 'api-again' }
    if (!done('replay'))
      return { type: 'attacker', move: 'replay-refresh-token', milestone: 'replay' }
    if (!done('refresh-again')) return { type: 'spa', op: 'refresh', milestone: 'refresh-again' }
    return { type: 'end', outcome: 'success' }
  },
  ending({ world }) {
    const replay = lastTokenRequest(world, 'attacker', 'refresh_token')
    if (!replay?.response) return null
    const refreshes = exchangesWhere(world, {
      from: 'client',
      endpoint: ENDPOINTS.token,
      grant: 'refresh_token',
    })
    const expired = exchangesWhere(world, {
      from: 'client',
      endpoint: ENDPOINTS.photos,
      method: 'GET',
    }).some((x) => answered(x, 401, 'invalid_token'))
    const links = [info.variants.defended.defence, LINKS.refresh, LINKS.bearerError]
    if (answered(replay, 400, 'invalid_grant')) {
      const last = refreshes.at(-1) ?? null
      return {
        title: 'Reuse detected: the token family is revoked',
        narration: `${expired ? 'When the access token expired, the API answered 401 invalid_token. ' : ''}The SPA used its refresh token and got a new access token and a new refresh token — the old one was spent: rotation. When the copied old refresh token came back, auth.example could not tell the thief from the SPA, so it refused it (400 invalid_grant) and revoked every token of the grant: the SPA’s newest refresh token ${answered(last, 400, 'invalid_grant') ? 'failed too (400 invalid_grant)' : 'is revoked too'}. Alice signs in again. ${world.attacker.stolenTokens.length ? 'The attacker can refresh no more, but the access token it got still works' : 'The attacker got nothing. The SPA’s newest access token, though, still works'} at api.example until it expires: an API that checks JWTs itself never hears of the revocation. Rotation with reuse detection turns a stolen refresh token into an alarm (RFC 9700 §4.14.2).`,
        outcome: 'success',
        links,
      }
    }
    if (replay.response.status === 200) {
      const last = refreshes.at(-1) ?? null
      const same = refreshes.every(
        (x) => x.response?.status !== 200 || !/"refresh_token"/.test(x.response.body),
      )
      return {
        title: 'The attacker refreshed with the copied token',
        narration: `${expired ? 'When the access token expired, the API answered 401 invalid_token. ' : ''}The SPA used its refresh token and got a new access token${same ? ' — but no new refresh token: auth.example does not rotate, so the SPA kept the old one and it stayed valid' : ''}. When the copied refresh token came back, auth.example accepted it (200): the attacker now has a fresh access token for Alice, and can get another whenever it likes, for as long as the refresh token lives (thirty days). ${
          answered(last, 200) ? 'The SPA’s next refresh worked too. ' : ''
        }Nothing was detected and nothing was revoked — without rotation, a token used twice looks like a token used once. Rotation with reuse detection (RFC 9700 §4.14.2) would have spent the token at its first use and revoked the family when the copy turned up. Switch to the defended variant.`,
        outcome: 'failure',
        links,
        label: 'Attack worked',
      }
    }
    return null
  },
}
