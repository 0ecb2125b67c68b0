/** Mix-up: two authorization servers, one malicious. */
import { ORIGINS } from '../../protocol/index.ts'
import { pageKind } from '../director.ts'
import { LINKS } from '../narration.ts'
import { webSessionOf } from './helpers.ts'
import { mixUpInfo } from './catalog.ts'
import type { Scenario } from './types.ts'

const DEFENCE = mixUpInfo.variants.defended.defence

/**
 * Alice signs in through a malicious authorization server that passes her on to the honest one;
 * without the `iss` check the app sends the honest code to the attacker.
 * @see https://www.rfc-editor.org/rfc/rfc9207
 */
export const mixUp: Scenario = {
  ...mixUpInfo,
  beat({ world, progress }) {
    if (
      !progress.includes('pick') &&
      pageKind(world) === 'client-start' &&
      !world.browser.pendingRedirect
    ) {
      const host = new URL(ORIGINS.maliciousAuthorizationServer).host
      return {
        type: 'navigate',
        url: `${ORIGINS.webClient}/login?as=${host}`,
        user: 'click-sign-in',
        milestone: 'pick',
      }
    }
    return null
  },
  ending({ world, progress }) {
    if (!progress.includes('pick')) return null
    const links = [DEFENCE, LINKS.iss]
    const stolen = world.attacker.stolenCodes.filter((c) => c.via === 'token-request')
    if (stolen.length > 0) {
      const verifier = stolen.some((c) => c.code_verifier !== null)
      return {
        title: 'The honest code went to evil-as.example',
        narration: `The app remembered sending Alice to evil-as.example, so it sent the code to evil-as.example’s token endpoint — with ${
          verifier ? 'its PKCE code_verifier and ' : ''
        }its credentials for that server. But the code came from auth.example: the response said so in its iss parameter (https://auth.example), and the app did not look. The attacker now holds a valid code for Alice’s account at auth.example. The defence: check that iss names the server the request went to (RFC 9207; RFC 9700 §4.4.2). Switch to the defended variant.`,
        outcome: 'failure',
        links,
        label: 'Attack worked',
      }
    }
    const error = webSessionOf(world)?.error?.error
    if (error === 'iss_mismatch' || error === 'iss_missing') {
      return {
        title: `The app notices: ${error}`,
        narration:
          'The authorization response carried iss=https://auth.example, but the app had sent Alice to evil-as.example. It refused the response before any token request: the code went nowhere, and evil-as.example got nothing. That is what the iss parameter is for (RFC 9207; RFC 9700 §4.4.2).',
        outcome: 'success',
        links,
        label: 'Attack stopped',
      }
    }
    return null
  },
}
