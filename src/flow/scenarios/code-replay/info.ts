/** The code-replay scenario as data: what the page shows of it before the simulated world has loaded. */
import { attackVariants, bcp, storyConfig } from '../common.ts'
import type { ScenarioInfo } from '../types.ts'

/**
 * A code the SPA already used is presented again: the second use fails and the tokens issued
 * from the first are revoked. In the vulnerable variant auth.example lets a code be redeemed
 * more than once, and the SPA does not use PKCE (which would also have stopped the replay: the
 * attacker has the code from the history, never the verifier), so the replay gets tokens.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export const info = {
  id: 'code-replay' as const,
  story: () => import('./story.ts'),
  title: 'Code replay',
  summary:
    'An attacker presents a code the SPA already used: the token endpoint refuses it with invalid_grant and revokes the tokens issued from it — unless codes are not single use, and the replay gets tokens.',
  attack: true,
  chapters: { userinfo: 'api' },
  config: storyConfig('public'),
  settings: {},
  variants: attackVariants(bcp('4.3.1', 'code replay prevention'), {
    vulnerable: {
      label: 'Reusable codes, no PKCE',
      // Without PKCE: with it, the verifier alone would stop the replay (the attacker never had it).
      config: { pkce: false },
      // WARNING: the server redeems a used code again and revokes nothing, and lets the public
      // client skip PKCE: a code left in the browser history is as good as tokens.
      settings: {
        authorizationServer: { singleUseCodes: false, requirePkceForPublicClients: false },
      },
    },
    defended: {
      label: 'Single-use codes',
      config: { pkce: true },
      settings: {
        authorizationServer: { singleUseCodes: true, requirePkceForPublicClients: true },
      },
    },
  }),
  intro: (config) => ({
    title: 'Ready: a code used twice',
    narration: `Alice signs in to the Demo Photo SPA. Afterwards the callback URL, code included, is still in her browser’s history. What happens if someone presents that code again? ${
      config.variant === 'vulnerable'
        ? 'This auth.example lets a code be redeemed more than once, and this SPA does not use PKCE.'
        : 'This auth.example accepts each code once.'
    } Press Next.`,
  }),
} satisfies ScenarioInfo
