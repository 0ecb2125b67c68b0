/** The public single-page app: PKCE instead of a secret, tokens in the browser. */
import { LINKS } from '../narration.ts'
import { bcp, ENDPOINTS, lastExchange, spaSessionOf } from './helpers.ts'
import { pkceSpaInfo } from './catalog.ts'
import type { Scenario } from './types.ts'

/**
 * A public client with no secret: PKCE binds the code to a verifier only the SPA holds.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1
 */
export const pkceSpa: Scenario = {
  ...pkceSpaInfo,
  beat: () => null,
  ending({ world, progress }) {
    const token = lastExchange(world, {
      from: 'client',
      endpoint: ENDPOINTS.token,
      grant: 'authorization_code',
    })
    if (
      !progress.includes('revoke') ||
      spaSessionOf(world)?.error ||
      token?.response?.status !== 200
    )
      return null
    return {
      title: 'The SPA signed in without a secret',
      narration:
        'The SPA could not keep a client_secret — anyone can read its code — so PKCE did that job: the code was bound to the code_challenge sent first, and only the code_verifier, which stayed in the browser’s sessionStorage until the token request, could redeem it. A code copied from the address bar or the history is useless without it (try the code-interception scenario). Its tokens lived in page memory, its API calls went through CORS, and it refreshed with rotation and revoked at the end.',
      outcome: 'success',
      links: [LINKS.pkce, bcp('2.1.1', 'PKCE for public clients')],
    }
  },
}
