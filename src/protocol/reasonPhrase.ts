/**
 * The reason phrases of the status codes the lab's servers answer with: what the Message pane, the
 * raw messages, curl and the exports print after a status code. Here rather than beside the
 * Browser pane's page model, which the panes that print a status do not otherwise need.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15
 */
const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
}

/** The reason phrase of a status code, or an empty string. @see https://www.rfc-editor.org/rfc/rfc9110#section-15 */
export function reasonPhrase(status: number): string {
  return REASONS[status] ?? ''
}
