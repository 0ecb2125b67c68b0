/** The insufficient-scope scenario as data: what the page shows of it before the simulated world has loaded. */
import { storyConfig } from '../common.ts'
import type { ScenarioInfo } from '../types.ts'

/**
 * A token with `photos.read` used for `POST /photos`: 403 `insufficient_scope`.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export const info = {
  id: 'insufficient-scope' as const,
  story: () => import('./story.ts'),
  title: 'Insufficient scope',
  summary:
    'A token that carries photos.read is used for POST /photos, which needs photos.write: the API answers 403 insufficient_scope.',
  attack: false,
  chapters: { upload: 'api' },
  config: storyConfig('confidential'),
  settings: {},
  intro: () => ({
    title: 'Ready: asking for too little',
    narration:
      'The Demo Photo App asks only for photos.read. Alice signs in and sees her photos; then she tries to add one. Press Next.',
  }),
} satisfies ScenarioInfo
