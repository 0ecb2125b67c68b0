/** OpenID Connect: the ID token, its nonce, and the UserInfo endpoint. */
import { pageKind } from '../../engine/director.ts'
import { LINKS } from '../../narration/narration.ts'
import { ENDPOINTS, lastExchange, webSessionOf } from '../helpers.ts'
import type { ScenarioStory } from '../types.ts'

/**
 * What OpenID Connect adds to OAuth: an ID token about the user, checked with the nonce, and
 * UserInfo.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowAuth
 */
/** How UserInfo's claims compare with the ID token's: the same ones, or which it added. */
function claimsCompared(idClaims: Record<string, unknown>, body: string): string {
  let info: Record<string, unknown> = {}
  try {
    const parsed: unknown = JSON.parse(body)
    if (parsed && typeof parsed === 'object') info = parsed as Record<string, unknown>
  } catch {
    return 'a body that is not JSON'
  }
  const added = Object.keys(info).filter((k) => !Object.hasOwn(idClaims, k))
  return added.length
    ? `claims the ID token did not carry too: ${added.join(', ')}`
    : 'the same claims'
}

export const story: ScenarioStory = {
  beat({ world, progress }) {
    if (pageKind(world) === 'client-home' && !progress.includes('userinfo'))
      return { type: 'client', op: 'userinfo', milestone: 'userinfo' }
    if (progress.includes('userinfo')) return { type: 'end', outcome: 'success' }
    return null
  },
  ending({ world }) {
    const userinfo = lastExchange(world, { from: 'client', endpoint: ENDPOINTS.userinfo })
    if (userinfo?.response?.status !== 200) return null
    const user = webSessionOf(world)?.user ?? {}
    const who = `sub ${String(user.sub ?? '?')}${typeof user.name === 'string' ? ` (${user.name})` : ''}`
    return {
      title: 'What OpenID Connect added',
      narration: `The token response carried an ID token next to the access token: a JWT for the app itself (aud ${world.web.client_id}), signed by auth.example. The app checked its signature against the JWKS, its iss, aud and exp, its at_hash, and that its nonce is the one this sign-in sent — so an old or stolen ID token cannot be slipped into it. It knows who signed in: ${who}. UserInfo, asked with the access token, answered over the back channel with ${claimsCompared(user, userinfo.response.body)}. The access token is for the API, the ID token for the app: never send one where the other belongs.`,
      outcome: 'success',
      links: [LINKS.idToken, LINKS.nonce, LINKS.userinfo],
    }
  },
}
