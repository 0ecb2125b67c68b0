/** The login and consent forms' POSTs, behind the authorization endpoint. */
import { consentPage, errorPage, loginPage } from '../asPages.ts'
import { single } from '../http.ts'
import type { PendingRequest } from '../state.ts'
import type { HttpRequest, HttpResponse } from '../types.ts'
import { formParams, startSession } from './shared.ts'
import type { AsContext } from './context.ts'
import { drop, own } from '../records.ts'

/**
 * The opening the login and consent forms share: a POST (else 405 with Allow), form-encoded (else
 * 400), naming a sign-in request still pending (else the error page `pendingFrom` gives).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
function postedPageForm(
  ctx: AsContext,
  request: HttpRequest,
  form: 'login' | 'consent',
): { params: Map<string, string[]>; pending: PendingRequest } | HttpResponse {
  if (request.method !== 'POST')
    return errorPage(
      405,
      'Method not allowed',
      `The ${form} form is sent with POST.`,
      'invalid_request',
      [['Allow', 'POST']],
    )
  const params = formParams(request)
  if (!params) return errorPage(400, 'Bad request', `The ${form} form must be form-encoded.`)
  const pending = ctx.pendingFrom(params)
  if ('status' in pending) return pending
  return { params, pending }
}

/** The login form's POST: checks the password, starts a session, shows the consent page. */
export function login(ctx: AsContext, request: HttpRequest): HttpResponse {
  const { as, world } = ctx
  const posted = postedPageForm(ctx, request, 'login')
  if ('status' in posted) return posted
  const { params, pending } = posted
  const client = own(as().clients, pending.client_id)
  if (!client)
    return errorPage(
      400,
      'Unknown client',
      'The client of this sign-in request no longer exists.',
      'invalid_client',
    )
  const username = single(params, 'username') ?? ''
  const password = single(params, 'password') ?? ''
  const user = own(as().users, username)
  if (!user || user.password !== password) {
    pending.failedLogins++
    return loginPage(pending.id, client.client_name, 'Wrong username or password.', username)
  }
  const { setCookie } = startSession(as(), user.sub, world.randomToken(24), world.nowSeconds())
  pending.sub = user.sub
  return consentPage(pending.id, client.client_name, user.name, pending.scope, [
    ['Set-Cookie', setCookie],
  ])
}

/** The consent form's POST: Allow issues a code, Deny answers `access_denied`. */
export function consent(ctx: AsContext, request: HttpRequest): HttpResponse {
  const { as, sessionOf, authorizationRedirect, authorizationError, issueCode } = ctx
  const posted = postedPageForm(ctx, request, 'consent')
  if ('status' in posted) return posted
  const { params, pending } = posted
  const session = sessionOf(request)
  if (!session || pending.sub === null || session.sub !== pending.sub) {
    return errorPage(
      400,
      'Not signed in',
      'Sign in before answering the consent page.',
      'access_denied',
    )
  }
  const decision = single(params, 'decision')
  if (decision !== 'allow' && decision !== 'deny') {
    return errorPage(400, 'Bad request', 'The consent answer must be allow or deny.')
  }
  drop(as().pending, pending.id)
  if (decision === 'deny') {
    return authorizationError(
      pending.redirect_uri,
      'access_denied',
      'The user denied the request.',
      pending.state,
      303,
    )
  }
  const code = issueCode(pending, session.sub, session.authTime)
  return authorizationRedirect(pending.redirect_uri, { code, state: pending.state }, 303)
}
