/** Mix-up: two authorization servers, one malicious. */
import { ORIGINS } from '../../../protocol/index.ts'
import { pageKind } from '../../engine/director.ts'
import { LINKS } from '../../narration/narration.ts'
import { attackerWebSessionOf, linkHref, tokenOwnerOf, webSessionOf } from '../helpers.ts'
import { info } from './info.ts'
import type { ScenarioStory } from '../types.ts'

const EVIL_HOST = new URL(ORIGINS.maliciousAuthorizationServer).host

/**
 * Alice picks evil-as.example on the app's start page; evil-as passes her on to the honest
 * auth.example. Without the `iss` check the app sends the honest code to evil-as's token endpoint,
 * and the attacker injects it into a sign-in of its own at the app: it is signed in as Alice.
 * With the check the app refuses Alice's callback, and the code goes nowhere.
 * @see https://www.rfc-editor.org/rfc/rfc9207
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.4
 */
export const story: ScenarioStory = {
  beat({ world, progress }) {
    const b = world.browser
    // Alice clicks the start page's second provider: the link the app really shows.
    if (!progress.includes('pick') && pageKind(world) === 'client-start' && !b.pendingRedirect) {
      const href = linkHref(world, `sign-in-${EVIL_HOST}`)
      return href ? { type: 'navigate', url: href, user: 'click-sign-in', milestone: 'pick' } : null
    }
    // Once Alice's callback is answered, the attacker uses whatever its token endpoint caught.
    const caught = world.attacker.stolenCodes.some((c) => c.via === 'token-request')
    if (
      caught &&
      !progress.includes('inject') &&
      !b.pendingRedirect &&
      pageKind(world) === 'client-error'
    ) {
      return { type: 'attacker', move: 'inject-stolen-code', milestone: 'inject' }
    }
    return null
  },
  ending({ world, config, progress }) {
    if (!progress.includes('pick')) return null
    const links = [info.variants.defended.defence, LINKS.iss, LINKS.codeInjection]
    const alice = world.as.users.alice?.sub
    const owner = tokenOwnerOf(world, attackerWebSessionOf(world))
    // Why PKCE and the nonce did not and would not settle it: said from the run's own settings.
    const bindings =
      config.pkce || config.oidc ? null : 'This older app uses neither PKCE nor a nonce.'
    if (alice !== undefined && owner === alice) {
      return {
        title: 'The attacker is signed in to the app as Alice',
        narration: `Alice picked evil-as.example, but auth.example issued her code, and the callback said so: iss=https://auth.example. The app never looked, sent the code to evil-as.example’s token endpoint, and the attacker delivered it, with the state of a sign-in of its own, to the app’s callback. The app redeemed it: the attacker’s browser shows Alice’s photos. The defence: check iss against the server the sign-in went to, before using the code (RFC 9207; RFC 9700 §4.4.2). ${bindings ? `${bindings} Either would have stopped this injection (RFC 9700 §4.5.3): the code was bound to nothing of the attacker’s session. Neither stops mix-up itself: evil-as.example sees Alice’s request pass and could swap in its own session’s code_challenge and nonce. ` : ''}Switch to the defended variant.`,
        outcome: 'failure',
        links,
        label: 'Attack worked',
      }
    }
    const stolen = world.attacker.stolenCodes.filter((c) => c.via === 'token-request')
    if (stolen.length > 0) {
      const error = attackerWebSessionOf(world)?.error?.error
      return {
        title: 'The honest code went to evil-as.example',
        narration: `The app remembered sending Alice to evil-as.example, so it sent her code to evil-as.example’s token endpoint. But the code came from auth.example, as the callback’s iss said, and the app did not look. ${error ? `The attacker’s injection of the code failed here (${error}), but` : 'The attacker did not get to use it, but'} it held a valid code for Alice’s account. The defence: check iss against the server the sign-in went to (RFC 9207; RFC 9700 §4.4.2).`,
        outcome: 'failure',
        links,
        label: 'Attack worked',
      }
    }
    const error = webSessionOf(world)?.error?.error
    if (error === 'iss_mismatch' || error === 'iss_missing') {
      return {
        title: `The app refuses: ${error}`,
        narration: `Alice’s callback carried iss=https://auth.example, but the app had sent her to evil-as.example. It refused the response before any token request and showed her its refusal page. The code went nowhere: evil-as.example’s token endpoint never saw it, so the attacker had nothing to inject. That is the iss check (RFC 9207; RFC 9700 §4.4.2).${bindings ? ` ${bindings} The iss check alone stopped the attack.` : ''}`,
        outcome: 'success',
        links,
        label: 'Attack stopped',
      }
    }
    return null
  },
}
