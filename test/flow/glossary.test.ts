import { describe, expect, it } from 'vitest'
import { defaultConfig, type FlowConfig, type Variant } from '../../src/flow/index.ts'
import {
  explainField,
  fieldMeaning,
  hasField,
  type FieldKind,
} from '../../src/flow/glossary/fields.ts'
import { explainTerm, findTerms, TERM_IDS, termsIn } from '../../src/flow/glossary/terms.ts'
import { decodeJwtParts, explainClaims } from '../../src/flow/views/jwt.ts'
import { SCENARIO_INFO } from '../../src/flow/scenarios/catalog.ts'
import type { Exchange } from '../../src/protocol/index.ts'
import { T0 } from '../protocol/helpers.ts'
import { runToEnd } from './helpers.ts'

async function exchangesOf(patch: Partial<FlowConfig>): Promise<readonly Exchange[]> {
  const flow = await runToEnd(patch)
  return flow.steps.at(-1)?.snapshot.exchanges ?? []
}

function collect(xs: readonly Exchange[], out: Set<string>) {
  const add = (kind: FieldKind, name: string) => out.add(`${kind}:${name}`)
  const jwt = (value: string) => {
    const d = decodeJwtParts(value)
    if (!d.ok) return
    for (const k of Object.keys(d.header)) add('jose', k)
    for (const k of Object.keys(d.payload)) add('claim', k)
  }
  const url = (u: string, base?: string) => {
    let p: URL
    try {
      p = new URL(u, base)
    } catch {
      return
    }
    const params = [
      ...p.searchParams,
      ...(p.hash.length > 1 ? new URLSearchParams(p.hash.slice(1)) : []),
    ]
    for (const [k, v] of params) {
      add('query', k)
      jwt(v)
    }
  }
  const body = (headers: readonly (readonly [string, string])[], text: string) => {
    const type = headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? ''
    if (/x-www-form-urlencoded/i.test(type))
      for (const [k, v] of new URLSearchParams(text)) {
        add('form', k)
        jwt(v)
      }
    else if (/^\s*\{/.test(text)) {
      try {
        const o = JSON.parse(text) as Record<string, unknown>
        for (const [k, v] of Object.entries(o)) {
          add('json', k)
          if (typeof v === 'string') jwt(v)
        }
      } catch {
        /* not JSON */
      }
    }
  }
  for (const x of xs) {
    url(x.request.url)
    for (const [n, v] of x.request.headers) {
      add('header', n)
      const b = /^Bearer\s+(\S+)/i.exec(v)
      if (b?.[1]) jwt(b[1])
    }
    body(x.request.headers, x.request.body)
    if (x.response) {
      for (const [n, v] of x.response.headers) {
        add('header', n)
        if (n.toLowerCase() === 'location') url(v, x.request.url)
      }
      body(x.response.headers, x.response.body)
    }
  }
}

/** Every scenario in each of its variants, and the default scenario with each setting changed. */
const RUNS: Partial<FlowConfig>[] = [
  ...SCENARIO_INFO.flatMap((s) =>
    s.variants
      ? (Object.keys(s.variants) as Variant[]).map((variant) => ({ scenario: s.id, variant }))
      : [{ scenario: s.id }],
  ),
  ...(['pkce', 'state', 'oidc', 'refresh', 'revoke'] as const).map((k) => ({
    scenario: 'confidential',
    [k]: !defaultConfig(T0)[k],
  })),
  { scenario: 'confidential', authMethod: 'client_secret_post' },
  { scenario: 'confidential', clientType: 'public' },
]

describe('the glossary', () => {
  it('explains every field that any scenario’s messages carry', async () => {
    const names = new Set<string>()
    for (const run of RUNS) collect(await exchangesOf(run), names)
    // The runs reach every kind of place a field can be.
    for (const kind of ['query', 'form', 'header', 'json', 'claim', 'jose'])
      expect(
        [...names].some((n) => n.startsWith(`${kind}:`)),
        kind,
      ).toBe(true)
    const missing = [...names].filter((n) => {
      const [kind, name] = n.split(/:(.*)/s) as [FieldKind, string]
      const entry = explainField(kind, name)
      return !entry || !entry.text
    })
    expect(missing, `no glossary entry for: ${missing.sort().join(', ')}`).toEqual([])
  }, 120_000)

  it('gives every term a definition and an RFC or OpenID link', () => {
    expect(TERM_IDS.length).toBeGreaterThan(30)
    for (const id of TERM_IDS) {
      const t = explainTerm(id)
      expect(t?.text.length, id).toBeGreaterThan(30)
      expect(t?.href, id).toMatch(
        /^https:\/\/(www\.rfc-editor\.org\/rfc\/rfc\d+#section-[\d.]+|openid\.net\/specs\/openid-connect-core-1_0\.html#\w+)$/,
      )
    }
  })

  it('says who sets a field, who checks it, and where it is defined', () => {
    expect(explainField('query', 'code_challenge')).toMatchObject({
      label: 'code_challenge',
      roles: 'Set by the client; checked by the authorization server.',
      href: 'https://www.rfc-editor.org/rfc/rfc7636#section-4.3',
      source: 'RFC 7636 §4.3',
    })
    expect(explainField('header', 'www-authenticate')?.text).toMatch(/insufficient_scope/)
    expect(explainField('header', 'WWW-Authenticate')?.text).toBe(
      explainField('header', 'www-authenticate')?.text,
    )
    expect(explainField('claim', 'aud')?.text).toMatch(/^Audience/)
    expect(explainField('json', 'expires_in')?.text).toMatch(/^Seconds until/)
    expect(explainField('form', 'grant_type')?.href).toMatch(/rfc6749#section-4\.1\.3$/)
    // A header is only ever a header: no `Code:` header borrows the parameter's words.
    expect(explainField('header', 'code')).toBeNull()
  })

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    'has no entry for %s, and does not crash',
    (name) => {
      for (const kind of ['query', 'form', 'header', 'json', 'claim', 'jose'] as const) {
        expect(explainField(kind, name)).toBeNull()
        expect(fieldMeaning(kind, name)).toBeNull()
        expect(hasField(kind, name)).toBe(false)
      }
      expect(explainTerm(name)).toBeNull()
      expect(explainClaims({ [name]: 1 }, T0)[0]?.meaning).toBe('claim')
      expect(explainClaims(JSON.parse(`{"${name}": 1}`) as Record<string, unknown>, T0)).toEqual([
        { name, value: '1', meaning: 'claim', time: null },
      ])
    },
  )
})

describe('finding terms in narration', () => {
  const terms = (text: string) => termsIn(text)

  it('finds terms and their aliases as whole words, case-insensitively', () => {
    expect(terms('The Authorization Server sends an access token and two refresh tokens.')).toEqual(
      ['authorization-server', 'access-token', 'refresh-token'],
    )
    expect(terms('A public client has no secret; a client does.')).toEqual([
      'public-client',
      'client',
    ])
  })

  it('finds protocol words only as spelled', () => {
    expect(terms('It sends state, nonce and scope.')).toEqual(['state', 'nonce', 'scope'])
    expect(terms('State of the art. NONCE. Scope creep.')).toEqual([])
    expect(terms('the SPA’s code reads it')).toEqual([])
  })

  it('does not find a term inside another word, a parameter or a host name', () => {
    expect(terms('client_id client.example clients_list https://auth.example/token')).toEqual([
      'client-id',
    ])
  })

  it('keeps every character of the text, and marks a term once', () => {
    const text = 'The client sends its client_id; the client waits.'
    const parts = findTerms(text)
    expect(parts.map((p) => p.text).join('')).toBe(text)
    expect(parts.filter((p) => p.type === 'term').map((p) => p.text)).toEqual([
      'client',
      'client_id',
    ])
  })
})
