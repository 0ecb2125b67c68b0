/** The csrf-no-state scenario as data: what the page shows of it before the simulated world has loaded. */
import { attackVariants, bcp, storyConfig } from '../common.ts'
import type { ScenarioInfo } from '../types.ts'

/**
 * Login CSRF: without `state`, the app signs Alice in as the attacker; with `state`, it refuses
 * a callback it did not ask for.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7
 */
export const info = {
  id: 'csrf-no-state' as const,
  story: () => import('./story.ts'),
  title: 'Login CSRF (no state)',
  summary:
    'The attacker plants a callback carrying a code for its own account; without state the app signs Alice in as the attacker, with state it refuses the callback.',
  attack: true,
  chapters: { upload: 'api' },
  config: storyConfig('confidential'),
  settings: {},
  variants: attackVariants(bcp('4.7.1', 'CSRF countermeasures'), {
    vulnerable: {
      label: 'Without state',
      // WARNING: no state, so a callback nobody started is accepted — login CSRF (RFC 9700 §4.7).
      config: { state: false },
      settings: {},
    },
    defended: {
      label: 'With state',
      config: { state: true },
      settings: {},
    },
  }),
  intro: (config) => ({
    title: 'Ready: a forged sign-in (login CSRF)',
    narration: `Mallory has an account at auth.example too. She will get a code for HER account, stop before using it, and trick Alice’s browser into delivering it to the Demo Photo App. ${
      config.variant === 'vulnerable'
        ? 'This app does not use state.'
        : 'This app uses state, kept in the browser’s session.'
    } Press Next.`,
  }),
} satisfies ScenarioInfo
