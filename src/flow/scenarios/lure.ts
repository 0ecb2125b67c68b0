/**
 * The lure the planted-link attacks share (login CSRF, redirect URI tampering): Alice opens the
 * attacker's prize page, then follows its link.
 */
import { ORIGINS, type WorldState } from '../../protocol/index.ts'
import { pageKind } from '../engine/director.ts'
import type { Action, Milestone } from '../types.ts'
import { prizeLink } from './helpers.ts'

/**
 * A beat with the milestone it reaches. `Action` declares no milestone on `navigate`, yet the flow
 * records any action's milestone (engine/flow.ts), and the lure's navigations reach `lure` and
 * `click`.
 */
type Beat = Action & { milestone?: Milestone }

/**
 * The next lure beat: visit the attacker's page from a blank browser, then follow its prize link
 * (the story ends there when the page has none); null once the link was followed.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7
 */
export function lureBeat(world: WorldState, done: (m: Milestone) => boolean): Beat | null {
  if (world.browser.url === 'about:blank')
    return {
      type: 'navigate',
      url: `${ORIGINS.attacker}/`,
      user: 'visit-lure',
      milestone: 'lure',
    }
  if (!done('click')) {
    const href = pageKind(world) === 'attacker-lure' ? prizeLink(world) : null
    return href
      ? { type: 'navigate', url: href, user: 'follow-link', milestone: 'click' }
      : { type: 'end', outcome: 'success' }
  }
  return null
}
