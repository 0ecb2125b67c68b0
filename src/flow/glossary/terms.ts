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
    'Who can grant access to a protected resource: here Alice, the end-user.',
    '6749#1.1',
  ],
  'user-agent': [
    'user-agent',
    'user-agent|user agent',
    'The resource owner’s browser, which follows the redirects.',
    '6749#1.2',
  ],
  client: [
    'client',
    'client',
    'The app that accesses resources on the resource owner’s behalf, with her authorization.',
    '6749#1.1',
  ],
  'authorization-server': [
    'authorization server',
    'authorization server',
    'Signs the resource owner in, gets her consent, issues tokens: here auth.example.',
    '6749#1.1',
  ],
  'resource-server': [
    'resource server',
    'resource server',
    'Hosts the protected resources and accepts access tokens: here api.example.',
    '6749#1.1',
  ],
  'authorization-endpoint': [
    'authorization endpoint',
    'authorization endpoint|=/authorize',
    'Where the browser goes to sign in and consent; it redirects back with a code.',
    '6749#3.1',
  ],
  'token-endpoint': [
    'token endpoint',
    'token endpoint|=/token',
    'Where the client, directly, exchanges a code or a refresh token for tokens.',
    '6749#3.2',
  ],
  code: [
    'authorization code',
    'authorization code',
    'A short-lived, single-use value sent via the browser, which the client exchanges for tokens.',
    '6749#1.3.1',
  ],
  'redirect-uri': [
    '`redirect_uri`',
    '=redirect_uri|redirect URI',
    'Where the server sends the browser back. Registered in advance and compared exactly.',
    '6749#3.1.2',
  ],
  consent: [
    'consent',
    'consent',
    'The resource owner’s decision to grant or deny the access asked for.',
    '6749#4.1',
  ],
  scope: [
    '`scope`',
    '=scope',
    'Space-separated names of the access asked for; the server may grant less.',
    '6749#3.3',
  ],
  'access-token': [
    'access token',
    'access token',
    'The credential the client presents to the resource server. Clients treat it as opaque, even a JWT.',
    '9068#6',
  ],
  'refresh-token': [
    'refresh token',
    'refresh token',
    'Gets the client new access tokens without the user; sent only to the token endpoint.',
    '6749#1.5',
  ],
  'id-token': [
    'ID token',
    'ID token|=id_token',
    'A JWT telling the client who signed in and when. It is for the client (its aud), not for APIs.',
    'oidc#IDToken',
  ],
  jwt: [
    'JWT',
    'JWT|JSON Web Token',
    'Header, claims and signature joined by dots. Here signed, not encrypted: anyone holding it can read it.',
    '7519#3',
  ],
  jwks: [
    'JWKS',
    'JWKS|JWK Set',
    'The issuer’s public keys; a verifier picks one by the JWT’s kid.',
    '7517#5',
  ],
  iss: [
    '`iss`',
    '=iss|issuer',
    'Issuer: the URL of the server that made a token or response; receivers check it.',
    '7519#4.1.1',
  ],
  aud: [
    '`aud`',
    '=aud|audience',
    'Audience: who a token is for. Anyone else must reject it.',
    '7519#4.1.3',
  ],
  sub: [
    '`sub`',
    '=sub',
    'Subject: the user a token is about, an identifier unique at its issuer.',
    '7519#4.1.2',
  ],
  exp: [
    '`exp`',
    '=exp',
    'Expiry, in seconds since 1970: from then on the token must be rejected.',
    '7519#4.1.4',
  ],
  pkce: [
    'PKCE',
    'PKCE',
    'The client sends a hash of a fresh secret for the code, then the secret to redeem it. Not client authentication: it binds the code to the app instance that started the flow.',
    '7636#1',
  ],
  'code-verifier': [
    '`code_verifier`',
    '=code_verifier|=verifier',
    'PKCE’s random secret, made for one request and sent only to the token endpoint.',
    '7636#4.1',
  ],
  'code-challenge': [
    '`code_challenge`',
    '=code_challenge',
    'The verifier’s SHA-256, base64url (S256), sent with the authorization request.',
    '7636#4.2',
  ],
  state: [
    '`state`',
    '=state',
    'Sent by the client, returned unchanged; tied to the user’s session, it lets the client refuse responses it did not ask for.',
    '6749#10.12',
  ],
  nonce: [
    '`nonce`',
    '=nonce',
    'Sent by the client, copied into the ID token and checked, so a replayed ID token is refused.',
    'oidc#AuthRequest',
  ],
  front: [
    'front channel',
    'front channel',
    'Parameters carried in URLs through the browser, via redirects.',
    '6749#4.1',
  ],
  back: [
    'back channel',
    'back channel',
    'Direct HTTP requests from the client to a server, not redirects through the browser.',
    '6749#3.2',
  ],
  bearer: [
    'Bearer',
    'Bearer',
    'A token anyone holding it may use, with no proof of possession.',
    '6750#1.2',
  ],
  'client-id': [
    '`client_id`',
    '=client_id',
    'The client’s public identifier at the authorization server; not a secret.',
    '6749#2.2',
  ],
  'client-secret': [
    '`client_secret`',
    '=client_secret',
    'A confidential client’s password, sent only to the authorization server.',
    '6749#2.3.1',
  ],
  'public-client': [
    'public client',
    'public client',
    'Cannot keep a secret (such as an app in the browser), so it does not authenticate; PKCE protects its codes.',
    '6749#2.1',
  ],
  'confidential-client': [
    'confidential client',
    'confidential client',
    'Can keep a secret (a server) and authenticates to the authorization server.',
    '6749#2.1',
  ],
  introspection: [
    'introspection',
    'introspection|introspect',
    'Asking the authorization server whether a token is active.',
    '7662#2',
  ],
  revocation: [
    'revocation',
    'revocation|revoke|revoked',
    'The client tells the server to invalidate a token.',
    '7009#2',
  ],
  oidc: [
    'OpenID Connect',
    'OpenID Connect|OIDC',
    'Identity on top of OAuth: with the openid scope the client also gets an ID token.',
    'oidc#Introduction',
  ],
  csrf: [
    'CSRF',
    'CSRF',
    'Another site makes the user’s browser send a request she did not mean.',
    '9700#4.7',
  ],
  'mix-up': [
    'mix-up attack',
    'mix-up',
    'A client of several servers is tricked into sending one server’s code to the attacker’s.',
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
