/** Login CSRF: the attacker's own code planted in the victim's browser. */
import { ORIGINS } from '../../../protocol/index.ts'
import { pageKind } from '../../engine/director.ts'
import { LINKS } from '../../narration/narration.ts'
import { exchangesWhere, ENDPOINTS, lastExchange, webSessionOf } from '../helpers.ts'
import { lureBeat } from '../lure.ts'
import { info } from './info.ts'
import type { Milestone } from '../../types.ts'
import type { ScenarioStory } from '../types.ts'

/** What Alice uploads once she is (unknowingly) in Mallory's account. */
const PHOTO_TITLE = 'Holiday at the lake'

/** The error code on a client error page. */
function errorCodeOf(html: string): string | null {
  return /id="error-code">([^<]*)</.exec(html)?.[1] ?? null
}

/**
 * Login CSRF: without `state`, the app signs Alice in as the attacker; with `state`, it refuses
 * a callback it did not ask for.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7
 */
export const story: ScenarioStory = {
  beat({ world, progress }) {
    const done = (m: Milestone) => progress.includes(m)
    const b = world.browser
    if (!done('forge')) return { type: 'attacker', move: 'obtain-own-code', milestone: 'forge' }
    if (!done('plant'))
      return { type: 'attacker', move: 'plant-forged-callback', milestone: 'plant' }
    const lure = lureBeat(world, done)
    if (lure) return lure
    if (b.pendingRedirect) return null
    if (pageKind(world) === 'client-home' && !done('upload')) {
      return {
        type: 'submit',
        formId: 'upload-form',
        values: { title: PHOTO_TITLE },
        user: 'upload',
        milestone: 'upload',
      }
    }
    return { type: 'end', outcome: 'success' }
  },
  ending({ world, progress }) {
    if (!progress.includes('click')) return null
    const callback = lastExchange(world, {
      from: 'browser',
      to: 'client',
      endpoint: `${ORIGINS.webClient}/callback`,
    })
    if (!callback?.response) return null
    const mallory = world.as.users.mallory?.sub
    const session = webSessionOf(world)
    if (mallory !== undefined && session?.user?.sub === mallory) {
      const uploaded = world.rs.photos.some((p) => p.owner === mallory && p.title === PHOTO_TITLE)
      return {
        title: 'Alice is signed in — as Mallory',
        narration: `Without state, the app could not tell that this callback answered no sign-in Alice had started: it redeemed Mallory’s code and opened a session for Mallory’s account in Alice’s browser. ${
          uploaded
            ? `Alice’s photo “${PHOTO_TITLE}” went into Mallory’s account, where Mallory can see it. `
            : ''
        }Whatever Alice adds or types there, Mallory gets. The defence is a one-time value bound to the browser — state (or PKCE, or nonce) kept in Alice’s session and expected back (RFC 9700 §4.7.1). Switch to the defended variant to see the app refuse.`,
        outcome: 'failure',
        links: [info.variants.defended.defence, LINKS.csrf],
        label: 'Attack worked',
      }
    }
    const redeemed = exchangesWhere(world, { from: 'client', endpoint: ENDPOINTS.token }).length > 0
    if (callback.response.status >= 400 && !redeemed) {
      const code = errorCodeOf(callback.response.body) ?? String(callback.response.status)
      return {
        title: `The app refuses the planted callback: ${code}`,
        narration: `The app keeps the state it sends in Alice’s browser session and expects it back. This callback carried none, and ${
          code === 'no_session'
            ? 'Alice’s browser had no sign-in in progress here'
            : 'it did not match the sign-in in progress'
        } (${callback.response.status} ${code}), so the app refused it before any token request: Mallory’s code was never redeemed, and Alice was not signed in to Mallory’s account. That is the CSRF defence of RFC 9700 §4.7.1 — state (or PKCE, or nonce) bound to the user agent.`,
        outcome: 'success',
        links: [info.variants.defended.defence, LINKS.csrf],
        label: 'Attack stopped',
      }
    }
    return null
  },
}
