/**
 * The glossary: the words a beginner meets in the narration, each with a one- or two-sentence
 * definition true to the RFCs and one link to the section that defines it. Light on purpose (the
 * narration finds these words at first paint): plain data, a lookup and a matcher.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-1.1
 */

/**
 * A glossary entry: `[label, aliases, definition, reference]`. Aliases are `|`-separated and match
 * as whole words, case-insensitively (an `s` plural too); one written `=word` matches only as
 * spelled, for protocol words that are also English (`state`, `scope`). A label in backquotes is a
 * protocol value, shown as code. A reference is `6749#4.1` (RFC and section) or `oidc#Anchor`.
 */
type Row = readonly [label: string, aliases: string, definition: string, ref: string]

const TERMS: Record<string, Row> = {
  'resource-owner': [
    'resource owner',
    'resource owner',
    'The entity that can grant access to a protected resource; when it is a person, the end-user — here Alice.',
    '6749#1.1',
  ],
  'user-agent': [
    'user-agent',
    'user-agent|user agent',
    'The program the resource owner uses, here her web browser: it follows the redirects between the client and the authorization server.',
    '6749#1.2',
  ],
  client: [
    'client',
    'client|client application',
    'An application that makes requests for protected resources on behalf of the resource owner and with her authorization. The word says nothing about where it runs.',
    '6749#1.1',
  ],
  'authorization-server': [
    'authorization server',
    'authorization server',
    'The server that signs the resource owner in, obtains her authorization and issues access tokens to the client — here auth.example.',
    '6749#1.1',
  ],
  'resource-server': [
    'resource server',
    'resource server',
    'The server hosting the protected resources; it answers requests that carry a valid access token — here api.example.',
    '6749#1.1',
  ],
  'authorization-endpoint': [
    'authorization endpoint',
    'authorization endpoint|=/authorize',
    'The authorization server’s URL the browser is sent to: it signs the user in, asks her consent and redirects back with a code or an error.',
    '6749#3.1',
  ],
  'token-endpoint': [
    'token endpoint',
    'token endpoint|=/token',
    'The authorization server’s URL where the client, directly (back channel), exchanges a grant — a code or a refresh token — for tokens.',
    '6749#3.2',
  ],
  grant: [
    'authorization grant',
    'authorization grant',
    'A credential representing the resource owner’s authorization, which the client exchanges for an access token; here, an authorization code.',
    '6749#1.3',
  ],
  code: [
    'authorization code',
    'authorization code',
    'A short-lived, single-use value the authorization server sends through the browser to the redirect URI; the client exchanges it for tokens at the token endpoint.',
    '6749#1.3.1',
  ],
  'redirect-uri': [
    '`redirect_uri`',
    '=redirect_uri|redirect URI|redirection URI',
    'Where the authorization server sends the browser back with the code or an error. It must be registered, and the server compares it exactly.',
    '6749#3.1.2',
  ],
  consent: [
    'consent',
    'consent',
    'The resource owner’s decision, on the authorization server’s page, to grant or deny the client the access it asks for.',
    '6749#4.1',
  ],
  scope: [
    '`scope`',
    '=scope',
    'Space-separated strings naming the access the client asks for; the authorization server may grant less, and says what it granted.',
    '6749#3.3',
  ],
  'access-token': [
    'access token',
    'access token',
    'The credential the client presents to the resource server. Clients treat it as opaque, even when it is a JWT: only the issuer and the API read it.',
    '9068#6',
  ],
  'refresh-token': [
    'refresh token',
    'refresh token',
    'A credential the client sends only to the token endpoint to get new access tokens without the user; never to the resource server.',
    '6749#1.5',
  ],
  'id-token': [
    'ID token',
    'ID token|=id_token',
    'A JWT in which the OpenID provider tells the client who signed in, when and how. It is for the client (its aud is the client_id), not for APIs.',
    'oidc#IDToken',
  ],
  jwt: [
    'JWT',
    'JWT|JSON Web Token',
    'A compact token: base64url header, payload of claims and signature, joined by dots. Here signed, not encrypted: anyone holding it can read it.',
    '7519#3',
  ],
  claim: [
    'claim',
    '=claim',
    'A name/value statement in a JWT’s payload, such as iss, sub, aud or exp.',
    '7519#4',
  ],
  jwks: [
    'JWKS',
    'JWKS|JWK Set',
    'The authorization server’s public keys as JSON; a verifier picks one by the JWT header’s kid and checks the signature with it.',
    '7517#5',
  ],
  iss: [
    '`iss`',
    '=iss|issuer',
    'Issuer: the https URL identifying the authorization server that made a token or a response; the receiver checks it is the one it expects.',
    '7519#4.1.1',
  ],
  aud: [
    '`aud`',
    '=aud|audience',
    'Audience: who a token is for. A recipient must reject a token whose aud does not name it.',
    '7519#4.1.3',
  ],
  sub: [
    '`sub`',
    '=sub',
    'Subject: the user a token is about, as an identifier unique and never reused at its issuer.',
    '7519#4.1.2',
  ],
  exp: [
    '`exp`',
    '=exp',
    'Expiration time, in seconds since 1970: on or after it the token must be rejected.',
    '7519#4.1.4',
  ],
  pkce: [
    'PKCE',
    'PKCE|Proof Key for Code Exchange',
    'The client sends a hash of a fresh secret with the authorization request and the secret itself with the code. It is not client authentication: it binds the code to the app instance that started the flow.',
    '7636#1',
  ],
  'code-verifier': [
    '`code_verifier`',
    '=code_verifier|=verifier',
    'The random secret a client makes for one authorization request; it sends it only to the token endpoint, with the code.',
    '7636#4.1',
  ],
  'code-challenge': [
    '`code_challenge`',
    '=code_challenge|PKCE challenge',
    'BASE64URL(SHA-256(code_verifier)) (method S256), sent in the authorization request; the server keeps it with the code and checks the verifier against it.',
    '7636#4.2',
  ],
  state: [
    '`state`',
    '=state',
    'A value the client sends in the authorization request and gets back unchanged. Bound to the user’s session, it lets the client refuse a response it did not ask for (CSRF).',
    '6749#10.12',
  ],
  nonce: [
    '`nonce`',
    '=nonce',
    'A random value the client sends in the authorization request; the server copies it into the ID token, and the client checks it, so a replayed ID token is refused.',
    'oidc#AuthRequest',
  ],
  front: [
    'front channel',
    'front channel|front-channel',
    'Parameters carried in URLs through the browser, via redirects: the user, her browser’s history and other pages may see them.',
    '6749#4.1',
  ],
  back: [
    'back channel',
    'back channel|back-channel',
    'Direct HTTP requests from the client (or the API) to a server, not through the browser, as at the token endpoint.',
    '6749#3.2',
  ],
  bearer: [
    'Bearer',
    'Bearer|bearer token',
    'A token that anyone holding it can use, with no proof of possession; sent as Authorization: Bearer <token>.',
    '6750#1.2',
  ],
  'client-id': [
    '`client_id`',
    '=client_id|client ID',
    'The identifier the authorization server gave the client when it was registered. Public: not a secret.',
    '6749#2.2',
  ],
  'client-secret': [
    '`client_secret`',
    '=client_secret|client secret',
    'A confidential client’s password, shared only with the authorization server and sent only on the back channel.',
    '6749#2.3.1',
  ],
  'public-client': [
    'public client',
    'public client',
    'A client that cannot keep a secret, such as an app running in the browser. It does not authenticate; PKCE protects its codes.',
    '6749#2.1',
  ],
  'confidential-client': [
    'confidential client',
    'confidential client',
    'A client that can keep a secret, such as a web app’s server; it authenticates to the authorization server, here with its client_secret.',
    '6749#2.1',
  ],
  introspection: [
    'introspection',
    'introspection|introspect|introspects',
    'A back-channel request asking the authorization server whether a token is active now, and what it carries.',
    '7662#2',
  ],
  revocation: [
    'revocation',
    'revocation|revoke|revokes|revoked',
    'The client tells the authorization server it no longer needs a token, and the server invalidates it. A JWT access token checked locally still works until its exp.',
    '7009#2',
  ],
  oidc: [
    'OpenID Connect',
    'OpenID Connect|OIDC',
    'An identity layer on OAuth 2.0: with the openid scope the client also gets an ID token saying who signed in.',
    'oidc#Introduction',
  ],
  userinfo: [
    'UserInfo',
    'UserInfo',
    'The OpenID provider’s endpoint that returns claims about the user to a request with an access token.',
    'oidc#UserInfo',
  ],
  csrf: [
    'CSRF',
    'CSRF|cross-site request forgery',
    'Another site makes the user’s browser send a request she did not mean — here a callback carrying the attacker’s code. state, PKCE or nonce stop it.',
    '9700#4.7',
  ],
  'mix-up': [
    'mix-up attack',
    'mix-up|mix-up attack',
    'A client that uses several authorization servers is tricked into sending one server’s code to another, the attacker’s. The iss response parameter stops it.',
    '9700#4.4',
  ],
}

