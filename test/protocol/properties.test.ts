/**
 * Property tests: random sequences of users, clients and attackers acting on one world, with the
 * security invariants of RFC 6749, 6750, 7636, 7009, 7662 and 9700 checked after every step, and
 * a model of what each answer must be. fast-check prints the seed and the shrunk counterexample
 * of any failure, so it can be replayed with `{ seed, path }`.
 */
import fc from 'fast-check'
import { SignJWT, createLocalJWKSet, decodeJwt, importJWK, jwtVerify, type JWTPayload } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  BrowserFlowError,
  generateSigningKey,
  type Exchange,
  type Lab,
  type SigningKey,
} from '../../src/index.ts'
import { s256Challenge } from '../../src/protocol/crypto.ts'
import { basic, newLab, postForm, sharedKeys } from './helpers.ts'

const AS = 'https://auth.example'
const API = 'https://api.example/photos'
const USERINFO = 'https://auth.example/userinfo'
const ALL_SCOPES = ['openid', 'profile', 'photos.read', 'photos.write']
const CODE_LIFETIME = 600
const ACCESS_TOKEN_LIFETIME = 3600
const SESSION_LIFETIME = 8 * 3600
/** Every status the world may answer with; anything else (or a 5xx) is a bug. */
const KNOWN_STATUSES = new Set([200, 201, 204, 302, 303, 400, 401, 403, 404, 405])

type ClientKind = 'confidential' | 'public'
const otherClient = (c: ClientKind): ClientKind =>
  c === 'confidential' ? 'public' : 'confidential'

let realKey: SigningKey
let attackerKey: SigningKey
beforeAll(async () => {
  ;[realKey] = (await sharedKeys()) as [SigningKey]
  // The attacker's key carries the same kid as the server's, the most confusing forgery.
  attackerKey = await generateSigningKey(realKey.kid)
}, 30_000)

const b64json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const nowSec = (lab: Lab) => Math.floor(lab.clock.now() / 1000)
const splitScope = (s: string) => s.split(' ').filter(Boolean)

function header(ex: Exchange, name: string): string | null {
  const h = ex.request.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())
  return h ? h[1] : null
}

/** The token the request carried in `Authorization: Bearer`, if any. */
function bearerOf(ex: Exchange): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(header(ex, 'authorization') ?? '')
  return m?.[1] ?? null
}

/** Verifies an access token independently of the resource server, as of a given instant. */
async function genuineAt(token: string, atMs: number): Promise<JWTPayload | null> {
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: [realKey.publicJwk] }), {
      issuer: AS,
      audience: 'https://api.example',
      typ: 'at+jwt',
      algorithms: ['RS256'],
      currentDate: new Date(atMs),
    })
    return payload
  } catch {
    return null
  }
}

// ---------------------------------------------------------------------------------------------
// Forged tokens
// ---------------------------------------------------------------------------------------------

type Forgery = 'altered-payload' | 'other-key' | 'alg-none' | 'garbage'

function forgeryBase(lab: Lab, real: string | undefined): JWTPayload {
  if (real !== undefined) return decodeJwt(real)
  const now = nowSec(lab)
  return {
    iss: AS,
    aud: 'https://api.example',
    sub: 'alice-7c9e',
    client_id: 'demo-web-app',
    iat: now,
    exp: now + 3600,
    jti: 'forged-jti',
  }
}

async function forge(kind: Forgery, lab: Lab, real: string | undefined): Promise<string> {
  const widened = { ...forgeryBase(lab, real), scope: ALL_SCOPES.join(' ') }
  widened.exp = nowSec(lab) + 86_400
  switch (kind) {
    case 'altered-payload': {
      // The server's own signature over other claims: widened scope, later expiry.
      const [h, , s] = (real ?? (await resign(forgeryBase(lab, undefined), realKey))).split('.')
      return `${h}.${b64json(widened)}.${s}`
    }
    case 'other-key':
      return resign(widened, attackerKey)
    case 'alg-none':
      return `${b64json({ alg: 'none', typ: 'at+jwt' })}.${b64json(widened)}.`
    case 'garbage':
      return 'eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2lnbmF0dXJl'
  }
}

async function resign(payload: JWTPayload, key: SigningKey): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: key.kid })
    .sign(await importJWK(key.privateJwk, 'RS256'))
}

// ---------------------------------------------------------------------------------------------
// The model of one world
// ---------------------------------------------------------------------------------------------

interface FamilyModel {
  client: ClientKind
  scope: string
  revoked: boolean
}

interface CodeModel {
  code: string
  client: ClientKind
  /** null when the authorization request had no code_challenge. */
  verifier: string | null
  redirectGiven: boolean
  scope: string
  issuedAt: number
  used: boolean
  family: FamilyModel | null
}

interface AtModel {
  token: string
  client: ClientKind
  scope: string
  exp: number
  family: FamilyModel
  revoked: boolean
}

interface RtModel {
  token: string
  client: ClientKind
  family: FamilyModel
  rotated: boolean
}

interface Model {
  sessionExpiresAt: number | null
  /** What the user last consented to, per client (the server keeps the latest consent). */
  consent: Record<ClientKind, string | null>
  codes: CodeModel[]
  ats: AtModel[]
  rts: RtModel[]
  /** Codes the user's "Allow" (directly, or remembered for prompt=none) stands behind. */
  allowedCodes: Set<string>
  /** Refresh tokens seen in successful token responses. */
  issuedRts: Set<string>
  /** Successful authorization_code exchanges per code. */
  redeemed: Map<string, number>
  /** Exchanges already checked by the invariants. */
  checked: number
  validation: 'local' | 'introspection'
}

