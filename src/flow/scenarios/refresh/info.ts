/** The refresh scenario as data: what the page shows of it before the simulated world has loaded. */
import { attackVariants, bcp, storyConfig } from '../common.ts'
import type { ScenarioInfo } from '../types.ts'

/**
 * The access token expires, the SPA refreshes it (the refresh token rotates), and a copy of the
 * old refresh token presented later revokes the whole token family. In the vulnerable variant
 * auth.example does not rotate: the refresh answers no new refresh token, the old one stays valid,
 * and the copy gets the attacker fresh tokens.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 */
export const info = {
  id: 'refresh' as const,
  story: () => import('./story.ts'),
  title: 'Refresh with rotation',
  summary:
    'The access token expires and the API answers 401; the SPA refreshes it and the refresh token rotates; when a copy of the old refresh token turns up, the whole token family is revoked — unless the server does not rotate, and the copy simply works.',
  attack: true,
  chapters: {
    rotate: 'refresh',
    'refresh-again': 'refresh',
    'api-again': 'api',
    'api-expired': 'api',
  },
  config: storyConfig('public'),
  settings: {},
  variants: attackVariants(bcp('4.14.2', 'refresh token rotation'), {
    vulnerable: {
      label: 'Without rotation',
      config: {},
      // WARNING: the server hands back no new refresh token and keeps the old one valid: a copied
      // refresh token works for as long as it lives, and its reuse goes unnoticed.
      settings: { authorizationServer: { rotateRefreshTokens: false } },
    },
    defended: {
      label: 'Rotation with reuse detection',
      config: {},
      settings: { authorizationServer: { rotateRefreshTokens: true } },
    },
  }),
  intro: (config) => ({
    title: 'Ready: tokens expire',
    narration: `Alice signs in to the Demo Photo SPA. Then an hour passes and her access token expires. Watch the refresh token get the SPA a new one — and what happens when a copy of an old refresh token turns up. ${
      config.variant === 'vulnerable'
        ? 'This auth.example does not rotate refresh tokens: the same one is used again and again.'
        : 'This auth.example rotates refresh tokens and detects reuse.'
    } Press Next.`,
  }),
} satisfies ScenarioInfo
