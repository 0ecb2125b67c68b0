/**
 * The world's state: plain, serializable data only. Every party reads and writes its own part
 * through the world, so `structuredClone(world.state)` is a complete snapshot.
 */
import type { SigningKey } from './crypto.ts'
import type { RandomState } from './random.ts'
import type { Exchange } from './types.ts'

/** The SPA's in-page session key: one page, one session. */
export const SPA_SESSION = 'page'

/** The origins of the demo world (`.example` is reserved for documentation, RFC 2606). */
export const ORIGINS = {
  authorizationServer: 'https://auth.example',
  resourceServer: 'https://api.example',
  webClient: 'https://client.example',
  spaClient: 'https://spa.example',
  /** The attacker's own site, with its lure page. */
  attacker: 'https://attacker.example',
  /** A look-alike of the web app's origin that 'lax' redirect-URI matching lets through. */
  attackerWebLookalike: 'https://client.example.attacker.example',
  /** A look-alike of the SPA's origin that 'lax' redirect-URI matching lets through. */
  attackerSpaLookalike: 'https://spa.example.attacker.example',
  /** The malicious authorization server of the mix-up attack (RFC 9700 §4.4). */
  maliciousAuthorizationServer: 'https://evil-as.example',
} as const

/** Scopes the authorization server knows, with the words the consent page uses. */
export const SCOPES: Record<string, string> = {
  openid: 'Sign you in and know who you are',
  profile: 'See your name and username',
  'photos.read': 'See your photos',
  'photos.write': 'Add photos to your account',
}

export const CODE_LIFETIME = 600
export const ACCESS_TOKEN_LIFETIME = 3600
export const REFRESH_TOKEN_LIFETIME = 30 * 24 * 3600
export const ID_TOKEN_LIFETIME = 3600
/** How long a started sign-in (login and consent pages) stays usable. */
export const PENDING_LIFETIME = 1800
export const SESSION_LIFETIME = 8 * 3600

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none'

/**
 * A client registration at the authorization server.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
export interface ClientRegistration {
  client_id: string
  client_name: string
  /** Absent for public clients. */
  client_secret?: string
  client_type: 'confidential' | 'public'
  redirect_uris: string[]
  token_endpoint_auth_method: ClientAuthMethod
  grant_types: string[]
  response_types: string[]
  scope: string
  /** Public clients must use PKCE. @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1 */
  require_pkce: boolean
}

/** The demo clients' `client_id`s. */
export const WEB_CLIENT_ID = 'demo-web-app'
export const SPA_CLIENT_ID = 'demo-spa'

/**
 * The demo clients as auth.example registers them, but for the web app's `client_secret`, which
 * each world draws from its seed. Light on purpose: the first step shows them before any world.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
export const DEMO_CLIENTS: {
  readonly confidential: Readonly<Omit<ClientRegistration, 'client_secret'>>
  readonly public: Readonly<Omit<ClientRegistration, 'client_secret'>>
} = {
  confidential: {
    client_id: WEB_CLIENT_ID,
    client_name: 'Demo Photo App',
    client_type: 'confidential',
    redirect_uris: [`${ORIGINS.webClient}/callback`],
    // The world registers the method the app is set to use (`client_secret_post` too).
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    scope: 'openid profile photos.read photos.write',
    require_pkce: false,
  },
  public: {
    client_id: SPA_CLIENT_ID,
    client_name: 'Demo Photo SPA',
    client_type: 'public',
    redirect_uris: [`${ORIGINS.spaClient}/callback`],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    scope: 'openid profile photos.read photos.write',
    require_pkce: true,
  },
}

/** A protected resource allowed to call the introspection endpoint. */
export interface ResourceRegistration {
  id: string
  secret: string
}

export interface UserRecord {
  sub: string
  username: string
  password: string
  name: string
  given_name: string
  family_name: string
}

/** An authorization request between `/authorize` and the consent decision. */
export interface PendingRequest {
  id: string
  client_id: string
  /** The redirect URI that the answer goes to (given, or the registered one). */
  redirect_uri: string
  /** Whether `redirect_uri` was in the request (then the token request must repeat it). */
  redirect_uri_given: boolean
  scope: string
  state: string | null
  code_challenge: string | null
  code_challenge_method: 'S256' | null
  nonce: string | null
  createdAt: number
  expiresAt: number
  /** Set when the user signed in for this request. */
  sub: string | null
  failedLogins: number
}

export interface SessionRecord {
  sid: string
  sub: string
  authTime: number
  expiresAt: number
}

/** @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 */
export interface CodeRecord {
  code: string
  client_id: string
  redirect_uri: string
  redirect_uri_given: boolean
  scope: string
  code_challenge: string | null
  code_challenge_method: 'S256' | null
  nonce: string | null
  sub: string
  authTime: number
  issuedAt: number
  expiresAt: number
  used: boolean
  usedAt: number | null
  /** The grant (token family) the code started. */
  grantId: string
}