const newModel = (validation: Model['validation']): Model => ({
  sessionExpiresAt: null,
  consent: { confidential: null, public: null },
  codes: [],
  ats: [],
  rts: [],
  allowedCodes: new Set(),
  issuedRts: new Set(),
  redeemed: new Map(),
  checked: 0,
  validation,
})

const pickFrom = <T>(list: T[], pick: number | null): T | undefined =>
  list.length === 0 ? undefined : pick === null ? list[list.length - 1] : list[pick % list.length]

// ---------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------

type Tamper =
  | 'none'
  | 'redirect_uri'
  | 'client_id'
  | 'no_pkce'
  | 'plain_pkce'
  | 'bad_challenge'
  | 'unknown_scope'
type TokenChoice = 'issued' | Forgery | 'absent'

type Action =
  | {
      kind: 'authorize'
      client: ClientKind
      tamper: Tamper
      scopes: string[]
      omitRedirect: boolean
      prompt: 'login' | 'none' | null
      password: 'right' | 'wrong'
      consent: 'allow' | 'deny'
    }
  | {
      kind: 'redeem'
      pick: number | null
      bogus: boolean
      presenter: 'owner' | 'other'
      secret: 'right' | 'wrong'
      style: 'basic' | 'post'
      redirect: 'right' | 'wrong' | 'missing'
      verifier: 'right' | 'wrong' | 'missing'
    }
  | { kind: 'refresh'; pick: number | null; presenter: 'owner' | 'other' }
  | {
      kind: 'revoke'
      what: 'access' | 'refresh'
      pick: number | null
      presenter: 'owner' | 'other'
    }
  | { kind: 'api'; method: 'GET' | 'POST'; token: TokenChoice; pick: number | null }
  | { kind: 'userinfo'; token: TokenChoice; pick: number | null }
  | {
      kind: 'introspect'
      what: 'access' | 'refresh'
      pick: number | null
      caller: 'resource' | 'owner' | 'other'
    }
  | { kind: 'advance'; seconds: number }
  /** An honest authorization and redemption in one go, so that sessions hold live tokens. */
  | { kind: 'signIn'; client: ClientKind; scopes: string[] }

/** The honest value most of the time (3 in 4), else one of the deviations. */
function mostly<T>(honest: T, ...deviations: T[]): fc.Arbitrary<T> {
  return fc.oneof(
    { weight: 3 * deviations.length, arbitrary: fc.constant(honest) },
    ...deviations.map((d) => ({ weight: 1, arbitrary: fc.constant(d) })),
  )
}

/** null: the latest one; a number: any one, old ones included. */
const pickArb = fc.option(fc.nat({ max: 20 }), { nil: null, freq: 2 })
const tokenChoiceArb = mostly<TokenChoice>(
  'issued',
  'altered-payload',
  'other-key',
  'alg-none',
  'garbage',
  'absent',
)

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('signIn' as const),
      client: fc.constantFrom<ClientKind>('confidential', 'public'),
      scopes: fc.subarray(ALL_SCOPES),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('authorize' as const),
      client: fc.constantFrom<ClientKind>('confidential', 'public'),
      tamper: mostly<Tamper>(
        'none',
        'redirect_uri',
        'client_id',
        'no_pkce',
        'plain_pkce',
        'bad_challenge',
        'unknown_scope',
      ),
      scopes: fc.subarray(ALL_SCOPES),
      omitRedirect: fc.boolean(),
      prompt: mostly<'login' | 'none' | null>(null, 'login', 'none'),
      password: mostly<'right' | 'wrong'>('right', 'wrong'),
      consent: mostly<'allow' | 'deny'>('allow', 'deny'),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('redeem' as const),
      pick: pickArb,
      bogus: fc.oneof(
        { weight: 9, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
      presenter: mostly<'owner' | 'other'>('owner', 'other'),
      secret: mostly<'right' | 'wrong'>('right', 'wrong'),
      style: fc.constantFrom('basic' as const, 'post' as const),
      redirect: mostly<'right' | 'wrong' | 'missing'>('right', 'wrong', 'missing'),
      verifier: mostly<'right' | 'wrong' | 'missing'>('right', 'wrong', 'missing'),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('refresh' as const),
      pick: pickArb,
      presenter: mostly<'owner' | 'other'>('owner', 'other'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('revoke' as const),
      what: fc.constantFrom('access' as const, 'refresh' as const),
      pick: pickArb,
      presenter: mostly<'owner' | 'other'>('owner', 'other'),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('api' as const),
      method: fc.constantFrom('GET' as const, 'POST' as const),
      token: tokenChoiceArb,
      pick: pickArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('userinfo' as const),
      token: tokenChoiceArb,
      pick: pickArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('introspect' as const),
      what: fc.constantFrom('access' as const, 'refresh' as const),
      pick: pickArb,
      caller: fc.constantFrom('resource' as const, 'owner' as const, 'other' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      seconds: fc.oneof(
        fc.integer({ min: 0, max: 7200 }),
        fc.constantFrom(0, 1, 599, 600, 601, 1800, 3599, 3600, 3601, 7200),
      ),
    }),
  },
)

