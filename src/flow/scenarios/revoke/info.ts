/** The revoke scenario as data: what the page shows of it before the simulated world has loaded. */
import { storyConfig } from '../common.ts'
import type { ScenarioInfo } from '../types.ts'

/**
 * The refresh token is revoked: refresh fails, introspection says `active: false`, yet a JWT
 * access token keeps working at an API that validates it locally.
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export const info = {
  id: 'revoke' as const,
  story: () => import('./story.ts'),
  title: 'Revocation',
  summary:
    'The app revokes its refresh token: the next refresh fails with invalid_grant and introspection answers active: false — yet the JWT access token still works at an API that validates it locally.',
  attack: false,
  chapters: { introspect: 'introspect', 'revoke-rt': 'revoke' },
  config: storyConfig('confidential'),
  settings: {},
  intro: () => ({
    title: 'Ready: revoking tokens',
    narration:
      'Alice signs in to the Demo Photo App. Then its refresh token is revoked at auth.example (RFC 7009) — say Alice clicked “Disconnect”. What stops working at once, and what keeps working for a while? Press Next.',
  }),
} satisfies ScenarioInfo