/** A grant: what one consent gave one client; every token issued from it belongs to it. */
export interface GrantRecord {
  id: string
  client_id: string
  sub: string
  scope: string
  authTime: number
  revoked: boolean
  revokedReason: string | null
  /** Every token issued from this grant: access token `jti`s and refresh token values. */
  accessTokens: string[]
  refreshTokens: string[]
}

export interface AccessTokenRecord {
  jti: string
  token: string
  client_id: string
  sub: string
  scope: string
  grantId: string
  issuedAt: number
  expiresAt: number
  revoked: boolean
}

export interface RefreshTokenRecord {
  token: string
  client_id: string
  sub: string
  scope: string
  grantId: string
  issuedAt: number
  expiresAt: number
  /** Set when this token was exchanged for a new one; presenting it again is reuse. */
  rotatedAt: number | null
  revoked: boolean
}

export interface AuthorizationServerSettings {
  /**
   * WARNING: 'lax' accepts any redirect URI that merely starts with the registered origin,
   * so `https://client.example.attacker.example/...` passes and codes leak to an attacker
   * (RFC 9700 §4.1). 'exact' is the only safe choice.
   */
  redirectUriMatching: 'exact' | 'lax'
  /**
   * WARNING: off, a public client may use the code flow without PKCE (its registration's
   * `require_pkce` is not enforced), so an intercepted code can be redeemed by anyone who has it:
   * a public client has no secret to stop them (RFC 9700 §2.1.1, §4.5). Keep it on.
   */
  requirePkceForPublicClients: boolean
  /**
   * WARNING: off, a refresh answers a new access token but no new refresh token, and the one
   * presented stays valid (RFC 6749 §6 allows it): a stolen refresh token works for as long as it
   * lives, alongside the client's own use, and its reuse cannot be detected — nothing revokes the
   * family (RFC 9700 §4.14.2). Public clients must rotate (or sender-constrain) their refresh
   * tokens. Keep it on.
   */
  rotateRefreshTokens: boolean
  /**
   * WARNING: off, an authorization code may be redeemed again and again within its lifetime, and
   * a second use revokes nothing: a code leaked through browser history, a Referer header or a log
   * gets whoever replays it a second set of tokens — code replay (RFC 6749 §4.1.2, §10.5;
   * RFC 9700 §4.2.4, §4.3.1). Keep it on.
   */
  singleUseCodes: boolean
}

export interface AuthorizationServerState {
  issuer: string
  settings: AuthorizationServerSettings
  clients: Record<string, ClientRegistration>
  resources: Record<string, ResourceRegistration>
  users: Record<string, UserRecord>
  sessions: Record<string, SessionRecord>
  pending: Record<string, PendingRequest>
  codes: Record<string, CodeRecord>
  grants: Record<string, GrantRecord>
  accessTokens: Record<string, AccessTokenRecord>
  refreshTokens: Record<string, RefreshTokenRecord>
  /** Consents given: `${sub} ${client_id}` → scopes. */
  consents: Record<string, string>
}

export interface Photo {
  id: string
  title: string
  owner: string
}

/** Why the resource server last accepted or refused a token. */
export interface TokenValidation {
  at: number
  method: string
  path: string
  outcome: 'accepted' | 'refused'
  status: number
  reason: string
  sub: string | null
  scope: string | null
}

export interface ResourceServerSettings {
  /**
   * 'local' checks the JWT's signature and claims only: a revoked token keeps working until it
   * expires. 'introspection' asks the authorization server every time (RFC 7662).
   */
  tokenValidation: 'local' | 'introspection'
}

export interface ResourceServerState {
  settings: ResourceServerSettings
  resourceId: string
  resourceSecret: string
  /** The authorization server's JWKS as last fetched, or null before the first fetch. */
  jwks: { keys: Record<string, unknown>[] } | null
  jwksFetchedAt: number | null
  photos: Photo[]
  lastValidation: TokenValidation | null
}

/** The security checks a client makes; all on by default. */
/**
 * Another authorization server a client is registered at: where to send the user and the code,
 * and the credentials that server issued to the client.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export interface ClientIssuerConfig {
  issuer: string
  authorization_endpoint: string
  token_endpoint: string
  client_id: string
  client_secret: string | null
}

export interface ClientSettings {
  /** WARNING: off means no CSRF protection on the callback (RFC 6749 §10.12, RFC 9700 §4.7). */
  useState: boolean
  /** WARNING: off means a stolen code can be redeemed by anyone who has it (RFC 9700 §4.5). */
  usePkce: boolean
  /** WARNING: off means a replayed ID token is accepted (OpenID Connect Core §3.1.3.7). */
  useNonce: boolean
  /** WARNING: off means mix-up attacks go unnoticed (RFC 9207, RFC 9700 §4.4). */
  checkIss: boolean
  scope: string
  /** Only for the confidential client. */
  authMethod: 'client_secret_basic' | 'client_secret_post'
  /**
   * Only for the web app: other authorization servers it is registered at beside auth.example,
   * by issuer, each offered as a “Sign in with …” link on its start page. The demo world knows one:
   * `https://evil-as.example`, the attacker's (the mix-up setting). Default none.
   * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.4
   */
  otherIssuers?: string[]
}