// ---------------------------------------------------------------------------------------------
// Running an action: do it, and check the answer against the model
// ---------------------------------------------------------------------------------------------

interface Credentials {
  fields: Record<string, string>
  headers: Record<string, string>
}

function credentials(
  lab: Lab,
  client: ClientKind,
  opts: { secret?: 'right' | 'wrong'; style?: 'basic' | 'post' } = {},
): Credentials {
  if (client === 'public')
    return { fields: { client_id: lab.clients.public.client_id }, headers: {} }
  const c = lab.clients.confidential
  const secret = opts.secret === 'wrong' ? `${c.client_secret}x` : c.client_secret
  if (opts.style === 'post')
    return { fields: { client_id: c.client_id, client_secret: secret }, headers: {} }
  return { fields: {}, headers: { Authorization: basic(c.client_id, secret) } }
}

type Outcome = { status: number; error?: string }

function expectOutcome(
  got: { status: number; body: Record<string, unknown> },
  want: Outcome,
  what: string,
) {
  expect({ status: got.status, error: got.body.error }, what).toEqual({
    status: want.status,
    error: want.error,
  })
}

/** Records a successful token response in the model. */
function recordTokens(
  lab: Lab,
  m: Model,
  body: Record<string, unknown>,
  client: ClientKind,
  family: FamilyModel,
) {
  expect(body.token_type).toBe('Bearer')
  expect(body.scope).toBe(family.scope)
  expect(typeof body.id_token === 'string').toBe(splitScope(family.scope).includes('openid'))
  const token = String(body.access_token)
  const exp = nowSec(lab) + ACCESS_TOKEN_LIFETIME
  expect(decodeJwt(token).exp).toBe(exp)
  m.ats.push({ token, client, scope: family.scope, exp, family, revoked: false })
  expect(typeof body.refresh_token).toBe('string')
  const rt = String(body.refresh_token)
  m.rts.push({ token: rt, client, family, rotated: false })
  m.issuedRts.add(rt)
}

async function authorize(
  lab: Lab,
  m: Model,
  a: Extract<Action, { kind: 'authorize' }>,
  step: number,
) {
  const own = lab.clients[a.client]
  const other = lab.clients[otherClient(a.client)]
  const verifier = `verifier-${step}-`.padEnd(48, 'v')
  const url = new URL(`${AS}/authorize`)
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('client_id', a.tamper === 'client_id' ? other.client_id : own.client_id)
  if (a.tamper === 'redirect_uri')
    url.searchParams.set(
      'redirect_uri',
      `${new URL(own.redirect_uri).origin}.attacker.example/callback`,
    )
  else if (!a.omitRedirect || a.tamper === 'client_id')
    url.searchParams.set('redirect_uri', own.redirect_uri)
  const scopes = a.tamper === 'unknown_scope' ? [...a.scopes, 'admin'] : a.scopes
  if (scopes.length > 0) url.searchParams.set('scope', scopes.join(' '))
  if (a.tamper === 'plain_pkce') {
    url.searchParams.set('code_challenge', verifier)
    url.searchParams.set('code_challenge_method', 'plain')
  } else if (a.tamper === 'bad_challenge') {
    url.searchParams.set('code_challenge', 'too-short')
    url.searchParams.set('code_challenge_method', 'S256')
  } else if (a.tamper !== 'no_pkce') {
    url.searchParams.set('code_challenge', await s256Challenge(verifier))
    url.searchParams.set('code_challenge_method', 'S256')
  }
  const state = `state-${step}`
  url.searchParams.set('state', state)
  url.searchParams.set('nonce', `nonce-${step}`)
  if (a.prompt) url.searchParams.set('prompt', a.prompt)

  // What the server must do, in the order RFC 6749 §4.1.2.1 and OIDC Core §3.1.2.6 ask.
  const now = nowSec(lab)
  const scope = a.scopes.length === 0 ? 'profile' : a.scopes.join(' ')
  const sessionValid = m.sessionExpiresAt !== null && m.sessionExpiresAt > now
  type Expected = { page: 'ERROR_PAGE' | 'LOGIN_FAILED' } | { error: string } | { code: true }
  let want: Expected
  let login = false
  if (a.tamper === 'redirect_uri' || a.tamper === 'client_id') want = { page: 'ERROR_PAGE' }
  else if (a.tamper === 'unknown_scope') want = { error: 'invalid_scope' }
  else if (a.tamper === 'plain_pkce' || a.tamper === 'bad_challenge')
    want = { error: 'invalid_request' }
  else if (a.tamper === 'no_pkce' && a.client === 'public') want = { error: 'invalid_request' }
  else if (a.prompt === 'none') {
    const consented = splitScope(m.consent[a.client] ?? '')
    if (!sessionValid) want = { error: 'login_required' }
    else if (!splitScope(scope).every((s) => consented.includes(s)))
      want = { error: 'consent_required' }
    else want = { code: true }
  } else if ((!sessionValid || a.prompt === 'login') && a.password === 'wrong') {
    want = { page: 'LOGIN_FAILED' }
  } else {
    login = !sessionValid || a.prompt === 'login'
    want = a.consent === 'deny' ? { error: 'access_denied' } : { code: true }
  }

  let redirect: URL
  try {
    redirect = new URL(
      await lab.browser.authorize(url.toString(), {
        password: a.password === 'right' ? lab.user.password : 'not-the-password',
        consent: a.consent,
      }),
    )
  } catch (e) {
    if (!(e instanceof BrowserFlowError)) throw e
    expect({ page: e.code }, `authorize refused: ${e.message}`).toEqual(want)
    if (e.code === 'ERROR_PAGE') expect(e.status).toBe(400)
    return
  }
  // Whatever the answer, it goes to the client's registered redirect URI, with iss and state.
  expect(`${redirect.origin}${redirect.pathname}`).toBe(own.redirect_uri)
  expect(redirect.searchParams.get('iss')).toBe(AS)
  expect(redirect.searchParams.get('state')).toBe(state)
  const code = redirect.searchParams.get('code')
  const error = redirect.searchParams.get('error')
  expect(code === null ? { error } : { code: true }, redirect.toString()).toEqual(want)
  if (login) m.sessionExpiresAt = now + SESSION_LIFETIME
  if (code === null) return
  m.consent[a.client] = scope
  m.allowedCodes.add(code)
  m.codes.push({
    code,
    client: a.client,
    verifier: a.tamper === 'no_pkce' ? null : verifier,
    redirectGiven: url.searchParams.has('redirect_uri'),
    scope,
    issuedAt: now,
    used: false,
    family: null,
  })
}

