/**
 * The authorization server's HTML pages: login, consent and error. Real pages with real forms;
 * every value that came from a request is escaped, so nothing untrusted becomes markup.
 */
import { escapeHtml as e, htmlPage, htmlResponse } from './http.ts'
import { own } from './records.ts'
import { SCOPES } from './state.ts'
import type { HeaderList, HttpResponse } from './types.ts'

/**
 * Headers for pages the user types credentials into: no caching, and no framing, so another site
 * cannot overlay them (clickjacking). @see https://www.rfc-editor.org/rfc/rfc6749#section-10.13
 */
export const PAGE_HEADERS: HeaderList = [
  ['Cache-Control', 'no-store'],
  ['X-Frame-Options', 'DENY'],
  [
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  ],
]

/** The sign-in page, optionally with the error of a failed attempt. */
export function loginPage(
  requestId: string,
  clientName: string,
  error: string | null,
  username = '',
): HttpResponse {
  const alert = error ? `<p role="alert" id="login-error">${e(error)}</p>\n` : ''
  return htmlResponse(
    200,
    htmlPage(
      'Sign in – auth.example',
      `<main>
<h1>Sign in to auth.example</h1>
<p>to continue to <strong id="client-name">${e(clientName)}</strong></p>
${alert}<form id="login-form" method="post" action="/login">
<input type="hidden" name="request_id" value="${e(requestId)}">
<label>Username <input name="username" autocomplete="username" value="${e(username)}"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form>
</main>`,
      'login',
    ),
    PAGE_HEADERS,
  )
}

/** The consent page: the requested scopes in plain words, with Allow and Deny. */
export function consentPage(
  requestId: string,
  clientName: string,
  userName: string,
  scope: string,
  extra: HeaderList = [],
): HttpResponse {
  const items = scope
    .split(' ')
    .filter(Boolean)
    .map((s) => `<li data-scope="${e(s)}"><code>${e(s)}</code> — ${e(own(SCOPES, s) ?? s)}</li>`)
    .join('\n')
  return htmlResponse(
    200,
    htmlPage(
      'Allow access? – auth.example',
      `<main>
<h1><span id="client-name">${e(clientName)}</span> wants to access your account</h1>
<p>Signed in as <strong id="user-name">${e(userName)}</strong>. It will be able to:</p>
<ul id="scopes">
${items}
</ul>
<form id="consent-form" method="post" action="/consent">
<input type="hidden" name="request_id" value="${e(requestId)}">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</main>`,
      'consent',
    ),
    [...PAGE_HEADERS, ...extra],
  )
}

/**
 * An error page shown instead of redirecting: used when the client or redirect URI can't be
 * trusted, so the error must not be sent to it. @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export function errorPage(
  status: number,
  title: string,
  message: string,
  error = 'invalid_request',
  extra: HeaderList = [],
): HttpResponse {
  return htmlResponse(
    status,
    htmlPage(
      `${e(title)} – auth.example`,
      `<main>
<h1>${e(title)}</h1>
<p id="error-message">${e(message)}</p>
<p>Error code: <code id="error-code">${e(error)}</code></p>
</main>`,
      'error',
    ),
    [...PAGE_HEADERS, ...extra],
  )
}
