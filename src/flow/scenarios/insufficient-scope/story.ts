/** A token used beyond its scope. */
import { pageKind } from '../../engine/director.ts'
import { LINKS } from '../../narration/narration.ts'
import { answered, bcp, ENDPOINTS, lastExchange } from '../helpers.ts'
import type { ScenarioStory } from '../types.ts'

/**
 * A token with `photos.read` used for `POST /photos`: 403 `insufficient_scope`.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export const story: ScenarioStory = {
  beat({ world, progress }) {
    if (progress.includes('upload'))
      return world.browser.pendingRedirect ? null : { type: 'end', outcome: 'success' }
    if (pageKind(world) === 'client-home')
      return {
        type: 'submit',
        formId: 'upload-form',
        values: { title: 'New photo' },
        user: 'upload',
        milestone: 'upload',
      }
    return null
  },
  ending({ world }) {
    const post = lastExchange(world, { from: 'client', method: 'POST', endpoint: ENDPOINTS.photos })
    if (!answered(post, 403, 'insufficient_scope')) return null
    const scope = world.rs.lastValidation?.scope ?? 'photos.read'
    return {
      title: 'The API refuses: 403 insufficient_scope',
      narration: `The API checked the token — signature, issuer, audience, expiry: all good — and then its scope: “${scope}”. POST /photos needs photos.write, so it answered 403 with WWW-Authenticate: Bearer error="insufficient_scope", scope="photos.write", naming what would be enough (RFC 6750 §3.1). A token grants only what Alice consented to; to add photos, the app must ask her again for the larger scope.`,
      outcome: 'failure',
      links: [LINKS.bearerError, bcp('2.3', 'least privilege')],
      label: 'Refused',
    }
  },
}
