/**
 * The client's registration at auth.example, as the first step shows it: the `client_id`, whether
 * there is a `client_secret` and where it lives, the registered `redirect_uri`, the scopes the
 * client may ask for and how it authenticates at the token endpoint. Light on purpose (the first
 * step shows it before the world loads): built from the demo registrations' constants only.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2
 */
import { DEMO_CLIENTS, ORIGINS, type ClientAuthMethod } from '../../protocol/state.ts'
import { scenarioConfig } from '../scenarios/catalog.ts'
import type { ClientType, FlowConfig } from '../types.ts'

/**
 * Where the client's secret lives: on the app's own server, which the browser never sees; or
 * nowhere, for a public client that runs where anyone can read its code.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.1
 */
export type SecretPlace = { type: 'server'; host: string } | { type: 'none' }

/** What the client registered at the authorization server, as facts for the UI to word. */
export interface Registration {
  /** The authorization server's host, where the client is registered (`auth.example`). */
  at: string
  clientType: ClientType
  client_name: string
  client_id: string
  secret: SecretPlace
  redirect_uris: readonly string[]
  /** The scopes the client may ask for, in the registration's order. */
  scopes: readonly string[]
  token_endpoint_auth_method: ClientAuthMethod
}

/**
 * The registration of the client a configuration runs with (its scenario's patch applied): the
 * web app registers the client authentication method it is set to use, as the world does.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
export function registrationOf(given: FlowConfig): Registration {
  const config = scenarioConfig(given) ?? given
  const confidential = config.clientType === 'confidential'
  const client = confidential ? DEMO_CLIENTS.confidential : DEMO_CLIENTS.public
  return {
    at: new URL(ORIGINS.authorizationServer).host,
    clientType: config.clientType,
    client_name: client.client_name,
    client_id: client.client_id,
    secret: confidential
      ? { type: 'server', host: new URL(ORIGINS.webClient).host }
      : { type: 'none' },
    redirect_uris: [...client.redirect_uris],
    scopes: client.scope.split(' ').filter(Boolean),
    token_endpoint_auth_method: confidential
      ? config.authMethod
      : client.token_endpoint_auth_method,
  }
}
