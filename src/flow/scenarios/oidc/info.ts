/** The oidc scenario as data: what the page shows of it before the simulated world has loaded. */
import { storyConfig } from '../common.ts'
import type { ScenarioInfo } from '../types.ts'

/**
 * What OpenID Connect adds to OAuth: an ID token about the user, checked with the nonce, and
 * UserInfo.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowAuth
 */
export const info = {
  id: 'oidc' as const,
  story: () => import('./story.ts'),
  title: 'OpenID Connect: who signed in',
  summary:
    'With the openid scope the app also gets an ID token — a signed statement of who Alice is, bound to this sign-in by a nonce — and can ask the UserInfo endpoint for her claims.',
  attack: false,
  chapters: { userinfo: 'api' },
  config: storyConfig('confidential'),
  settings: {},
  intro: () => ({
    title: 'Ready: signing in with OpenID Connect',
    narration:
      'OAuth lets the Demo Photo App use Alice’s photos; it does not tell the app who Alice is. With the openid scope, auth.example also returns an ID token about her, tied to this sign-in by a nonce, and answers questions about her at its UserInfo endpoint. Press Next.',
  }),
} satisfies ScenarioInfo