const RFC = 'https://www.rfc-editor.org/rfc/rfc'
const OIDC = 'https://openid.net/specs/openid-connect-core-1_0.html'

/**
 * A reference as a URL: `6749#4.1` is RFC 6749 section 4.1, `oidc#IDToken` an anchor of OpenID
 * Connect Core; an `https:` URL stays as it is.
 */
export function specUrl(ref: string): string {
  if (ref.startsWith('https:')) return ref
  const [doc = '', at = ''] = ref.split('#')
  return doc === 'oidc' ? `${OIDC}#${at}` : `${RFC}${doc}${at ? `#section-${at}` : ''}`
}

/** A reference as words: `RFC 6749 §4.1`, `OpenID Connect Core`. */
export function specLabel(ref: string): string {
  if (ref.startsWith('https:')) return new URL(ref).hostname
  const [doc = '', at = ''] = ref.split('#')
  return doc === 'oidc' ? 'OpenID Connect Core' : `RFC ${doc}${at ? ` §${at}` : ''}`
}

/** What a term or a field means: the words a popover shows. */
export interface Explanation {
  /** The term or field name, as shown. */
  label: string
  /** The label is a protocol value (shown as code, never translated). */
  code: boolean
  /** One or two sentences. */
  text: string
  /** Who sets it and who checks it, for a field: `Set by the client; checked by …`. */
  roles: string | null
  /** The section that defines it. */
  href: string
  /** `RFC 6749 §4.1`. */
  source: string
}

