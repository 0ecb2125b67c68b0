/** The pkce-spa scenario as data: what the page shows of it before the simulated world has loaded. */
import { storyConfig } from '../common.ts'
import type { ScenarioInfo } from '../types.ts'

/**
 * A public client with no secret: PKCE binds the code to a verifier only the SPA holds.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1
 */
export const info = {
  id: 'pkce-spa' as const,
  story: () => import('./story.ts'),
  title: 'Single-page app with PKCE',
  summary:
    'A public client that cannot keep a secret: PKCE binds the code to a verifier only the SPA holds, so a stolen code is useless; its tokens live in the browser.',
  attack: false,
  config: storyConfig('public', { refresh: true, revoke: true }),
  settings: {},
} satisfies ScenarioInfo
