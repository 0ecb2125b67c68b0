/**
 * The scenario library as data: each scenario's title, summary, the settings it starts from, its
 * variants and its first step's words — everything the page shows before the simulated world has
 * loaded. The scenarios' beats and endings (scenarios/*.ts) add the behaviour to these.
 * Light on purpose: it imports no part of the simulated world but its constants.
 */
import { CODE_LIFETIME, ORIGINS } from '../../protocol/state.ts'
import type { ClientType, FlowConfig, RfcLink, Variant } from '../types.ts'
import type { ScenarioId, ScenarioInfo } from './types.ts'

const RFC = 'https://www.rfc-editor.org/rfc'

/** A link to a section of RFC 9700 (the OAuth 2.0 security BCP). */
export function bcp(section: string, what: string): RfcLink {
  return { label: `RFC 9700 §${section} (${what})`, href: `${RFC}/rfc9700#section-${section}` }
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

/**
 * The web app with a back end: code, secret on the back channel, API call, refresh, revocation.
 * Its configuration is the learner's own, so every setting can be tried here.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 */
export const confidentialInfo = {
  id: 'confidential',
  title: 'Web app with a back end',
  summary:
    'The default flow: a confidential web app gets a code through the browser, redeems it with its secret on the back channel, calls the API, refreshes and revokes.',
  attack: false,
  config: {},
  settings: {},
} satisfies ScenarioInfo

/**
 * A public client with no secret: PKCE binds the code to a verifier only the SPA holds.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1
 */
export const pkceSpaInfo = {
  id: 'pkce-spa',
  title: 'Single-page app with PKCE',
  summary:
    'A public client that cannot keep a secret: PKCE binds the code to a verifier only the SPA holds, so a stolen code is useless; its tokens live in the browser.',
  attack: false,
  config: storyConfig('public', { refresh: true, revoke: true }),
  settings: {},
} satisfies ScenarioInfo

/**
 * What OpenID Connect adds to OAuth: an ID token about the user, checked with the nonce, and
 * UserInfo.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowAuth
 */
export const oidcInfo = {
  id: 'oidc',
  title: 'OpenID Connect: who signed in',
  summary:
    'With the openid scope the app also gets an ID token — a signed statement of who Alice is, bound to this sign-in by a nonce — and can ask the UserInfo endpoint for her claims.',
  attack: false,
  config: storyConfig('confidential'),
  settings: {},
  intro: () => ({
    title: 'Ready: signing in with OpenID Connect',
    narration:
      'OAuth lets the Demo Photo App use Alice’s photos; it does not tell the app who Alice is. With the openid scope, auth.example also returns an ID token about her, tied to this sign-in by a nonce, and answers questions about her at its UserInfo endpoint. Press Next.',
  }),
} satisfies ScenarioInfo

/**
 * The access token expires, the SPA refreshes it (the refresh token rotates), and a copy of the
 * old refresh token presented later revokes the whole token family. In the vulnerable variant
 * auth.example does not rotate: the refresh answers no new refresh token, the old one stays valid,
 * and the copy gets the attacker fresh tokens.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 */
const refreshDefence = bcp('4.14.2', 'refresh token rotation')
export const refreshInfo = {
  id: 'refresh',
  title: 'Refresh with rotation',
  summary:
    'The access token expires and the API answers 401; the SPA refreshes it and the refresh token rotates; when a copy of the old refresh token turns up, the whole token family is revoked — unless the server does not rotate, and the copy simply works.',
  attack: true,
  config: storyConfig('public'),
  settings: {},
  variants: {
    vulnerable: {
      label: 'Without rotation',
      config: {},
      // WARNING: the server hands back no new refresh token and keeps the old one valid: a copied
      // refresh token works for as long as it lives, and its reuse goes unnoticed.
      settings: { authorizationServer: { rotateRefreshTokens: false } },
      defence: refreshDefence,
    },
    defended: {
      label: 'Rotation with reuse detection',
      config: {},
      settings: { authorizationServer: { rotateRefreshTokens: true } },
      defence: refreshDefence,
    },
  },
  intro: (config) => ({
    title: 'Ready: tokens expire',
    narration: `Alice signs in to the Demo Photo SPA. Then an hour passes and her access token expires. Watch the refresh token get the SPA a new one — and what happens when a copy of an old refresh token turns up. ${
      config.variant === 'vulnerable'
        ? 'This auth.example does not rotate refresh tokens: the same one is used again and again.'
        : 'This auth.example rotates refresh tokens and detects reuse.'
    } Press Next.`,
  }),
} satisfies ScenarioInfo

/**
 * The refresh token is revoked: refresh fails, introspection says `active: false`, yet a JWT
 * access token keeps working at an API that validates it locally.
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export const revokeInfo = {
  id: 'revoke',
  title: 'Revocation',
  summary:
    'The app revokes its refresh token: the next refresh fails with invalid_grant and introspection answers active: false — yet the JWT access token still works at an API that validates it locally.',
  attack: false,
  config: storyConfig('confidential'),
  settings: {},
  intro: () => ({
    title: 'Ready: revoking tokens',
    narration:
      'Alice signs in to the Demo Photo App. Then its refresh token is revoked at auth.example (RFC 7009) — say Alice clicked “Disconnect”. What stops working at once, and what keeps working for a while? Press Next.',
  }),
} satisfies ScenarioInfo

/**
 * Consent denied: `error=access_denied` comes back instead of a code.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export const consentDeniedInfo = {
  id: 'consent-denied',
  title: 'Consent denied',
  summary:
    'Alice clicks Deny: the authorization server sends error=access_denied back to the app instead of a code, and the app shows her what happened.',
  attack: false,
  config: storyConfig('confidential'),
  settings: {},
  intro: () => ({
    title: 'Ready: Alice will say no',
    narration:
      'The Demo Photo App asks for Alice’s photos; this time she refuses on the consent page (answer the page yourself to choose otherwise). What does the authorization server send back, and what does the app do with it? Press Next.',
  }),
} satisfies ScenarioInfo

/**
 * Login CSRF: without `state`, the app signs Alice in as the attacker; with `state`, it refuses
 * a callback it did not ask for.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7
 */
const csrfNoStateDefence = bcp('4.7.1', 'CSRF countermeasures')
export const csrfNoStateInfo = {
  id: 'csrf-no-state',
  title: 'Login CSRF (no state)',
  summary:
    'The attacker plants a callback carrying a code for its own account; without state the app signs Alice in as the attacker, with state it refuses the callback.',
  attack: true,
  config: storyConfig('confidential'),
  settings: {},
  variants: {
    vulnerable: {
      label: 'Without state',
      // WARNING: no state, so a callback nobody started is accepted — login CSRF (RFC 9700 §4.7).
      config: { state: false },
      settings: {},
      defence: csrfNoStateDefence,
    },
    defended: {
      label: 'With state',
      config: { state: true },
      settings: {},
      defence: csrfNoStateDefence,
    },
  },
  intro: (config) => ({
    title: 'Ready: a forged sign-in (login CSRF)',
    narration: `Mallory has an account at auth.example too. She will get a code for HER account, stop before using it, and trick Alice’s browser into delivering it to the Demo Photo App. ${
      config.variant === 'vulnerable'
        ? 'This app does not use state.'
        : 'This app uses state, kept in the browser’s session.'
    } Press Next.`,
  }),
} satisfies ScenarioInfo

/**
 * An attacker intercepts the public client's code: without PKCE it redeems the code itself; with
 * PKCE the token endpoint answers `invalid_grant`.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-1
 */
const codeInterceptionDefence = bcp('2.1.1', 'PKCE for public clients')
export const codeInterceptionInfo = {
  id: 'code-interception',
  title: 'Code interception (PKCE)',
  summary:
    'An attacker gets a copy of the redirect carrying the code; without PKCE it redeems the code itself, with PKCE the token endpoint answers invalid_grant.',
  attack: true,
  config: storyConfig('public'),
  settings: {},
  variants: {
    vulnerable: {
      label: 'Without PKCE',
      config: { pkce: false },
      // WARNING: the server lets public clients skip PKCE: an intercepted code is as good as tokens.
      settings: { authorizationServer: { requirePkceForPublicClients: false } },
      defence: codeInterceptionDefence,
    },
    defended: {
      label: 'With PKCE',
      config: { pkce: true },
      settings: { authorizationServer: { requirePkceForPublicClients: true } },
      defence: codeInterceptionDefence,
    },
  },
  intro: (config) => ({
    title: 'Ready: a code in the wrong hands',
    narration: `Alice signs in to the Demo Photo SPA, a public client with no secret. When auth.example redirects back, an attacker gets a copy of the URL — a malicious app registered for the same redirect, a leaked log — and races the SPA to the token endpoint. ${
      config.variant === 'vulnerable'
        ? 'This SPA does not use PKCE, and auth.example does not insist.'
        : 'This SPA uses PKCE.'
    } Press Next.`,
  }),
} satisfies ScenarioInfo

/**
 * A code the SPA already used is presented again: the second use fails and the tokens issued
 * from the first are revoked. In the vulnerable variant auth.example lets a code be redeemed
 * more than once, and the SPA does not use PKCE (which would also have stopped the replay: the
 * attacker has the code from the history, never the verifier), so the replay gets tokens.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
const codeReplayDefence = bcp('4.3.1', 'code replay prevention')
export const codeReplayInfo = {
  id: 'code-replay',
  title: 'Code replay',
  summary:
    'An attacker presents a code the SPA already used: the token endpoint refuses it with invalid_grant and revokes the tokens issued from it — unless codes are not single use, and the replay gets tokens.',
  attack: true,
  config: storyConfig('public'),
  settings: {},
  variants: {
    vulnerable: {
      label: 'Reusable codes, no PKCE',
      // Without PKCE: with it, the verifier alone would stop the replay (the attacker never had it).
      config: { pkce: false },
      // WARNING: the server redeems a used code again and revokes nothing, and lets the public
      // client skip PKCE: a code left in the browser history is as good as tokens.
      settings: {
        authorizationServer: { singleUseCodes: false, requirePkceForPublicClients: false },
      },
      defence: codeReplayDefence,
    },
    defended: {
      label: 'Single-use codes',
      config: { pkce: true },
      settings: {
        authorizationServer: { singleUseCodes: true, requirePkceForPublicClients: true },
      },
      defence: codeReplayDefence,
    },
  },
  intro: (config) => ({
    title: 'Ready: a code used twice',
    narration: `Alice signs in to the Demo Photo SPA. Afterwards the callback URL, code included, is still in her browser’s history. What happens if someone presents that code again? ${
      config.variant === 'vulnerable'
        ? 'This auth.example lets a code be redeemed more than once, and this SPA does not use PKCE.'
        : 'This auth.example accepts each code once.'
    } Press Next.`,
  }),
} satisfies ScenarioInfo

/**
 * The attacker alters `redirect_uri`: exact matching shows an error page; lax matching sends the
 * code to the attacker's look-alike host.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.1
 */
const redirectUriTamperingDefence = bcp('4.1.3', 'exact redirect URI matching')
export const redirectUriTamperingInfo = {
  id: 'redirect-uri-tampering',
  title: 'Redirect URI tampering',
  summary:
    'The attacker lures Alice to an authorization request whose redirect_uri points to a look-alike host: exact matching shows an error page, lax matching sends her code to the attacker.',
  attack: true,
  config: storyConfig('public'),
  settings: {},
  variants: {
    vulnerable: {
      label: 'Lax matching',
      // WARNING: prefix matching lets https://spa.example.attacker.example/… through.
      config: {},
      settings: { authorizationServer: { redirectUriMatching: 'lax' } },
      defence: redirectUriTamperingDefence,
    },
    defended: {
      label: 'Exact matching',
      config: {},
      settings: { authorizationServer: { redirectUriMatching: 'exact' } },
      defence: redirectUriTamperingDefence,
    },
  },
  intro: (config) => ({
    title: 'Ready: a link with the wrong redirect_uri',
    narration: `The attacker crafts a real auth.example sign-in link for the Demo Photo SPA — except that its redirect_uri points to spa.example.attacker.example, a host the attacker owns — and puts it on a prize page. ${
      config.variant === 'vulnerable'
        ? 'This auth.example compares redirect URIs by prefix (“lax”).'
        : 'This auth.example compares redirect URIs exactly.'
    } Press Next.`,
  }),
} satisfies ScenarioInfo

/**
 * More than ten minutes pass between the redirect and the exchange: `invalid_grant`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export const expiredCodeInfo = {
  id: 'expired-code',
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

/**
 * A token with `photos.read` used for `POST /photos`: 403 `insufficient_scope`.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export const insufficientScopeInfo = {
  id: 'insufficient-scope',
  title: 'Insufficient scope',
  summary:
    'A token that carries photos.read is used for POST /photos, which needs photos.write: the API answers 403 insufficient_scope.',
  attack: false,
  config: storyConfig('confidential'),
  settings: {},
  intro: () => ({
    title: 'Ready: asking for too little',
    narration:
      'The Demo Photo App asks only for photos.read. Alice signs in and sees her photos; then she tries to add one. Press Next.',
  }),
} satisfies ScenarioInfo

/**
 * Alice signs in through a malicious authorization server that passes her on to the honest one;
 * without the `iss` check the app sends the honest code to the attacker, who injects it into a
 * sign-in of its own at the app and is signed in as Alice. The app is an older one — no PKCE, no
 * OpenID Connect (so no nonce) — under which the injection really works; the ending says what
 * PKCE or a nonce would and would not have changed.
 * @see https://www.rfc-editor.org/rfc/rfc9207
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.4
 */
const mixUpDefence = bcp('4.4.2', 'mix-up countermeasures')
export const mixUpInfo = {
  id: 'mix-up',
  title: 'Mix-up attack (iss)',
  summary:
    'Alice signs in through a malicious authorization server that passes her on to the honest one; without the iss check the app sends the honest server’s code to the attacker, who uses it to sign in to the app as Alice.',
  attack: true,
  // WARNING: no PKCE and no nonce — a legacy app. Either would stop the code injection that ends
  // the vulnerable variant (RFC 9700 §4.5.3); the iss check is what stops the mix-up itself.
  config: storyConfig('confidential', { pkce: false, oidc: false, scope: 'profile photos.read' }),
  // The app is registered at evil-as.example too, and offers it on its start page.
  settings: { webClient: { otherIssuers: [ORIGINS.maliciousAuthorizationServer] } },
  variants: {
    // WARNING: without the iss check, the app cannot tell which server answered.
    vulnerable: {
      label: 'Without the iss check',
      config: {},
      settings: { webClient: { checkIss: false } },
      defence: mixUpDefence,
    },
    defended: {
      label: 'With the iss check',
      config: {},
      settings: { webClient: { checkIss: true } },
      defence: mixUpDefence,
    },
  },
  // evil-as.example is a second authorization server, drawn beside the honest one (RFC 9207 §1).
  attackerLane: {
    name: 'evil-as.example',
    shortName: 'evil-as',
    origin: ORIGINS.maliciousAuthorizationServer,
    kind: 'Authorization server (attacker’s)',
    after: 'authorization-server',
  },
  intro: (config) => ({
    title: 'Ready: two authorization servers',
    narration: `The Demo Photo App lets people sign in with auth.example or with evil-as.example — and the attacker runs evil-as.example. It is an older app: no PKCE, no OpenID Connect. Alice picks evil-as.example, which quietly sends her on to the honest auth.example. ${
      config.variant === 'vulnerable'
        ? 'This app does not check the iss parameter.'
        : 'This app checks the iss parameter (RFC 9207).'
    } Press Next.`,
  }),
} satisfies ScenarioInfo

/**
 * Every scenario, in the order the learner sees them: the flows first, then the attacks.
 * @see https://www.rfc-editor.org/rfc/rfc9700
 */
export const SCENARIO_INFO: readonly ScenarioInfo[] = [
  confidentialInfo,
  pkceSpaInfo,
  oidcInfo,
  refreshInfo,
  revokeInfo,
  consentDeniedInfo,
  csrfNoStateInfo,
  codeInterceptionInfo,
  codeReplayInfo,
  redirectUriTamperingInfo,
  expiredCodeInfo,
  insufficientScopeInfo,
  mixUpInfo,
]

/**
 * Names a configuration may carry from before the library: `public` was the playground with the
 * single-page app, which is now the default scenario with `clientType: 'public'`.
 */
export const SCENARIO_ALIASES: Readonly<Record<string, ScenarioId>> = { public: 'confidential' }

/** The scenario with this id (or alias), or null. */
export function findScenarioInfo(id: string): ScenarioInfo | null {
  const wanted = Object.hasOwn(SCENARIO_ALIASES, id) ? SCENARIO_ALIASES[id] : id
  return SCENARIO_INFO.find((s) => s.id === wanted) ?? null
}

/** Whether a string names a scenario of the library. */
export function isScenarioId(id: string): id is ScenarioId {
  return SCENARIO_INFO.some((s) => s.id === id)
}

/**
 * The configuration a run really uses: the scenario's patch, then its variant's (default
 * `defended`), over the given one; null for an unknown scenario.
 */
export function scenarioConfig(config: FlowConfig): FlowConfig | null {
  const scenario = findScenarioInfo(config.scenario)
  if (!scenario) return null
  if (!scenario.variants) {
    // A variant means nothing here: the flow's configuration says so by not carrying one.
    const { variant: _none, ...rest } = config
    return { ...rest, ...scenario.config }
  }
  const variant: Variant = config.variant ?? 'defended'
  return { ...config, ...scenario.config, ...scenario.variants[variant].config, variant }
}
