/**
 * Requests and responses as text: a shell-safe curl command, and the raw HTTP/1.1 message as it
 * would travel on the wire.
 * @see https://www.rfc-editor.org/rfc/rfc9112#section-2.1
 */
import type { HttpRequest, HttpResponse } from '../../protocol/index.ts'
import { reasonPhrase } from '../../protocol/reasonPhrase.ts'

/**
 * C0 controls (but NUL), DEL and C1 controls: a terminal acts on them when they are pasted (an
 * escape sequence can end bracketed paste and run what follows), so none is written as itself.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\x01-\x1f\x7f\u0080-\u009f]+/gu

/** Single-quotes plain text: nothing inside is expanded, and each `'` becomes `'\''`. */
const singleQuoted = (text: string) => (text === '' ? '' : `'${text.replace(/'/g, `'\\''`)}'`)

/** Control characters as ANSI-C quoting (bash, zsh, ksh): each UTF-8 byte as `\xNN`. */
function ansiC(controls: string): string {
  const bytes = new TextEncoder().encode(controls)
  return `$'${Array.from(bytes, (b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')}'`
}

/**
 * Quotes one shell word in single quotes: nothing inside is expanded (`$`, backticks, `\`), and
 * each `'` becomes `'\''` (close, escaped quote, reopen). Control characters (newlines, ESC, DEL)
 * are written as `$'\xNN'` beside the quoted text, so the command shows and pastes no raw control
 * character; the shell still gives curl the exact bytes.
 * @see https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_02_02
 * @see https://www.gnu.org/software/bash/manual/html_node/ANSI_002dC-Quoting.html
 */
export function shellQuote(word: string): string {
  // NUL cannot appear in a shell argument at all; drop it rather than truncate the word.
  const text = word.replace(/\0/g, '')
  let out = ''
  let from = 0
  for (const m of text.matchAll(CONTROLS)) {
    out += singleQuoted(text.slice(from, m.index)) + ansiC(m[0])
    from = m.index + m[0].length
  }
  out += singleQuoted(text.slice(from))
  return out === '' ? "''" : out
}

/** The request as a curl command, each argument single-quoted, one option per line. */
export function toCurl(request: HttpRequest): string {
  const lines: string[] = []
  const first = ['curl']
  if (request.method !== 'GET' || request.body !== '') first.push('-X', shellQuote(request.method))
  first.push(shellQuote(request.url))
  lines.push(first.join(' '))
  for (const [name, value] of request.headers) lines.push(`-H ${shellQuote(`${name}: ${value}`)}`)
  if (request.body !== '') lines.push(`--data-raw ${shellQuote(request.body)}`)
  return lines.join(' \\\n  ')
}

/** The request as raw HTTP/1.1 text: request line, `Host`, headers, blank line, body. */
export function rawRequest(request: HttpRequest): string {
  let target = request.url
  let host: string | null = null
  try {
    const u = new URL(request.url)
    target = `${u.pathname}${u.search}`
    host = u.host
  } catch {
    // not an absolute URL: show it as it is
  }
  const hasHost = request.headers.some(([n]) => n.toLowerCase() === 'host')
  const lines = [`${request.method} ${target} HTTP/1.1`]
  if (host && !hasHost) lines.push(`Host: ${host}`)
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`)
  return request.body === '' ? lines.join('\n') : `${lines.join('\n')}\n\n${request.body}`
}

/** The response as raw HTTP/1.1 text: status line, headers, blank line, body. */
export function rawResponse(response: HttpResponse): string {
  const reason = reasonPhrase(response.status)
  const lines = [`HTTP/1.1 ${response.status}${reason ? ` ${reason}` : ''}`]
  for (const [name, value] of response.headers) lines.push(`${name}: ${value}`)
  return response.body === '' ? lines.join('\n') : `${lines.join('\n')}\n\n${response.body}`
}
