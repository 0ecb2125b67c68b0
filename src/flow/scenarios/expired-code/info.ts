/** The expired-code scenario as data: what the page shows of it before the simulated world has loaded. */
import { CODE_LIFETIME } from '../../../protocol/state.ts'
import { EXPIRED_CODE_WAIT, storyConfig } from '../common.ts'
import type { ScenarioInfo } from '../types.ts'

/**
 * More than ten minutes pass between the redirect and the exchange: `invalid_grant`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export const info = {
  id: 'expired-code' as const,
  story: () => import('./story.ts'),
  title: 'Expired code',
  summary:
    'More than ten minutes pass between the redirect and the code exchange: the token endpoint answers invalid_grant.',
  attack: false,
  config: storyConfig('confidential'),
  settings: {},
  intro: () => ({
    title: 'Ready: a slow exchange',
    narration: `Alice signs in to the Demo Photo App as usual, but the code will wait ${EXPIRED_CODE_WAIT / 60} minutes before the app redeems it. Authorization codes are short-lived: auth.example gives them ${CODE_LIFETIME / 60} minutes. Press Next.`,
  }),
} satisfies ScenarioInfo
