/**
 * What the scenarios' data share: RFC 9700 links, the configuration a story starts from, the
 * expired-code wait. Light: it imports no part of the simulated world but its constants.
 */
import { CODE_LIFETIME } from '../../protocol/state.ts'
import type { ClientType, FlowConfig, RfcLink, Variant } from '../types.ts'
import type { ScenarioVariant } from './types.ts'

const RFC = 'https://www.rfc-editor.org/rfc'

/** A link to a section of RFC 9700 (the OAuth 2.0 security BCP). */
export function bcp(section: string, what: string): RfcLink {
  return { label: `RFC 9700 §${section} (${what})`, href: `${RFC}/rfc9700#section-${section}` }
}

/**
 * An attack's two sides, each as it differs, with the one defence they switch named once: both
 * variants carry it, the vulnerable one off and the defended one on.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4
 */
export function attackVariants(
  defence: RfcLink,
  sides: Record<Variant, Omit<ScenarioVariant, 'defence'>>,
): Record<Variant, ScenarioVariant> {
  return {
    vulnerable: { ...sides.vulnerable, defence },
    defended: { ...sides.defended, defence },
  }
}

/**
 * The configuration a scenario's story starts from: every defence on, `openid profile
 * photos.read`, and no refresh or revocation steps unless the story needs them. Variants patch it.
 */
export function storyConfig(
  clientType: ClientType,
  patch: Partial<FlowConfig> = {},
): Partial<FlowConfig> {
  return {
    clientType,
    pkce: true,
    state: true,
    oidc: true,
    scope: 'openid profile photos.read',
    refresh: false,
    revoke: false,
    ...patch,
  }
}

/** How long the code waits in the expired-code scenario: a minute past its lifetime. */
export const EXPIRED_CODE_WAIT = CODE_LIFETIME + 60