async function redeem(lab: Lab, m: Model, a: Extract<Action, { kind: 'redeem' }>) {
  const record = a.bogus ? undefined : pickFrom(m.codes, a.pick)
  const owner = record?.client ?? 'confidential'
  const presenter = a.presenter === 'owner' ? owner : otherClient(owner)
  const cred = credentials(lab, presenter, { secret: a.secret, style: a.style })
  const fields: Record<string, string | undefined> = {
    grant_type: 'authorization_code',
    code: record?.code ?? 'bogus-code-that-was-never-issued',
    ...cred.fields,
  }
  if (a.redirect === 'right') fields.redirect_uri = lab.clients[owner].redirect_uri
  if (a.redirect === 'wrong') fields.redirect_uri = lab.clients[otherClient(owner)].redirect_uri
  if (a.verifier === 'right') fields.code_verifier = record?.verifier ?? 'a'.repeat(43)
  if (a.verifier === 'wrong') fields.code_verifier = 'w'.repeat(43)

  const now = nowSec(lab)
  let want: Outcome
  if (presenter === 'confidential' && a.secret === 'wrong')
    want = { status: 401, error: 'invalid_client' }
  else if (!record) want = { status: 400, error: 'invalid_grant' }
  else if (record.used) {
    want = { status: 400, error: 'invalid_grant' }
    // RFC 6749 §4.1.2: a replayed code revokes what it gave.
    if (record.family) record.family.revoked = true
  } else if (presenter !== record.client) want = { status: 400, error: 'invalid_grant' }
  else if (now >= record.issuedAt + CODE_LIFETIME) want = { status: 400, error: 'invalid_grant' }
  else if (record.redirectGiven && a.redirect === 'missing')
    want = { status: 400, error: 'invalid_request' }
  else if (a.redirect === 'wrong') want = { status: 400, error: 'invalid_grant' }
  else if (record.verifier !== null && a.verifier !== 'right')
    want = { status: 400, error: 'invalid_grant' }
  else if (record.verifier === null && a.verifier !== 'missing')
    want = { status: 400, error: 'invalid_grant' }
  else want = { status: 200 }

  const res = await postForm(lab, '/token', fields, cred.headers)
  expectOutcome(res, want, `redeem ${JSON.stringify(fields)}`)
  if (res.status !== 200 || !record) return
  record.used = true
  record.family = { client: record.client, scope: record.scope, revoked: false }
  recordTokens(lab, m, res.body, record.client, record.family)
}

async function refresh(lab: Lab, m: Model, a: Extract<Action, { kind: 'refresh' }>) {
  const rt = pickFrom(m.rts, a.pick)
  const owner = rt?.client ?? 'public'
  const presenter = a.presenter === 'owner' ? owner : otherClient(owner)
  const cred = credentials(lab, presenter)
  let want: Outcome
  if (!rt) want = { status: 400, error: 'invalid_grant' }
  else if (presenter !== rt.client) want = { status: 400, error: 'invalid_grant' }
  else if (rt.rotated && !rt.family.revoked) {
    // RFC 9700 §4.14.2: a rotated refresh token came back; the whole family is revoked.
    rt.family.revoked = true
    want = { status: 400, error: 'invalid_grant' }
  } else if (rt.family.revoked) want = { status: 400, error: 'invalid_grant' }
  else want = { status: 200 }
  const res = await postForm(
    lab,
    '/token',
    {
      grant_type: 'refresh_token',
      refresh_token: rt?.token ?? 'bogus-refresh-token',
      ...cred.fields,
    },
    cred.headers,
  )
  expectOutcome(res, want, 'refresh')
  if (res.status !== 200 || !rt) return
  expect(res.body.refresh_token).not.toBe(rt.token)
  rt.rotated = true
  recordTokens(lab, m, res.body, rt.client, rt.family)
}

