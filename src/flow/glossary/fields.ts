/**
 * "Explain this field": every query parameter, form field, header, JSON member and JWT claim or
 * header parameter the lab's messages carry, with what it means, who sets it, who checks it and
 * the section that defines it. Entries may lean on a glossary term for their words. Loaded with
 * the message view, not at first paint.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 */
import { explainTerm, specLabel, specUrl, type Explanation } from './terms.ts'

/** Where a field was: a URL's parameters, a form body, a header, a JSON body, a JWT. */
export type FieldKind = 'query' | 'form' | 'header' | 'json' | 'claim' | 'jose'

/**
 * `[meaning, roles, reference, term]`. The meaning is a short gloss, lower-case first (it reads
 * after a claim's value: "issuer: who made…"); '' borrows the term's definition. Roles are
 * `setters>checkers` by letter (u user, b browser, c client, a authorization server, r resource
 * server), '' when it does not matter. A reference as in the glossary; '' for the API's own data.
 */
type Row = readonly [meaning: string, roles: string, ref: string, term?: string]

const CORS = 'https://fetch.spec.whatwg.org/#http-cors-protocol'
const API = 'the photo API’s own data, not OAuth’s'

/**
 * Keyed `kind:name` for one kind, or `name` for any kind but a header (a header is always
 * `header:` and lower case, as header names are case-insensitive).
 */
const FIELDS: Record<string, Row> = {
  // The authorization request and response (front channel)
  response_type: ['the flow: code asks for an authorization code', 'c>a', '6749#3.1.1'],
  client_id: ['', 'c>a', '6749#2.2', 'client-id'],
  redirect_uri: ['', 'c>a', '6749#3.1.2', 'redirect-uri'],
  scope: ['', 'c>a', '6749#3.3', 'scope'],
  state: ['', 'c>c', '6749#4.1.1', 'state'],
  nonce: ['', 'c>c', 'oidc#AuthRequest', 'nonce'],
  code_challenge: ['', 'c>a', '7636#4.3', 'code-challenge'],
  code_challenge_method: ['how the challenge was made: S256 (SHA-256) or plain', 'c>a', '7636#4.3'],
  'query:code': ['', 'a>a', '6749#4.1.2', 'code'],
  'query:iss': [
    'who sent this response; the client checks it is the server it chose (against mix-up)',
    'a>c',
    '9207#2',
    'iss',
  ],
  'query:error': ['why there is no code, such as access_denied', 'a>c', '6749#4.1.2.1'],
  error: ['an error code from the RFC, such as invalid_grant', 'ar>c', '6749#5.2'],
  error_description: ['about the error, for the developer', 'ar>c', '6749#5.2'],
  'query:as': ['the server Alice picked: the app’s own parameter', 'u>c', '9700#4.4'],
  // The token request (back channel)
  grant_type: ['what is redeemed: authorization_code or refresh_token', 'c>a', '6749#4.1.3'],
  'form:code': ['', 'c>a', '6749#4.1.3', 'code'],
  'form:redirect_uri': [
    'must equal the one in the authorization request',
    'c>a',
    '6749#4.1.3',
    'redirect-uri',
  ],
  code_verifier: ['', 'c>a', '7636#4.5', 'code-verifier'],
  client_secret: ['', 'c>a', '6749#2.3.1', 'client-secret'],
  refresh_token: ['', 'c>a', '6749#6', 'refresh-token'],
  token: ['the token to revoke or introspect', 'cr>a', '7009#2.1'],
  token_type_hint: ['which kind of token: a hint the server may ignore', 'c>a', '7009#2.1'],
  // The authorization server's own pages: sign-in and consent are outside OAuth
  username: ['typed on the sign-in page, which is outside OAuth', 'u>a', '6749#3.1'],
  password: ['typed only at the authorization server; the app never sees it', 'u>a', '6749#3.1'],
  decision: ['allow or deny, on the consent page', 'u>a', '6749#4.1', 'consent'],
  request_id: ['ties the consent page’s answer to its request', 'a>a', '6749#4.1'],
  // Token, introspection and JWKS responses
  access_token: ['', 'a>r', '6749#5.1', 'access-token'],
  'json:refresh_token': ['', 'a>a', '6749#5.1', 'refresh-token'],
  id_token: ['', 'a>c', 'oidc#TokenResponse', 'id-token'],
  token_type: ['Bearer: send it in the Authorization header', 'a>c', '6749#7.1', 'bearer'],
  expires_in: ['seconds until the access token expires', 'a>', '6749#5.1'],
  'json:scope': ['the scope granted, maybe less than asked', 'a>c', '6749#5.1', 'scope'],
  active: ['whether the token is valid now', 'a>r', '7662#2.2', 'introspection'],
  keys: ['the issuer’s public keys', 'a>cr', '7517#5', 'jwks'],
  // Claims (the JWT payload) and UserInfo members
  iss: ['issuer: who made and signed this token', 'a>cr', '7519#4.1.1', 'iss'],
  sub: ['subject: the user this token is about', 'a>cr', '7519#4.1.2', 'sub'],
  aud: ['audience: who must accept this token, and no one else', 'a>cr', '7519#4.1.3', 'aud'],
  exp: ['expires: not valid after this time', 'a>cr', '7519#4.1.4', 'exp'],
  iat: ['issued at', 'a>', '7519#4.1.6'],
  jti: ['JWT ID: unique per token, so it can be revoked or a replay spotted', 'a>r', '7519#4.1.7'],
  auth_time: ['when the user signed in', 'a>c', 'oidc#IDToken'],
  'claim:client_id': ['the client the token was issued to', 'a>r', '9068#2.2', 'client-id'],
  'claim:scope': [
    'what the token allows: the API checks the scope it needs',
    'a>r',
    '9068#2.2.3',
    'scope',
  ],
  'claim:nonce': [
    'the client’s nonce, echoed so a replayed ID token is refused',
    'a>c',
    'oidc#IDToken',
    'nonce',
  ],
  at_hash: ['hash of the access token issued with it: binds the two', 'a>c', 'oidc#CodeIDToken'],
  name: ['the user’s full name', 'a>c', 'oidc#StandardClaims'],
  given_name: ['the user’s first name', 'a>c', 'oidc#StandardClaims'],
  family_name: ['the user’s last name', 'a>c', 'oidc#StandardClaims'],
  preferred_username: ['the user’s username', 'a>c', 'oidc#StandardClaims'],
  // The JOSE header
  alg: ['algorithm: how it is signed (RS256: RSA signature over SHA-256)', 'a>cr', '7515#4.1.1'],
  typ: ['type of token', 'a>cr', '7515#4.1.9'],
  kid: [
    'key id: which of the issuer’s keys signed it (looked up in the JWKS)',
    'a>cr',
    '7515#4.1.4',
    'jwks',
  ],
  // The photo API
  photos: [API, 'r>c', ''],
  id: [API, 'r>c', ''],
  owner: [API, 'r>c', ''],
  title: [API, 'c>r', ''],
  // Headers
  'header:authorization': [
    'Basic client credentials, or Bearer and the access token',
    'c>ar',
    '6750#2.1',
  ],
  'header:www-authenticate': [
    'why the API refused: an error such as insufficient_scope, and the scope it needs',
    'r>c',
    '6750#3',
  ],
  'header:location': ['where a redirect sends the browser', 'ac>b', '9110#10.2.2', 'front'],
  'header:cache-control': ['caching: no-store keeps tokens out of every cache', 'a>', '6749#5.1'],
  'header:pragma': ['caching for HTTP/1.0: no-cache', 'a>', '9111#5.4'],
  'header:content-type': ['the body’s format', '', '9110#8.3'],
  'header:accept': ['the formats the sender can read', '', '9110#12.5.1'],
  'header:cookie': ['cookies sent back to their site: here, sessions', 'b>ac', '6265#5.4'],
  'header:set-cookie': ['asks the browser to keep a cookie (a session)', 'ac>b', '6265#4.1'],
  'header:origin': ['the page’s origin, which CORS decides on', 'b>ar', '6454#7'],
  'header:referer': ['the page the browser came from: a code in it would leak', 'b>', '9700#4.2'],
  'header:vary': ['request headers this answer depends on', '', '9110#12.5.5'],
  'header:content-security-policy': [
    'what the page may load and who may frame it',
    'a>b',
    '6749#10.13',
  ],
  'header:x-frame-options': ['DENY: no site may frame this page', 'a>b', '7034#2'],
  'header:access-control-allow-origin': [
    'which origin’s script may read this answer',
    'ar>b',
    CORS,
  ],
  'header:access-control-allow-methods': ['methods a cross-origin request may use', 'ar>b', CORS],
  'header:access-control-allow-headers': ['headers a cross-origin request may send', 'ar>b', CORS],
  'header:access-control-expose-headers': ['response headers the script may read', 'ar>b', CORS],
  'header:access-control-max-age': ['seconds the browser may reuse this preflight', 'ar>b', CORS],
  'header:access-control-request-method': ['preflight: the method to come', 'b>ar', CORS],
  'header:access-control-request-headers': ['preflight: the headers to come', 'b>ar', CORS],
}

