import { execFileSync } from 'node:child_process'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { rawRequest, rawResponse, shellQuote, toCurl } from '../../src/flow/views/curl.ts'
import type { HttpRequest } from '../../src/protocol/index.ts'
import { TOKEN_REQUEST } from '../protocol/helpers.ts'

const END = '--end-of-command--'

/**
 * Runs the commands in one real bash (the shell a copied command is pasted into; a word with a
 * control character uses its ANSI-C quoting, `$'\\x1b'`), with `curl` replaced by a function that prints its
 * arguments, and returns the arguments each command gave curl.
 */
function argsSeenByShell(...commands: string[]): string[][] {
  const script = `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; printf '%s\\0' '${END}'; }\n${commands.join('\n')}\n`
  const out = execFileSync('bash', ['-c', script], { encoding: 'utf8' }).split('\0').slice(0, -1)
  const runs: string[][] = [[]]
  for (const a of out) {
    if (a === END) runs.push([])
    else runs[runs.length - 1]?.push(a)
  }
  return runs.slice(0, -1)
}

const NASTY = [
  "it's",
  "'; rm -rf / #",
  'a\nb\r\nc',
  '$HOME ${PATH} $(id)',
  '`id` and \\`not\\`',
  '"double" \\ back\\slash',
  "'''",
  '<img src=x onerror=alert(1)>',
  '!history !! ~tilde *glob* ?',
  '',
]

describe('toCurl', () => {
  it('writes method, URL, headers and --data-raw body', () => {
    expect(toCurl(TOKEN_REQUEST)).toBe(
      [
        "curl -X 'POST' 'https://auth.example/token'",
        "-H 'Content-Type: application/x-www-form-urlencoded'",
        "-H 'Authorization: Basic ZGVtbzpzZWNyZXQ='",
        "--data-raw 'grant_type=authorization_code&code=abc'",
      ].join(' \\\n  '),
    )
  })

  it('leaves out -X and the body for a plain GET', () => {
    expect(
      toCurl({ method: 'GET', url: 'https://api.example/photos', headers: [], body: '' }),
    ).toBe("curl 'https://api.example/photos'")
  })

  it.each(NASTY)('hands %j to curl unchanged through a real shell', (nasty) => {
    const req: HttpRequest = {
      method: 'POST',
      url: `https://client.example/cb?x=${nasty}`,
      headers: [[`X-${nasty.length}`, nasty]],
      body: nasty || 'x',
    }
    expect(argsSeenByShell(toCurl(req))).toEqual([
      ['-X', 'POST', req.url, '-H', `X-${nasty.length}: ${nasty}`, '--data-raw', req.body],
    ])
  })

  it('round-trips any text through the shell', () => {
    const clean = (s: string) => s.replace(/\0/g, '')
    // Shell metacharacters, quotes, whitespace and some non-ASCII, mixed with any printable ASCII.
    const char = fc.oneof(
      fc.constantFrom(
        "'",
        '"',
        '\\',
        '$',
        '`',
        '\n',
        '\r',
        '\t',
        ' ',
        '!',
        '*',
        '?',
        '~',
        '#',
        ';',
        '&',
        '|',
        '<',
        '>',
        '(',
        ')',
        '{',
        '}',
        '\0',
        '\x1b',
        '\x7f',
        '\u009b',
        '\x07',
        'é',
        '😀',
      ),
      fc.string({ minLength: 1, maxLength: 1 }),
    )
    const requests = fc
      .sample(fc.tuple(fc.string({ unit: char }), fc.string({ unit: char, minLength: 1 })), {
        numRuns: 200,
        seed: 42,
      })
      .map(([value, body]): HttpRequest => ({
        method: 'PUT',
        url: 'https://api.example/x',
        headers: [['X-Value', value]],
        body,
      }))
      .filter((r) => clean(r.body) !== '')
    const seen = argsSeenByShell(...requests.map(toCurl))
    expect(seen).toEqual(
      requests.map((r) => [
        '-X',
        'PUT',
        r.url,
        '-H',
        `X-Value: ${clean(r.headers[0]?.[1] ?? '')}`,
        '--data-raw',
        clean(r.body),
      ]),
    )
  })

  it('writes no control character as itself: ESC, DEL, C1 and newlines become $\'\\xNN\'', () => {
    // A bracketed-paste end (ESC [ 2 0 1 ~) then a command: pasted raw, a terminal would run it.
    const hostile = 'x\x1b[201~\x7f\x7ftouch /tmp/pwned\n\u009b31m'
    const req: HttpRequest = { method: 'GET', url: 'https://api.example/', headers: [['X-Evil', hostile]], body: '' }
    const curl = toCurl(req)
    // eslint-disable-next-line no-control-regex -- no raw control character may be left
    expect(curl).not.toMatch(/[\x1b\x7f\u0080-\u009f]/u)
    expect(curl).toContain(`-H 'X-Evil: x'$'\\x1b''[201~'$'\\x7f\\x7f''touch /tmp/pwned'$'\\x0a\\xc2\\x9b''31m'`)
    // Only the separators between options are newlines: none comes from the value.
    expect(curl.split('\n')).toHaveLength(2)
    expect(argsSeenByShell(curl)).toEqual([['https://api.example/', '-H', `X-Evil: ${hostile}`]])
    expect(shellQuote('\t')).toBe("$'\\x09'")
    expect(shellQuote('')).toBe("''")
    expect(shellQuote('\0')).toBe("''")
  })

  it('quotes a single quote as close, escaped quote, reopen', () => {
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`)
  })
})

describe('raw HTTP text', () => {
  it('writes the request line with the path, a Host header, the headers and the body', () => {
    const text = rawRequest({
      method: 'POST',
      url: 'https://auth.example/token?x=1',
      headers: [['Accept', 'application/json']],
      body: 'a=b',
    })
    expect(text).toBe(
      'POST /token?x=1 HTTP/1.1\nHost: auth.example\nAccept: application/json\n\na=b',
    )
  })

  it('writes the status line with its reason phrase', () => {
    expect(
      rawResponse({
        status: 302,
        headers: [['Location', 'https://client.example/callback?code=c']],
        body: '',
      }),
    ).toBe('HTTP/1.1 302 Found\nLocation: https://client.example/callback?code=c')
    expect(rawResponse({ status: 400, headers: [], body: '{"error":"invalid_grant"}' })).toBe(
      'HTTP/1.1 400 Bad Request\n\n{"error":"invalid_grant"}',
    )
  })
})
