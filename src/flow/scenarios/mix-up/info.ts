/** The mix-up scenario as data: what the page shows of it before the simulated world has loaded. */
import { ORIGINS } from '../../../protocol/state.ts'
import { attackVariants, bcp, storyConfig } from '../common.ts'
import type { ScenarioInfo } from '../types.ts'

/**
 * Alice signs in through a malicious authorization server that passes her on to the honest one;
 * without the `iss` check the app sends the honest code to the attacker, who injects it into a
 * sign-in of its own at the app and is signed in as Alice. The app is an older one — no PKCE, no
 * OpenID Connect (so no nonce) — under which the injection really works; the ending says what
 * PKCE or a nonce would and would not have changed.
 * @see https://www.rfc-editor.org/rfc/rfc9207
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.4
 */
export const info = {
  id: 'mix-up' as const,
  story: () => import('./story.ts'),
  title: 'Mix-up attack (iss)',
  summary:
    'Alice signs in through a malicious authorization server that passes her on to the honest one; without the iss check the app sends the honest server’s code to the attacker, who uses it to sign in to the app as Alice.',
  attack: true,
  // WARNING: no PKCE and no nonce — a legacy app. Either would stop the code injection that ends
  // the vulnerable variant (RFC 9700 §4.5.3); the iss check is what stops the mix-up itself.
  config: storyConfig('confidential', { pkce: false, oidc: false, scope: 'profile photos.read' }),
  // The app is registered at evil-as.example too, and offers it on its start page.
  settings: { webClient: { otherIssuers: [ORIGINS.maliciousAuthorizationServer] } },
  variants: attackVariants(bcp('4.4.2', 'mix-up countermeasures'), {
    // WARNING: without the iss check, the app cannot tell which server answered.
    vulnerable: {
      label: 'Without the iss check',
      config: {},
      settings: { webClient: { checkIss: false } },
    },
    defended: {
      label: 'With the iss check',
      config: {},
      settings: { webClient: { checkIss: true } },
    },
  }),
  // evil-as.example is a second authorization server, drawn beside the honest one (RFC 9207 §1).
  attackerLane: {
    name: 'evil-as.example',
    shortName: 'evil-as',
    origin: ORIGINS.maliciousAuthorizationServer,
    kind: 'Authorization server (attacker’s)',
    after: 'authorization-server',
  },
  intro: (config) => ({
    title: 'Ready: two authorization servers',
    narration: `The Demo Photo App lets people sign in with auth.example or with evil-as.example — and the attacker runs evil-as.example. It is an older app: no PKCE, no OpenID Connect. Alice picks evil-as.example, which quietly sends her on to the honest auth.example. ${
      config.variant === 'vulnerable'
        ? 'This app does not check the iss parameter.'
        : 'This app checks the iss parameter (RFC 9207).'
    } Press Next.`,
  }),
} satisfies ScenarioInfo