export interface ClientTokens {
  access_token: string
  token_type: string
  expires_at: number
  scope: string
  refresh_token: string | null
  id_token: string | null
}

/** What one client keeps for one user session (server-side for the web app, in-page for the SPA). */
export interface ClientSession {
  sid: string
  state: string | null
  code_verifier: string | null
  code_challenge: string | null
  nonce: string | null
  code: string | null
  tokens: ClientTokens | null
  /** Claims of the validated ID token. */
  user: Record<string, unknown> | null
  /** The last protected resource the client fetched (parsed JSON), or null. */
  resource: unknown
  /** The last error the client showed the user, with its OAuth error code when there is one. */
  error: { error: string; description: string } | null
  /**
   * The issuer this sign-in was sent to; the response must come from it (RFC 9207). Absent or null:
   * `https://auth.example`. @see https://www.rfc-editor.org/rfc/rfc9700#section-4.4.2
   */
  issuer?: string | null
}

export interface ClientState {
  client_id: string
  /** The confidential client's secret (null for the public client). */
  client_secret: string | null
  origin: string
  redirect_uri: string
  settings: ClientSettings
  /** The authorization server's JWKS, fetched when first needed. */
  jwks: { keys: Record<string, unknown>[] } | null
  sessions: Record<string, ClientSession>
  /**
   * Other authorization servers this client is also registered at, by issuer (the web app:
   * `https://evil-as.example`). The primary one, `https://auth.example`, is the `client_id` and
   * `client_secret` above. @see https://www.rfc-editor.org/rfc/rfc9700#section-4.4
   */
  issuers?: Record<string, ClientIssuerConfig>
}

export interface Cookie {
  name: string
  value: string
  expiresAt: number | null
  httpOnly: boolean
  secure: boolean
  sameSite: 'Strict' | 'Lax' | 'None'
  path: string
}

export interface BrowserState {
  /** Cookie jar per origin. */
  cookies: Record<string, Record<string, Cookie>>
  /** `sessionStorage` per origin (the SPA keeps its `state` and `code_verifier` here). */
  storage: Record<string, Record<string, string>>
  /** The address bar. */
  url: string
  /** The page on screen: its status, content type and body. */
  page: { url: string; status: number; contentType: string | null; body: string } | null
  history: string[]
  /** Where the last response redirects to, until the browser follows it. */
  pendingRedirect: string | null
  /** The URL of a top-level navigation in flight (the address bar already shows it), or null. */
  loading: string | null
}

/**
 * An authorization code the attacker caught: at one of its hosts (a redirect that leaked it), or
 * at its malicious authorization server's token endpoint (mix-up).
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.1
 */
export interface StolenCode {
  code: string
  state: string | null
  /** The full URL of the request that carried the code. */
  url: string
  /** How it arrived: in a redirect's query, or in a token request sent to the wrong server. */
  via: 'redirect' | 'token-request'
  /** The PKCE verifier that came with it (only a token request carries one). */
  code_verifier: string | null
  /** The client the code was meant for, when the request names it. */
  client_id: string | null
  /** Simulated time, ms since the epoch. */
  at: number
}

/** Tokens the attacker obtained at the honest token endpoint. */
export interface StolenTokens {
  grant_type: 'authorization_code' | 'refresh_token'
  client_id: string
  access_token: string
  refresh_token: string | null
  id_token: string | null
  scope: string | null
  at: number
}

/** The attacker's side of the world: what it stole, what it planted, and its own browser. */
export interface AttackerState {
  /** Where the lure page's link goes (a forged callback, a crafted authorization request); set by scenarios. */
  plantedUrl: string | null
  stolenCodes: StolenCode[]
  stolenTokens: StolenTokens[]
  /** The attacker's own browser: its own cookies, its own session at auth.example. */
  browser: BrowserState
  /** The malicious authorization server: its issuer and whose client_id it swaps in at the honest one. */
  evilAs: { issuer: string; victimClientId: string }
}

export interface WorldState {
  version: 1
  seed: string
  clock: { now: number; startedAt: number }
  random: RandomState
  keys: SigningKey[]
  as: AuthorizationServerState
  rs: ResourceServerState
  web: ClientState
  spa: ClientState
  browser: BrowserState
  attacker: AttackerState
  exchanges: Exchange[]
  nextId: number
}
