/** The authorization endpoint. @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1 */
import { consentPage, errorPage, loginPage, PAGE_HEADERS } from '../asPages.ts'
import { isCodeVerifier } from '../crypto.ts'
import { queryParamsOf, repeatedParams, single } from '../http.ts'
import { type AuthorizationErrorCode } from '../oauthErrors.ts'
import { PENDING_LIFETIME, SCOPES, type PendingRequest } from '../state.ts'
import type { HttpRequest, HttpResponse } from '../types.ts'
import { splitScope, formParams, redirectUriAllowed, PROMPTS, SCOPE_TOKEN } from './shared.ts'
import type { AsContext } from './context.ts'
import { own, put } from '../records.ts'

/** @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1 */
export function authorize(ctx: AsContext, request: HttpRequest): HttpResponse {
  const {
    as,
    userBySub,
    sessionOf,
    pkceRequired,
    authorizationRedirect,
    authorizationError,
    issueCode,
    world,
  } = ctx
  let params: Map<string, string[]>
  if (request.method === 'GET') params = queryParamsOf(request.url)
  else if (request.method === 'POST') {
    const form = formParams(request)
    if (!form)
      return errorPage(
        400,
        'Bad request',
        'A POST to the authorization endpoint must be form-encoded.',
      )
    params = form
  } else
    return {
      ...errorPage(
        405,
        'Method not allowed',
        `The authorization endpoint accepts GET and POST, not ${request.method}.`,
      ),
      headers: [
        ...PAGE_HEADERS,
        ['Allow', 'GET, POST'],
        ['Content-Type', 'text/html; charset=utf-8'],
      ],
    }

  // Until client_id and redirect_uri are trusted, errors go on a page, never to a redirect.
  const repeated = repeatedParams(params)
  if (repeated.includes('client_id'))
    return errorPage(400, 'Invalid request', 'The client_id parameter is repeated.')
  if (repeated.includes('redirect_uri'))
    return errorPage(400, 'Invalid request', 'The redirect_uri parameter is repeated.')
  const clientId = single(params, 'client_id')
  if (!clientId) return errorPage(400, 'Invalid request', 'The request has no client_id.')
  const client = own(as().clients, clientId)
  if (!client)
    return errorPage(
      400,
      'Unknown client',
      `No client is registered with client_id "${clientId}".`,
      'invalid_client',
    )
  const givenRedirect = single(params, 'redirect_uri')
  let redirectUri: string
  if (givenRedirect !== undefined) {
    let parsed: URL | null
    try {
      parsed = new URL(givenRedirect)
    } catch {
      parsed = null
    }
    if (!parsed || givenRedirect.includes('#')) {
      return errorPage(
        400,
        'Invalid redirect_uri',
        `The redirect_uri "${givenRedirect}" is not an absolute URI without a fragment.`,
      )
    }
    if (!redirectUriAllowed(client, givenRedirect, as().settings.redirectUriMatching)) {
      return errorPage(
        400,
        'Invalid redirect_uri',
        `The redirect_uri "${givenRedirect}" is not registered for ${clientId}. The server will not redirect there.`,
      )
    }
    redirectUri = givenRedirect
  } else if (client.redirect_uris.length === 1 && client.redirect_uris[0]) {
    redirectUri = client.redirect_uris[0]
  } else {
    return errorPage(
      400,
      'Invalid request',
      'The request has no redirect_uri and the client registered several.',
    )
  }

  const state = single(params, 'state') ?? null
  const fail = (error: AuthorizationErrorCode, description: string) =>
    authorizationError(redirectUri, error, description, state)

  const otherRepeated = repeated.filter((p) => p !== 'client_id' && p !== 'redirect_uri')
  if (otherRepeated.length > 0)
    return fail('invalid_request', `Parameter repeated: ${otherRepeated.join(', ')}.`)
  const responseType = single(params, 'response_type')
  if (!responseType) return fail('invalid_request', 'The response_type parameter is missing.')
  if (responseType !== 'code') {
    return fail(
      'unsupported_response_type',
      `This server supports response_type=code only, not "${responseType}".`,
    )
  }
  if (
    !client.response_types.includes('code') ||
    !client.grant_types.includes('authorization_code')
  ) {
    return fail(
      'unauthorized_client',
      `The client ${clientId} is not allowed to use the authorization code grant.`,
    )
  }

  const scopeParam = single(params, 'scope')
  const scopes = splitScope(scopeParam ?? '')
  const requested = scopes.length === 0 ? ['profile'] : scopes
  const bad = requested.find((s) => !SCOPE_TOKEN.test(s) || !Object.hasOwn(SCOPES, s))
  if (bad !== undefined) return fail('invalid_scope', `Unknown scope "${bad}".`)
  const allowed = splitScope(client.scope)
  const notAllowed = requested.find((s) => !allowed.includes(s))
  if (notAllowed !== undefined)
    return fail('invalid_scope', `The client may not request the scope "${notAllowed}".`)
  const scope = [...new Set(requested)].join(' ')

  const challenge = single(params, 'code_challenge')
  const method = single(params, 'code_challenge_method')
  if (method !== undefined && challenge === undefined) {
    return fail('invalid_request', 'code_challenge_method was sent without a code_challenge.')
  }
  if (challenge !== undefined) {
    // RFC 7636 §4.3: without a method, the method is "plain", which this server refuses.
    if ((method ?? 'plain') !== 'S256') {
      return fail(
        'invalid_request',
        `Transform algorithm not supported: code_challenge_method "${method ?? 'plain'}" (use S256).`,
      )
    }
    if (!isCodeVerifier(challenge) || challenge.length !== 43) {
      return fail(
        'invalid_request',
        'The code_challenge is not a base64url SHA-256 value of 43 characters.',
      )
    }
  } else if (pkceRequired(client)) {
    return fail(
      'invalid_request',
      `PKCE is required for ${clientId}: the code_challenge parameter is missing.`,
    )
  }

  const prompt = splitScope(single(params, 'prompt') ?? '')
  const badPrompt = prompt.find((p) => !PROMPTS.has(p))
  if (badPrompt !== undefined)
    return fail('invalid_request', `Unknown prompt value "${badPrompt}".`)
  if (prompt.includes('none') && prompt.length > 1) {
    return fail('invalid_request', 'prompt=none cannot be combined with other prompt values.')
  }

  const now = world.nowSeconds()
  const pending: PendingRequest = {
    id: world.randomToken(16),
    client_id: clientId,
    redirect_uri: redirectUri,
    redirect_uri_given: givenRedirect !== undefined,
    scope,
    state,
    code_challenge: challenge ?? null,
    code_challenge_method: challenge === undefined ? null : 'S256',
    nonce: single(params, 'nonce') ?? null,
    createdAt: now,
    expiresAt: now + PENDING_LIFETIME,
    sub: null,
    failedLogins: 0,
  }

  const session = sessionOf(request)
  if (prompt.includes('none')) {
    if (!session)
      return fail('login_required', 'The user is not signed in and prompt=none was requested.')
    const consented = splitScope(own(as().consents, `${session.sub} ${clientId}`) ?? '')
    if (!splitScope(scope).every((s) => consented.includes(s))) {
      return fail(
        'consent_required',
        'The user has not consented to these scopes and prompt=none was requested.',
      )
    }
    const code = issueCode(pending, session.sub, session.authTime)
    return authorizationRedirect(redirectUri, { code, state })
  }
  put(as().pending, pending.id, pending)
  if (session && !prompt.includes('login')) {
    pending.sub = session.sub
    const user = userBySub(session.sub)
    return consentPage(pending.id, client.client_name, user?.name ?? session.sub, scope)
  }
  return loginPage(pending.id, client.client_name, null)
}
