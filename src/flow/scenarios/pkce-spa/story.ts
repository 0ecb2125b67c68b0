/** The public single-page app: PKCE instead of a secret, tokens in the browser. */
import { LINKS } from '../../narration/narration.ts'
import { bcp, spaSessionOf, lastTokenRequest } from '../helpers.ts'
import type { ScenarioStory } from '../types.ts'

/**
 * A public client with no secret: PKCE binds the code to a verifier only the SPA holds.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1
 */
export const story: ScenarioStory = {
  beat: () => null,
  ending({ world, progress }) {
    const token = lastTokenRequest(world, 'client', 'authorization_code')
    if (
      !progress.includes('revoke') ||
      spaSessionOf(world)?.error ||
      token?.response?.status !== 200
    )
      return null
    return {
      title: 'The SPA signed in without a secret',
      narration:
        'The SPA could not keep a client_secret — anyone can read its code — so it never authenticated: its client_id only named it. PKCE did something else: it tied the code to this instance of the app, the one that made the code_verifier. A code copied from the address bar or the history is useless without it (try the code-interception scenario).',
      more: 'Its tokens lived in page memory, its API calls went through CORS, and it refreshed with rotation and revoked at the end. Why not the implicit flow, which put the access token straight in the redirect URL? A token in a URL leaks through history, logs and Referer headers, and nothing binds it to the app: RFC 9700 §2.1.2 says not to use it; the code flow with PKCE replaces it. One more thing: auth.example and api.example are two servers here, but in many deployments the authorization server and the resource server are one service.',
      outcome: 'success',
      links: [LINKS.pkce, bcp('2.1.1', 'PKCE for public clients'), LINKS.implicit],
    }
  },
}
