/** Revoking the refresh token: what stops working, and what does not. */
import { ORIGINS } from '../../../protocol/index.ts'
import { pageKind } from '../../engine/director.ts'
import { LINKS } from '../../narration/narration.ts'
import { answered, bodyOf, ENDPOINTS, lastExchange, lastTokenRequest } from '../helpers.ts'
import type { Milestone } from '../../types.ts'
import type { ScenarioStory } from '../types.ts'

/**
 * The refresh token is revoked: refresh fails, introspection says `active: false`, yet a JWT
 * access token keeps working at an API that validates it locally.
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export const story: ScenarioStory = {
  beat({ world, progress }) {
    const done = (m: Milestone) => progress.includes(m)
    if (!done('revoke-rt')) {
      return pageKind(world) === 'client-home'
        ? { type: 'client', op: 'revoke-refresh-token', milestone: 'revoke-rt' }
        : null
    }
    if (!done('refresh'))
      return {
        type: 'submit',
        formId: 'refresh-form',
        values: {},
        user: null,
        milestone: 'refresh',
      }
    // The failed refresh left an error page: back to the photos page, which calls the API.
    if (!done('api'))
      return { type: 'navigate', url: `${ORIGINS.webClient}/photos`, user: null, milestone: 'api' }
    if (!done('introspect')) return { type: 'client', op: 'introspect', milestone: 'introspect' }
    return { type: 'end', outcome: 'success' }
  },
  ending({ world }) {
    const revoked = lastExchange(world, { from: 'client', endpoint: ENDPOINTS.revoke })
    const refreshed = lastTokenRequest(world, 'client', 'refresh_token')
    const api = lastExchange(world, { from: 'client', endpoint: ENDPOINTS.photos, method: 'GET' })
    const introspected = lastExchange(world, { from: 'client', endpoint: ENDPOINTS.introspect })
    if (
      !answered(revoked, 200) ||
      !answered(refreshed, 400, 'invalid_grant') ||
      !introspected ||
      !api?.response
    )
      return null
    const active = String(bodyOf(introspected).active)
    const apiOk = api.response.status === 200
    return {
      title: apiOk ? 'Revoked — but the JWT still works at the API' : 'Revoked everywhere',
      narration: `auth.example revoked the refresh token and, with it, every token of the grant: the next refresh got 400 invalid_grant, and introspection now answers {"active": ${active}} for the access token. ${
        apiOk
          ? 'But the API still served the photos (200): it checks the JWT’s signature, iss, aud and exp by itself and never asked auth.example. A revoked JWT access token keeps working at such an API until its exp — here up to an hour. Short access-token lifetimes, or an API that introspects every token (a setting of the resource server), close that gap.'
          : `The API refused the access token too (${api.response.status}): it asks auth.example about every token, so revocation took effect at once.`
      }`,
      outcome: 'success',
      links: [LINKS.revoke, LINKS.introspect, LINKS.jwtAt],
    }
  },
}
