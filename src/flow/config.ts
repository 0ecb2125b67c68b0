/**
 * Flow configurations: the defaults, and how a configuration becomes the world's settings.
 */
import type { WorldSettingsInput } from '../protocol/index.ts'
import type { FlowConfig } from './types.ts'

/** Who is signed in at auth.example before the run when `signedIn` is set: the story's user. */
export const SIGNED_IN_USER = 'alice'

/** The scopes a learner can pick from. */
export const KNOWN_SCOPES = ['openid', 'profile', 'photos.read', 'photos.write'] as const

/** The default flow: the confidential web app, `openid profile photos.read`, state, PKCE, nonce, signed out. */
export function defaultConfig(now: number): FlowConfig {
  return {
    scenario: 'confidential',
    clientType: 'confidential',
    scope: 'openid profile photos.read',
    pkce: true,
    state: true,
    oidc: true,
    authMethod: 'client_secret_basic',
    refresh: true,
    revoke: true,
    signedIn: false,
    seed: 'classroom-1',
    now,
  }
}

/** Keeps `openid` in the scope in step with the OIDC switch, and tidies the list. */
export function normalizeScope(scope: string, oidc: boolean): string {
  const list = [...new Set(scope.split(/\s+/).filter(Boolean))].filter((s) => s !== 'openid')
  return (oidc ? ['openid', ...list] : list).join(' ')
}

/** The world settings for a flow configuration. */
export function worldSettings(config: FlowConfig): WorldSettingsInput {
  const client = {
    useState: config.state,
    usePkce: config.pkce,
    useNonce: config.oidc,
    checkIss: true,
    scope: normalizeScope(config.scope, config.oidc),
    authMethod: config.authMethod,
  }
  return {
    ...(config.clientType === 'confidential' ? { webClient: client } : { spaClient: client }),
    ...(config.signedIn ? { authorizationServer: { signedIn: SIGNED_IN_USER } } : {}),
  }
}