async function revoke(lab: Lab, m: Model, a: Extract<Action, { kind: 'revoke' }>) {
  const target = a.what === 'access' ? pickFrom(m.ats, a.pick) : pickFrom(m.rts, a.pick)
  const owner = target?.client ?? 'confidential'
  const presenter = a.presenter === 'owner' ? owner : otherClient(owner)
  const cred = credentials(lab, presenter)
  let want: Outcome
  if (!target)
    want = { status: 200 } // RFC 7009 §2.2: unknown tokens are not an error
  else if (presenter !== owner) want = { status: 400, error: 'unauthorized_client' }
  else want = { status: 200 }
  const res = await postForm(
    lab,
    '/revoke',
    { token: target?.token ?? 'never-issued', token_type_hint: `${a.what}_token`, ...cred.fields },
    cred.headers,
  )
  expectOutcome(res, want, `revoke ${a.what}`)
  if (res.status !== 200 || !target) return
  // RFC 7009 §2.1: revoking a refresh token ends its grant, access tokens included.
  if ('rotated' in target) target.family.revoked = true
  else target.revoked = true
}

async function presentedToken(
  lab: Lab,
  m: Model,
  choice: TokenChoice,
  pick: number | null,
): Promise<{ token: string | null; at: AtModel | undefined }> {
  if (choice === 'absent') return { token: null, at: undefined }
  const at = pickFrom(m.ats, pick)
  if (choice === 'issued') return at ? { token: at.token, at } : { token: null, at: undefined }
  return { token: await forge(choice, lab, at?.token), at: undefined }
}

async function callApi(lab: Lab, m: Model, a: Extract<Action, { kind: 'api' }>) {
  const { token, at } = await presentedToken(lab, m, a.token, a.pick)
  const headers: Record<string, string> = {}
  if (token !== null) headers.Authorization = `Bearer ${token}`
  if (a.method === 'POST') headers['Content-Type'] = 'application/json'
  const res = await lab.fetch(API, {
    method: a.method,
    headers,
    body: a.method === 'POST' ? JSON.stringify({ title: 'A new photo' }) : undefined,
  })
  await res.text()
  const needed = a.method === 'GET' ? 'photos.read' : 'photos.write'
  const now = nowSec(lab)
  let want: number
  if (token === null) want = 401
  else if (!at) want = res.status === 400 ? 400 : 401
  else if (now >= at.exp) want = 401
  else if (m.validation === 'introspection' && (at.revoked || at.family.revoked)) want = 401
  else if (!splitScope(at.scope).includes(needed)) want = 403
  else want = a.method === 'GET' ? 200 : 201
  expect(res.status, `${a.method} /photos with ${a.token}`).toBe(want)
  if (want >= 400)
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="api.example"/)
}

async function userinfo(lab: Lab, m: Model, a: Extract<Action, { kind: 'userinfo' }>) {
  const { token, at } = await presentedToken(lab, m, a.token, a.pick)
  const res = await lab.fetch(USERINFO, {
    headers: token === null ? {} : { Authorization: `Bearer ${token}` },
  })
  await res.text()
  let want: number
  if (token === null || !at) want = 401
  else if (at.revoked || at.family.revoked || nowSec(lab) >= at.exp) want = 401
  else if (!splitScope(at.scope).includes('openid')) want = 403
  else want = 200
  expect(res.status, `userinfo with ${a.token}`).toBe(want)
}

async function introspect(lab: Lab, m: Model, a: Extract<Action, { kind: 'introspect' }>) {
  const target = a.what === 'access' ? pickFrom(m.ats, a.pick) : pickFrom(m.rts, a.pick)
  const owner = target?.client ?? 'confidential'
  let cred: Credentials
  let caller: ClientKind | 'resource'
  if (a.caller === 'resource') {
    const rs = lab.world.state.rs
    cred = { fields: {}, headers: { Authorization: basic(rs.resourceId, rs.resourceSecret) } }
    caller = 'resource'
  } else {
    caller = a.caller === 'owner' ? owner : otherClient(owner)
    cred = credentials(lab, caller)
  }
  const res = await postForm(
    lab,
    '/introspect',
    { token: target?.token ?? 'never-issued', ...cred.fields },
    cred.headers,
  )
  if (caller === 'public') {
    // Public clients cannot authenticate, so they may not introspect (RFC 7662 §2.1).
    expectOutcome(res, { status: 401, error: 'invalid_client' }, 'introspect by the public client')
    return
  }
  const maySee = caller === 'resource' || caller === owner
  const now = nowSec(lab)
  let active = false
  if (target && maySee) {
    active =
      'rotated' in target
        ? !target.rotated && !target.family.revoked
        : !target.revoked && !target.family.revoked && now < target.exp
  }
  expect(res.status).toBe(200)
  expect(res.body.active, `introspect ${a.what} by ${a.caller}`).toBe(active)
  if (active && target) expect(res.body.scope).toBe(target.family.scope)
}

const HONEST_AUTHORIZE = {
  tamper: 'none',
  omitRedirect: false,
  prompt: null,
  password: 'right',
  consent: 'allow',
} as const
const HONEST_REDEEM = {
  pick: null,
  bogus: false,
  presenter: 'owner',
  secret: 'right',
  style: 'basic',
  redirect: 'right',
  verifier: 'right',
} as const

