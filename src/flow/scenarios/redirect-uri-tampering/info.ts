/** The redirect-uri-tampering scenario as data: what the page shows of it before the simulated world has loaded. */
import { attackVariants, bcp, storyConfig } from '../common.ts'
import type { ScenarioInfo } from '../types.ts'

/**
 * The attacker alters `redirect_uri`: exact matching shows an error page; lax matching sends the
 * code to the attacker's look-alike host.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.1
 */
export const info = {
  id: 'redirect-uri-tampering' as const,
  story: () => import('./story.ts'),
  title: 'Redirect URI tampering',
  summary:
    'The attacker lures Alice to an authorization request whose redirect_uri points to a look-alike host: exact matching shows an error page, lax matching sends her code to the attacker.',
  attack: true,
  config: storyConfig('public'),
  settings: {},
  variants: attackVariants(bcp('4.1.3', 'exact redirect URI matching'), {
    vulnerable: {
      label: 'Lax matching',
      // WARNING: prefix matching lets https://spa.example.attacker.example/… through.
      config: {},
      settings: { authorizationServer: { redirectUriMatching: 'lax' } },
    },
    defended: {
      label: 'Exact matching',
      config: {},
      settings: { authorizationServer: { redirectUriMatching: 'exact' } },
    },
  }),
  intro: (config) => ({
    title: 'Ready: a link with the wrong redirect_uri',
    narration: `The attacker crafts a real auth.example sign-in link for the Demo Photo SPA — except that its redirect_uri points to spa.example.attacker.example, a host the attacker owns — and puts it on a prize page. ${
      config.variant === 'vulnerable'
        ? 'This auth.example compares redirect URIs by prefix (“lax”).'
        : 'This auth.example compares redirect URIs exactly.'
    } Press Next.`,
  }),
} satisfies ScenarioInfo
