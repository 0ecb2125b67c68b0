/**
 * The resource server at `https://api.example`: the user's photos, behind bearer tokens.
 * It validates JWT access tokens locally (signature against the authorization server's JWKS,
 * `typ`, `iss`, `aud`, `exp`, scope) or, when set to, by introspection.
 * @see https://www.rfc-editor.org/rfc/rfc6750
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 */
import { errors, jwtVerify, type JSONWebKeySet } from 'jose'
import { localKeySet } from './crypto.ts'
import { extractBearer } from './bearer.ts'
import { getHeader, jsonResponse, mediaType, pathOf, response } from './http.ts'
import { bearerError, type BearerErrorCode } from './oauthErrors.ts'
import { ORIGINS, type TokenValidation } from './state.ts'
import type { HeaderList, HttpRequest, HttpResponse } from './types.ts'
import type { Handler, World } from './world.ts'
import { formPost, jsonObject } from './wire.ts'

const REALM = 'api.example'
/** Page origins allowed to call the API from the browser. */
const ALLOWED_ORIGINS = [ORIGINS.spaClient]

type Verdict =
  | { ok: true; sub: string; scope: string[] }
  | { ok: false; error: BearerErrorCode | null; description: string }

/** Creates the resource server's handler on the world's network. */
export function createResourceServer(world: World): Handler {
  const rs = () => world.state.rs

  function cors(request: HttpRequest): HeaderList {
    const origin = getHeader(request.headers, 'origin')
    if (origin === null || !ALLOWED_ORIGINS.includes(origin as never)) return []
    return [
      ['Access-Control-Allow-Origin', origin],
      // Without this, page code could not read the bearer challenge or a new photo's Location.
      ['Access-Control-Expose-Headers', 'WWW-Authenticate, Location'],
      ['Vary', 'Origin'],
    ]
  }

  async function fetchJwks(): Promise<JSONWebKeySet | null> {
    const res = await world.send(
      'resource-server',
      'back',
      { method: 'GET', url: `${ORIGINS.authorizationServer}/jwks`, headers: [['Accept', 'application/json']], body: '' },
      ORIGINS.resourceServer,
    )
    if (res.status !== 200) return null
    try {
      const jwks = JSON.parse(res.body) as JSONWebKeySet
      rs().jwks = jwks as unknown as { keys: Record<string, unknown>[] }
      rs().jwksFetchedAt = world.now()
      return jwks
    } catch {
      return null
    }
  }

  async function validateLocally(token: string): Promise<Verdict> {
    let jwks = (rs().jwks as unknown as JSONWebKeySet | null) ?? (await fetchJwks())
    if (!jwks) return { ok: false, error: 'invalid_token', description: 'The authorization server’s keys could not be fetched.' }
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const { payload } = await jwtVerify(token, localKeySet(jwks), {
          issuer: ORIGINS.authorizationServer,
          audience: ORIGINS.resourceServer,
          typ: 'at+jwt',
          algorithms: ['RS256'],
          requiredClaims: ['exp', 'iat', 'sub', 'jti', 'client_id'],
          currentDate: new Date(world.now()),
        })
        const scope = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : []
        return { ok: true, sub: String(payload.sub), scope }
      } catch (e) {
        if (e instanceof errors.JWKSNoMatchingKey && attempt === 0) {
          // A key we have not seen: the server may have rotated keys. Fetch once more.
          const fresh = await fetchJwks()
          if (fresh) {
            jwks = fresh
            continue
          }
        }
        return { ok: false, error: 'invalid_token', description: describeJoseError(e) }
      }
    }
    return { ok: false, error: 'invalid_token', description: 'No key in the JWKS verifies this token.' }
  }

  async function validateByIntrospection(token: string): Promise<Verdict> {
    // HTTP Basic with the API's own registration at the authorization server.
    const res = await world.send(
      'resource-server',
      'back',
      formPost(`${ORIGINS.authorizationServer}/introspect`, { token, token_type_hint: 'access_token' }, rs().resourceId, rs().resourceSecret),
      ORIGINS.resourceServer,
    )
    let body: Record<string, unknown>
    try {
      body = JSON.parse(res.body) as Record<string, unknown>
    } catch {
      body = {}
    }
    if (res.status !== 200) return { ok: false, error: 'invalid_token', description: `Introspection failed with ${res.status}.` }
    if (body.active !== true) return { ok: false, error: 'invalid_token', description: 'The authorization server says the token is not active (revoked, expired or unknown).' }
    if (body.aud !== ORIGINS.resourceServer) return { ok: false, error: 'invalid_token', description: 'The token is not meant for this API (aud).' }
    const scope = typeof body.scope === 'string' ? body.scope.split(' ').filter(Boolean) : []
    return { ok: true, sub: String(body.sub), scope }
  }

  async function authorizeRequest(request: HttpRequest, needed: string, path: string): Promise<{ sub: string } | HttpResponse> {
    const record = (v: Omit<TokenValidation, 'at' | 'method' | 'path'>) => {
      rs().lastValidation = { at: world.now(), method: request.method, path, ...v }
    }
    const extracted = extractBearer(request)
    if ('error' in extracted) {
      record({ outcome: 'refused', status: extracted.error === null ? 401 : 400, reason: extracted.description, sub: null, scope: null })
      return bearerError(REALM, extracted.error, extracted.description, undefined, cors(request))
    }
    const verdict =
      rs().settings.tokenValidation === 'introspection'
        ? await validateByIntrospection(extracted.token)
        : await validateLocally(extracted.token)
    if (!verdict.ok) {
      record({ outcome: 'refused', status: 401, reason: verdict.description, sub: null, scope: null })
      return bearerError(REALM, verdict.error, verdict.description, undefined, cors(request))
    }
    if (!verdict.scope.includes(needed)) {
      const reason = `${request.method} ${path} needs the scope ${needed}; the token has "${verdict.scope.join(' ')}".`
      record({ outcome: 'refused', status: 403, reason, sub: verdict.sub, scope: verdict.scope.join(' ') })
      return bearerError(REALM, 'insufficient_scope', reason, needed, cors(request))
    }
    const how = rs().settings.tokenValidation === 'introspection' ? 'introspection says active' : 'signature, typ, iss, aud and exp check out'
    record({ outcome: 'accepted', status: 200, reason: `Valid: ${how}; scope includes ${needed}.`, sub: verdict.sub, scope: verdict.scope.join(' ') })
    return { sub: verdict.sub }
  }

  async function photos(request: HttpRequest): Promise<HttpResponse> {
    const headers = cors(request)
    if (request.method === 'GET') {
      const auth = await authorizeRequest(request, 'photos.read', '/photos')
      if ('status' in auth) return auth
      const mine = rs().photos.filter((p) => p.owner === auth.sub).map(({ id, title }) => ({ id, title }))
      return jsonResponse(200, { owner: auth.sub, photos: mine }, [['Cache-Control', 'no-store'], ...headers])
    }
    if (request.method === 'POST') {
      const auth = await authorizeRequest(request, 'photos.write', '/photos')
      if ('status' in auth) return auth
      let title: unknown
      const type = mediaType(request.headers)
      if (type === 'application/json') title = jsonObject(request.body)?.title
      else if (type === 'application/x-www-form-urlencoded') {
        title = new URLSearchParams(request.body).get('title') ?? undefined
      }
      if (typeof title !== 'string' || title.trim() === '' || title.length > 200) {
        return jsonResponse(400, { error: 'invalid_request', error_description: 'Send a JSON body {"title": "..."} with a title of 1 to 200 characters.' }, headers)
      }
      const photo = { id: `p-${world.randomToken(6)}`, title: title.trim(), owner: auth.sub }
      rs().photos.push(photo)
      return jsonResponse(201, { id: photo.id, title: photo.title }, [['Location', `${ORIGINS.resourceServer}/photos/${photo.id}`], ...headers])
    }
    return jsonResponse(405, { error: 'invalid_request', error_description: `/photos accepts GET and POST, not ${request.method}.` }, [['Allow', 'GET, POST'], ...headers])
  }

  return async (request) => {
    const path = pathOf(request.url)
    if (path === null) return jsonResponse(400, { error: 'invalid_request', error_description: 'The request URL is not valid.' })
    if (request.method === 'OPTIONS') {
      const headers = cors(request)
      return response(204, headers.length === 0 ? [] : [
        ...headers,
        ['Access-Control-Allow-Methods', 'GET, POST'],
        ['Access-Control-Allow-Headers', 'Authorization, Content-Type'],
        ['Access-Control-Max-Age', '600'],
      ])
    }
    if (path === '/photos') return photos(request)
    return jsonResponse(404, { error: 'not_found', error_description: `Nothing at ${path} on api.example.` }, cors(request))
  }
}

/** Says in plain words why jose refused a token. */
export function describeJoseError(e: unknown): string {
  if (e instanceof errors.JWTExpired) return 'The access token has expired (exp is in the past).'
  if (e instanceof errors.JWSSignatureVerificationFailed) return 'The signature does not verify: the token was altered or forged.'
  if (e instanceof errors.JWTClaimValidationFailed) return `Claim check failed: ${e.claim} — ${e.reason === 'check_failed' ? e.message : e.reason}.`
  if (e instanceof errors.JWKSNoMatchingKey) return 'No key in the authorization server’s JWKS matches this token (kid).'
  if (e instanceof errors.JOSEAlgNotAllowed) return 'The token is signed with an algorithm this API does not accept.'
  if (e instanceof errors.JWSInvalid || e instanceof errors.JWTInvalid) return 'The token is not a well-formed JWT.'
  if (e instanceof errors.JOSEError) return `The token was refused: ${e.message}.`
  return 'The token could not be validated.'
}
