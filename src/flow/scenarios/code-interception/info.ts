/** The code-interception scenario as data: what the page shows of it before the simulated world has loaded. */
import { attackVariants, bcp, storyConfig } from '../common.ts'
import type { ScenarioInfo } from '../types.ts'

/**
 * An attacker intercepts the public client's code: without PKCE it redeems the code itself; with
 * PKCE the token endpoint answers `invalid_grant`.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-1
 */
export const info = {
  id: 'code-interception' as const,
  story: () => import('./story.ts'),
  title: 'Code interception (PKCE)',
  summary:
    'An attacker gets a copy of the redirect carrying the code; without PKCE it redeems the code itself, with PKCE the token endpoint answers invalid_grant.',
  attack: true,
  config: storyConfig('public'),
  settings: {},
  variants: attackVariants(bcp('2.1.1', 'PKCE for public clients'), {
    vulnerable: {
      label: 'Without PKCE',
      config: { pkce: false },
      // WARNING: the server lets public clients skip PKCE: an intercepted code is as good as tokens.
      settings: { authorizationServer: { requirePkceForPublicClients: false } },
    },
    defended: {
      label: 'With PKCE',
      config: { pkce: true },
      settings: { authorizationServer: { requirePkceForPublicClients: true } },
    },
  }),
  intro: (config) => ({
    title: 'Ready: a code in the wrong hands',
    narration: `Alice signs in to the Demo Photo SPA, a public client with no secret. When auth.example redirects back, an attacker gets a copy of the URL — a malicious app registered for the same redirect, a leaked log — and races the SPA to the token endpoint. ${
      config.variant === 'vulnerable'
        ? 'This SPA does not use PKCE, and auth.example does not insist.'
        : 'This SPA uses PKCE.'
    } Press Next.`,
  }),
} satisfies ScenarioInfo
