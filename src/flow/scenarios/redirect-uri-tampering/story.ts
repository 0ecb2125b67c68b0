/** Redirect URI tampering: an authorization request that sends the code to a look-alike host. */
import { awaitingOf } from '../../engine/director.ts'
import { LINKS } from '../../narration/narration.ts'
import { answered, bcp, ENDPOINTS, lastExchange, lastTokenRequest } from '../helpers.ts'
import { lureBeat } from '../lure.ts'
import { info } from './info.ts'
import type { Milestone } from '../../types.ts'
import type { ScenarioStory } from '../types.ts'

/**
 * The attacker alters `redirect_uri`: exact matching shows an error page; lax matching sends the
 * code to the attacker's look-alike host.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.1
 */
export const story: ScenarioStory = {
  beat({ world, progress }) {
    const done = (m: Milestone) => progress.includes(m)
    const b = world.browser
    if (!done('craft'))
      return { type: 'attacker', move: 'craft-authorization-request', milestone: 'craft' }
    const lure = lureBeat(world, done)
    if (lure) return lure
    if (b.pendingRedirect || awaitingOf(world)) return null
    if (!done('redeem') && world.attacker.stolenCodes.length > 0)
      return { type: 'attacker', move: 'redeem-code', milestone: 'redeem' }
    if (!done('use') && world.attacker.stolenTokens.length > 0)
      return { type: 'attacker', move: 'call-api', milestone: 'use' }
    return { type: 'end', outcome: 'success' }
  },
  ending({ world, progress }) {
    if (!progress.includes('click')) return null
    const links = [
      info.variants.defended.defence,
      LINKS.authError,
      bcp('2.1', 'exact string matching'),
    ]
    if (world.attacker.stolenCodes.length > 0) {
      const redeemed = lastTokenRequest(world, 'attacker', 'authorization_code')
      const api = lastExchange(world, { from: 'attacker', endpoint: ENDPOINTS.photos })
      return {
        title: 'The code went to the attacker',
        narration: `auth.example compared the redirect_uri by prefix: https://spa.example.attacker.example/callback starts with https://spa.example, so it passed. Alice signed in on the real auth.example and allowed the real Demo Photo SPA — and the browser delivered her code to the attacker’s host. ${
          answered(redeemed, 200)
            ? `The attacker had made the code_challenge itself, so PKCE did not help: it redeemed the code (200)${answered(api, 200) ? ' and read her photos' : ''}. `
            : ''
        }The defence is exact string matching of redirect URIs (RFC 9700 §4.1.3, §2.1). Switch to the defended variant.`,
        outcome: 'failure',
        links,
        label: 'Attack worked',
      }
    }
    const authorize = lastExchange(world, { from: 'browser', endpoint: ENDPOINTS.authorize })
    if (authorize?.response && authorize.response.status >= 400) {
      return {
        title: 'auth.example refuses the redirect_uri',
        narration:
          'auth.example compares the redirect_uri with the registered one, character for character. https://spa.example.attacker.example/callback is not https://spa.example/callback, so it showed an error page itself and redirected nowhere — not even to send an error, which would leak too. Nothing was stolen (RFC 9700 §4.1.3; RFC 6749 §4.1.2.1).',
        outcome: 'success',
        links,
        label: 'Attack stopped',
      }
    }
    return null
  },
}
