/** Code interception: a copy of the redirect reaches the attacker, who races the SPA. */
import { ORIGINS } from '../../../protocol/index.ts'
import { LINKS } from '../../narration/narration.ts'
import {
  answered,
  bcp,
  ENDPOINTS,
  errorOf,
  hasCode,
  lastExchange,
  lastTokenRequest,
} from '../helpers.ts'
import { info } from './info.ts'
import type { Milestone } from '../../types.ts'
import type { ScenarioStory } from '../types.ts'

/**
 * An attacker intercepts the public client's code: without PKCE it redeems the code itself; with
 * PKCE the token endpoint answers `invalid_grant`.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-1
 */
export const story: ScenarioStory = {
  beat({ world, progress }) {
    const done = (m: Milestone) => progress.includes(m)
    const pending = world.browser.pendingRedirect
    if (!done('intercept')) {
      return hasCode(pending) && pending.startsWith(`${ORIGINS.spaClient}/callback`)
        ? { type: 'attacker', move: 'intercept-code', milestone: 'intercept' }
        : null
    }
    if (!done('redeem')) return { type: 'attacker', move: 'redeem-code', milestone: 'redeem' }
    if (!done('use') && world.attacker.stolenTokens.length > 0)
      return { type: 'attacker', move: 'call-api', milestone: 'use' }
    return null
  },
  ending({ world }) {
    const stolen = lastTokenRequest(world, 'attacker', 'authorization_code')
    if (!stolen?.response) return null
    const victim = lastTokenRequest(world, 'client', 'authorization_code')
    if (stolen.response.status === 200) {
      const api = lastExchange(world, { from: 'attacker', endpoint: ENDPOINTS.photos })
      return {
        title: 'The attacker redeemed Alice’s code',
        narration: `The code was all it took: a public client has no secret, and without PKCE nothing tied the code to the SPA that asked for it. The attacker got Alice’s tokens (200)${
          answered(api, 200) ? ' and read her photos at the API' : ''
        }. ${
          answered(victim, 400, 'invalid_grant')
            ? 'When the SPA came with the same code, auth.example saw it used twice and revoked the grant (400 invalid_grant) — too late: the API validates JWTs locally, so the attacker’s access token works there until it expires. '
            : ''
        }The defence is PKCE, which auth.example must require of public clients (RFC 9700 §2.1.1). Switch to the defended variant.`,
        outcome: 'failure',
        links: [info.variants.defended.defence, LINKS.pkce, bcp('4.5', 'code injection')],
        label: 'Attack worked',
      }
    }
    if (answered(stolen, 400, 'invalid_grant')) {
      return {
        title: 'PKCE stops the attacker: invalid_grant',
        narration: `The attacker had the code but not the code_verifier: the SPA kept it in sessionStorage and had sent only its SHA-256 hash, the code_challenge. auth.example answered 400 invalid_grant and left the code unused${
          answered(victim, 200)
            ? ', so the SPA then redeemed it with its verifier and signed Alice in'
            : ''
        }. PKCE makes an intercepted code worthless (RFC 7636; RFC 9700 §2.1.1).`,
        outcome: 'success',
        links: [info.variants.defended.defence, LINKS.pkce],
        label: 'Attack stopped',
      }
    }
    return {
      title: `The attacker was refused: ${errorOf(stolen) ?? stolen.response.status}`,
      narration: 'The token endpoint refused the intercepted code, and the attacker got no tokens.',
      outcome: 'success',
      links: [info.variants.defended.defence, LINKS.tokenError],
      label: 'Attack stopped',
    }
  },
}