async function run(lab: Lab, m: Model, a: Action, step: number) {
  switch (a.kind) {
    case 'authorize':
      return authorize(lab, m, a, step)
    case 'redeem':
      return redeem(lab, m, a)
    case 'refresh':
      return refresh(lab, m, a)
    case 'revoke':
      return revoke(lab, m, a)
    case 'api':
      return callApi(lab, m, a)
    case 'userinfo':
      return userinfo(lab, m, a)
    case 'introspect':
      return introspect(lab, m, a)
    case 'advance':
      lab.clock.advance(a.seconds)
      return undefined
    case 'signIn': {
      const { client, scopes } = a
      await authorize(lab, m, { kind: 'authorize', client, scopes, ...HONEST_AUTHORIZE }, step)
      return redeem(lab, m, { kind: 'redeem', ...HONEST_REDEEM })
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Invariants, checked after every step
// ---------------------------------------------------------------------------------------------

async function checkInvariants(lab: Lab, m: Model) {
  const as = lab.world.state.as
  const fresh = lab.exchanges.slice(m.checked)
  m.checked = lab.exchanges.length
  for (const ex of fresh) {
    const res = ex.response
    const where = `${ex.request.method} ${ex.request.url}`
    expect(res, `${where} has a response`).not.toBeNull()
    if (!res) continue
    // A valid HTTP status, and never a fault: no handler threw.
    expect(Number.isInteger(res.status) && res.status >= 100 && res.status <= 599, where).toBe(true)
    expect(
      KNOWN_STATUSES.has(res.status),
      `${where} answered ${res.status}: ${res.body.slice(0, 200)}`,
    ).toBe(true)
    expect(res.body, where).not.toContain('server_error')

    const url = new URL(ex.request.url)
    if (url.href === `${AS}/token` && res.status === 200) {
      const params = new URLSearchParams(ex.request.body)
      const body = JSON.parse(res.body) as Record<string, unknown>
      if (params.get('grant_type') === 'authorization_code') {
        const code = params.get('code') ?? ''
        // A code is never accepted twice.
        const count = (m.redeemed.get(code) ?? 0) + 1
        m.redeemed.set(code, count)
        expect(count, `code ${code} accepted ${count} times`).toBe(1)
        expect(m.allowedCodes.has(code), `tokens for a code the user did not allow: ${code}`).toBe(
          true,
        )
      } else {
        expect(
          m.issuedRts.has(params.get('refresh_token') ?? ''),
          'refresh with an unissued token',
        ).toBe(true)
      }
      // Every token traces back to a code issued after the user's "Allow", within its scope.
      const { jti } = decodeJwt(String(body.access_token))
      const record = as.accessTokens[String(jti)]
      expect(record?.token).toBe(body.access_token)
      const origin = Object.values(as.codes).find((c) => c.grantId === record?.grantId)
      expect(origin && m.allowedCodes.has(origin.code), 'a token without consent').toBe(true)
      const consented = splitScope(origin?.scope ?? '')
      expect(splitScope(String(body.scope)).every((s) => consented.includes(s))).toBe(true)
    }

    if (url.origin === 'https://api.example' && res.status >= 200 && res.status < 300) {
      // Never 2xx for a forged, expired or under-scoped token.
      const token = bearerOf(ex) ?? ''
      const payload = await genuineAt(token, ex.sentAt)
      expect(payload, `the API accepted a token that does not verify: ${token}`).not.toBeNull()
      const needed = ex.request.method === 'GET' ? 'photos.read' : 'photos.write'
      expect(splitScope(String(payload?.scope ?? ''))).toContain(needed)
      if (m.validation === 'introspection') {
        expect(as.accessTokens[String(payload?.jti)]?.revoked).toBe(false)
      }
    }

    if (url.href === USERINFO && res.status === 200) {
      const token = bearerOf(ex) ?? ''
      const record = Object.values(as.accessTokens).find((t) => t.token === token)
      expect(record, 'userinfo answered for an unknown token').toBeDefined()
      expect(record && record.expiresAt > Math.floor(ex.sentAt / 1000)).toBe(true)
      expect(splitScope(record?.scope ?? '')).toContain('openid')
    }

    // The authorization server never redirects anywhere but to itself or a registered URI.
    const location = res.headers.find(([n]) => n.toLowerCase() === 'location')?.[1]
    if (url.origin === AS && location !== undefined) {
      const to = new URL(location, ex.request.url)
      const registered = Object.values(as.clients).flatMap((c) => c.redirect_uris)
      expect(to.origin === AS || registered.includes(`${to.origin}${to.pathname}`), location).toBe(
        true,
      )
    }
  }

  // Every grant, and every token the server holds, comes from a code the user allowed.
  for (const grant of Object.values(as.grants)) {
    const code = Object.values(as.codes).find((c) => c.grantId === grant.id)
    expect(code && m.allowedCodes.has(code.code), `grant ${grant.id} without consent`).toBe(true)
  }
  for (const t of [...Object.values(as.accessTokens), ...Object.values(as.refreshTokens)]) {
    expect(as.grants[t.grantId], 'a token outside any grant').toBeDefined()
  }
}

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

describe('the simulated world under random use and abuse (fast-check)', () => {
  it('keeps every security invariant, and answers as the RFCs say, after every step of random sessions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(actionArb, { minLength: 1, maxLength: 30, size: 'max' }),
        fc.constantFrom('local' as const, 'introspection' as const),
        async (actions, validation) => {
          const lab = await newLab({
            keys: [realKey],
            settings: { resourceServer: { tokenValidation: validation } },
          })
          const m = newModel(validation)
          for (const [step, action] of actions.entries()) {
            await run(lab, m, action, step)
            await checkInvariants(lab, m)
          }
        },
      ),
      { numRuns: 500 },
    )
  }, 120_000)

  it('never lets the resource server accept an altered, re-signed or truncated access token', async () => {
    const lab = await newLab()
    const m = newModel('local')
    await run(lab, m, { kind: 'signIn', client: 'confidential', scopes: ALL_SCOPES }, 0)
    const original = m.ats[0]?.token ?? ''
    const [h0 = '', p0 = '', s0 = ''] = original.split('.')
    const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const claimPatch = fc.record(
      {
        scope: fc.constantFrom(
          'photos.read photos.write',
          'openid profile photos.read photos.write admin',
        ),
        sub: fc.constantFrom('mallory', 'alice-7c9e '),
        exp: fc.integer({ min: 0, max: 4_000_000_000 }),
        aud: fc.constantFrom('https://evil.example', 'https://auth.example'),
        iss: fc.constantFrom('https://auth.example/', 'https://evil.example'),
        client_id: fc.constantFrom('demo-spa', 'mallory-app'),
      },
      { requiredKeys: [] },
    )
    const mutation = fc.oneof(
      fc.record({
        kind: fc.constant('char' as const),
        index: fc.nat(),
        char: fc.constantFrom(...B64URL.split('')),
      }),
      fc.record({ kind: fc.constant('claims' as const), patch: claimPatch }),
      fc.record({
        kind: fc.constant('header' as const),
        alg: fc.constantFrom('none', 'HS256', 'RS256', 'RS512', 'PS256', 'ES256'),
        typ: fc.constantFrom('at+jwt', 'JWT'),
        kid: fc.constantFrom(realKey.kid, 'other-kid'),
      }),
      fc.record({ kind: fc.constant('resign' as const), patch: claimPatch }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    )
    const hmacWithPublicKey = async (input: string) => {
      // Algorithm confusion: an HMAC keyed with the server's public key.
      const key = await crypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(JSON.stringify(realKey.publicJwk)),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign'],
      )
      const sig = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input))
      return Buffer.from(sig).toString('base64url')
    }

    await fc.assert(
      fc.asyncProperty(mutation, async (mut) => {
        let token: string
        switch (mut.kind) {
          case 'char': {
            const i = mut.index % original.length
            token = original.slice(0, i) + mut.char + original.slice(i + 1)
            break
          }
          case 'claims':
            token = `${h0}.${b64json({ ...decodeJwt(original), ...mut.patch })}.${s0}`
            break
          case 'header': {
            const h = b64json({ alg: mut.alg, typ: mut.typ, kid: mut.kid })
            const sig =
              mut.alg === 'none'
                ? ''
                : mut.alg === 'HS256'
                  ? await hmacWithPublicKey(`${h}.${p0}`)
                  : s0
            token = `${h}.${p0}.${sig}`
            break
          }
          case 'resign':
            token = await resign({ ...decodeJwt(original), ...mut.patch }, attackerKey)
            break
          case 'truncate':
            token = original.slice(0, mut.at % original.length)
            break
        }
        const res = await lab.fetch(API, { headers: { Authorization: `Bearer ${token}` } })
        await res.text()
        if (token === original) {
          expect(res.status).toBe(200)
          return
        }
        if (res.status === 200) {
          // Only a change the signature cannot see may pass: the same signed bytes, and a
          // signature segment that decodes to the same bytes (base64url's unused trailing bits).
          const [h, p, s = ''] = token.split('.')
          expect(`${h}.${p}`).toBe(`${h0}.${p0}`)
          expect(Buffer.from(s, 'base64url').equals(Buffer.from(s0, 'base64url'))).toBe(true)
          return
        }
        expect([400, 401], `${mut.kind}: ${res.status}`).toContain(res.status)
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /)
      }),
      { numRuns: 400 },
    )
    m.checked = 0
    await checkInvariants(lab, m)
  }, 60_000)

  it('redirects only to the registered redirect URI, and gives a code only to a fully valid request', async () => {
    const registered = {
      'demo-web-app': 'https://client.example/callback',
      'demo-spa': 'https://spa.example/callback',
    }
    const request = fc.record({
      client_id: fc.constantFrom('demo-web-app', 'demo-spa', 'unknown-app', undefined),
      redirect_uri: fc.constantFrom(
        undefined,
        'https://client.example/callback',
        'https://spa.example/callback',
        'https://client.example/callback/',
        'https://client.example/callback?next=x',
        'https://client.example/callback#top',
        'https://client.example.attacker.example/callback',
        'https://attacker.example/callback',
        'http://client.example/callback',
        'https://CLIENT.example/callback',
        'https://client.example/Callback',
        'not a url',
        '',
      ),
      response_type: fc.constantFrom('code', 'code', 'code', 'token', 'code id_token', undefined),
      scopes: fc.subarray([...ALL_SCOPES, 'admin', 'photos.delete']),
      pkce: fc.constantFrom('S256', 'S256', 'plain', 'missing', 'bad'),
      prompt: fc.constantFrom(undefined, undefined, 'login', 'consent', 'none', 'bogus'),
      repeated: fc.constantFrom(null, null, null, 'state', 'client_id'),
      consent: fc.constantFrom('allow' as const, 'deny' as const),
    })
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const lab = await newLab()
        const url = new URL(`${AS}/authorize`)
        const set = (k: string, v: string | undefined) =>
          v !== undefined && url.searchParams.append(k, v)
        set('client_id', r.client_id)
        set('redirect_uri', r.redirect_uri)
        set('response_type', r.response_type)
        if (r.scopes.length > 0) set('scope', r.scopes.join(' '))
        const challenge = await s256Challenge('v'.repeat(43))
        if (r.pkce === 'S256' || r.pkce === 'bad') {
          set('code_challenge', r.pkce === 'bad' ? challenge.slice(1) : challenge)
          set('code_challenge_method', 'S256')
        } else if (r.pkce === 'plain') {
          set('code_challenge', 'v'.repeat(43))
          set('code_challenge_method', 'plain')
        }
        set('state', 'xyz')
        set('prompt', r.prompt)
        if (r.repeated === 'state') set('state', 'again')
        const repeatedClientId = r.repeated === 'client_id' && r.client_id !== undefined
        if (repeatedClientId) set('client_id', r.client_id)

        const own =
          r.client_id === 'demo-web-app' || r.client_id === 'demo-spa'
            ? registered[r.client_id]
            : null
        const trusted =
          own !== null &&
          !repeatedClientId &&
          (r.redirect_uri === undefined || r.redirect_uri === own)
        let want: string
        if (!trusted) want = 'error page'
        else if (r.repeated === 'state') want = 'invalid_request'
        else if (r.response_type === undefined) want = 'invalid_request'
        else if (r.response_type !== 'code') want = 'unsupported_response_type'
        else if (r.scopes.some((s) => !ALL_SCOPES.includes(s))) want = 'invalid_scope'
        else if (r.pkce === 'plain' || r.pkce === 'bad') want = 'invalid_request'
        else if (r.pkce === 'missing' && r.client_id === 'demo-spa') want = 'invalid_request'
        else if (r.prompt === 'bogus') want = 'invalid_request'
        else if (r.prompt === 'none') want = 'login_required'
        else if (r.consent === 'deny') want = 'access_denied'
        else want = 'code'

        let got: string
        try {
          const redirect = new URL(
            await lab.browser.authorize(url.toString(), { consent: r.consent }),
          )
          expect(`${redirect.origin}${redirect.pathname}`).toBe(own)
          expect(redirect.searchParams.get('iss')).toBe(AS)
          const code = redirect.searchParams.get('code')
          got = code !== null ? 'code' : (redirect.searchParams.get('error') ?? 'no code, no error')
          if (code !== null) {
            const record = lab.world.state.as.codes[code]
            expect(record?.client_id).toBe(r.client_id)
            expect(record?.redirect_uri).toBe(own)
          }
        } catch (e) {
          if (!(e instanceof BrowserFlowError)) throw e
          expect(e.code).toBe('ERROR_PAGE')
          expect(e.status).toBe(400)
          got = 'error page'
        }
        expect(got, url.toString()).toBe(want)
        const m = newModel('local')
        for (const c of Object.keys(lab.world.state.as.codes)) m.allowedCodes.add(c)
        await checkInvariants(lab, m)
        // The browser never requested anything but the authorization server's pages.
        expect(lab.exchanges.every((ex) => new URL(ex.request.url).origin === AS)).toBe(true)
      }),
      { numRuns: 250 },
    )
  }, 60_000)

  it('redeems a PKCE-bound code only with the verifier whose SHA-256 is the challenge', async () => {
    const verifierArb = fc.stringMatching(/^[A-Za-z0-9._~-]{43,128}$/)
    await fc.assert(
      fc.asyncProperty(
        verifierArb,
        fc.oneof(
          fc.constant({ kind: 'same' as const }),
          fc.record({ kind: fc.constant('other' as const), verifier: verifierArb }),
          fc.record({ kind: fc.constant('flip' as const), index: fc.nat() }),
        ),
        fc.constantFrom<ClientKind>('confidential', 'public'),
        async (verifier, presented, client) => {
          const lab = await newLab()
          const c = lab.clients[client]
          const url = new URL(`${AS}/authorize`)
          url.searchParams.set('response_type', 'code')
          url.searchParams.set('client_id', c.client_id)
          url.searchParams.set('redirect_uri', c.redirect_uri)
          url.searchParams.set('code_challenge', await s256Challenge(verifier))
          url.searchParams.set('code_challenge_method', 'S256')
          const code =
            new URL(await lab.browser.authorize(url.toString())).searchParams.get('code') ?? ''
          let sent = verifier
          if (presented.kind === 'other') sent = presented.verifier
          if (presented.kind === 'flip') {
            const i = presented.index % verifier.length
            sent = verifier.slice(0, i) + (verifier[i] === 'A' ? 'B' : 'A') + verifier.slice(i + 1)
          }
          const cred = credentials(lab, client)
          const res = await postForm(
            lab,
            '/token',
            {
              grant_type: 'authorization_code',
              code,
              redirect_uri: c.redirect_uri,
              code_verifier: sent,
              ...cred.fields,
            },
            cred.headers,
          )
          if (sent === verifier) expect(res.status).toBe(200)
          else
            expectOutcome(
              res,
              { status: 400, error: 'invalid_grant' },
              `verifier ${sent} for ${verifier}`,
            )
        },
      ),
      { numRuns: 150 },
    )
  }, 60_000)
})