const ENTRIES = new Map(Object.entries(TERMS))

/** The glossary's term ids, in order. */
export const TERM_IDS: readonly string[] = [...ENTRIES.keys()]

/** A term's explanation, or null when there is no such term (never one of Object's own keys). */
export function explainTerm(id: string): Explanation | null {
  const row = ENTRIES.get(id)
  if (!row) return null
  const [label, , text, ref] = row
  const code = label.startsWith('`')
  return {
    label: code ? label.slice(1, -1) : label,
    code,
    text,
    roles: null,
    href: specUrl(ref),
    source: specLabel(ref),
  }
}

/** A run of narration: plain text, or a glossary term as written. */
export type TermPart = { type: 'text'; text: string } | { type: 'term'; text: string; id: string }

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

/** Every alias, longest first (so `public client` wins over `client`), and the term it names. */
const ALIASES = [...ENTRIES].flatMap(([id, [, aliases]]) =>
  aliases.split('|').map((a) => {
    const exact = a.startsWith('=')
    return { id, exact, word: exact ? a.slice(1) : a.toLowerCase() }
  }),
)
ALIASES.sort((a, b) => b.word.length - a.word.length)
const BY_WORD = new Map(ALIASES.map((a) => [a.word, a]))

// Whole words only: not inside `client_id`, `client.example`, `mix-up-free` or `a.example/token`.
const MATCHER = new RegExp(
  `(?<![\\w\\-./])(${ALIASES.map((a) => escape(a.word) + (a.exact ? '' : '(?:s|es)?')).join('|')})(?![\\w\\-/]|\\.\\w)`,
  'gi',
)

/** The glossary term a matched word names, or null (a protocol word written otherwise). */
function termOf(word: string): string | null {
  const exact = BY_WORD.get(word)
  if (exact) return exact.id
  const lower = word.toLowerCase()
  for (const w of [lower, lower.replace(/e?s$/, ''), lower.replace(/s$/, '')]) {
    const alias = BY_WORD.get(w)
    if (alias && !alias.exact) return alias.id
  }
  return null
}

/**
 * Narration text split into plain runs and the glossary terms it uses, in order. A term appears
 * as a term once per text, where it is first written; protocol words only as spelled.
 */
export function findTerms(text: string): TermPart[] {
  const parts: TermPart[] = []
  const seen = new Set<string>()
  let at = 0
  for (const m of text.matchAll(MATCHER)) {
    const word = m[0]
    const id = termOf(word)
    if (!id || seen.has(id)) continue
    seen.add(id)
    if (m.index > at) parts.push({ type: 'text', text: text.slice(at, m.index) })
    parts.push({ type: 'term', text: word, id })
    at = m.index + word.length
  }
  if (at < text.length) parts.push({ type: 'text', text: text.slice(at) })
  return parts
}

/** The ids of the glossary terms a text uses, in order of first use. */
export function termsIn(text: string): string[] {
  return findTerms(text).flatMap((p) => (p.type === 'term' ? [p.id] : []))
}