const ROWS = new Map(Object.entries(FIELDS))

const WHO: Record<string, string> = {
  u: 'the user',
  b: 'the browser',
  c: 'the client',
  a: 'the authorization server',
  r: 'the resource server',
}

function who(letters: string): string {
  const names = [...letters].map((l) => WHO[l] ?? l)
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '')
}

function rolesText(roles: string): string | null {
  const [by = '', check = ''] = roles.split('>')
  if (!by) return null
  return `Set by ${who(by)}${check ? `; checked by ${who(check)}` : ''}.`
}

function rowOf(kind: FieldKind, name: string): Row | undefined {
  if (kind === 'header') return ROWS.get(`header:${name.toLowerCase()}`)
  return ROWS.get(`${kind}:${name}`) ?? ROWS.get(name)
}

/** A field's short meaning, lower-case first ("issuer: who made…"), or null without an entry. */
export function fieldMeaning(kind: FieldKind, name: string): string | null {
  const row = rowOf(kind, name)
  if (!row) return null
  const [meaning, , , term] = row
  return meaning || (term ? (explainTerm(term)?.text ?? null) : null)
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/**
 * What a field means, who sets it, who checks it and where it is defined; null when the lab has
 * no entry for it (a name like `__proto__` or `toString` too: the table is a Map).
 */
export function explainField(kind: FieldKind, name: string): Explanation | null {
  const row = rowOf(kind, name)
  if (!row) return null
  const [meaning, roles, ref, termId] = row
  const text = meaning ? `${capital(meaning)}.` : ((termId && explainTerm(termId)?.text) ?? '')
  return {
    label: name,
    code: true,
    text,
    roles: rolesText(roles),
    href: ref ? specUrl(ref) : '',
    source: ref ? specLabel(ref) : '',
  }
}

/** Whether the lab explains a field (the message view marks it explainable). */
export function hasField(kind: FieldKind, name: string): boolean {
  return rowOf(kind, name) !== undefined
}
