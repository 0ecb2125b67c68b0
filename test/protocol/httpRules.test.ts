/**
 * The HTTP rules every answer of the world's servers keeps, whatever was asked: each endpoint is
 * sent the wrong method, no credentials, bad credentials, a bad body and an unknown token, and
 * every answer is checked against the rule, not against a list of expected answers.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Lab } from '../../src/protocol/index.ts'
import { basic, newLab } from './helpers.ts'

const AS = 'https://auth.example'
const API = 'https://api.example'
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' }

interface Probe {
  name: string
  url: string
  init: RequestInit
}

/** Every kind of request a learner's edit or a broken client can send, to every endpoint. */
function probes(lab: Lab): Probe[] {
  const web = lab.clients.confidential
  const endpoints = [
    `${AS}/token`,
    `${AS}/revoke`,
    `${AS}/introspect`,
    `${AS}/userinfo`,
    `${AS}/authorize`,
    `${AS}/login`,
    `${AS}/consent`,
    `${AS}/jwks`,
    `${AS}/.well-known/openid-configuration`,
    `${AS}/.well-known/oauth-authorization-server`,
    `${API}/photos`,
  ]
  const out: Probe[] = []
  for (const url of endpoints) {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH']) {
      out.push({
        name: `${method} ${url}`,
        url,
        init: { method, ...(method === 'GET' ? {} : { headers: FORM, body: '' }) },
      })
    }
    const body =
      'grant_type=authorization_code&code=nope&token=nope&redirect_uri=x&client_id=demo-spa'
    out.push(
      { name: `${url} with no credentials`, url, init: { method: 'POST', headers: FORM, body } },
      {
        name: `${url} with a wrong secret`,
        url,
        init: {
          method: 'POST',
          headers: { ...FORM, Authorization: basic(web.client_id, 'wrong') },
          body,
        },
      },
      {
        name: `${url} with broken Basic`,
        url,
        init: { method: 'POST', headers: { ...FORM, Authorization: 'Basic !!!' }, body },
      },
      {
        name: `${url} with another scheme`,
        url,
        init: { method: 'POST', headers: { ...FORM, Authorization: 'Digest x' }, body },
      },
      {
        name: `${url} with a secret in the body`,
        url,
        init: { method: 'POST', headers: FORM, body: `${body}&client_secret=guess` },
      },
      {
        name: `${url} with an unknown bearer token`,
        url,
        init: { method: 'GET', headers: { Authorization: 'Bearer nope' } },
      },
      {
        name: `${url} with a JSON body`,
        url,
        init: {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: basic(web.client_id, web.client_secret!),
          },
          body: '{}',
        },
      },
    )
  }
  return out
}

describe('every answer of every endpoint', () => {
  let lab: Lab
  let answers: { name: string; res: Response }[]
  beforeAll(async () => {
    lab = await newLab()
    answers = []
    for (const p of probes(lab)) answers.push({ name: p.name, res: await lab.fetch(p.url, p.init) })
  })

  it('covers many statuses (the probes do reach the rules)', () => {
    const statuses = new Set(answers.map((a) => a.res.status))
    for (const s of [200, 400, 401, 405]) expect(statuses.has(s), `a ${s}`).toBe(true)
  })

  it('sends WWW-Authenticate with every 401, whatever the client did (RFC 9110 §15.5.2)', () => {
    const missing = answers.filter(
      (a) => a.res.status === 401 && !a.res.headers.get('www-authenticate'),
    )
    expect(missing.map((a) => a.name)).toEqual([])
  })

  it('sends Allow with every 405, naming a method that is allowed (RFC 9110 §15.5.6)', () => {
    const bad = answers.filter((a) => {
      if (a.res.status !== 405) return false
      const allow = a.res.headers.get('allow') ?? ''
      return !/\b(GET|POST)\b/.test(allow) || allow.split(/,\s*/).includes(a.name.split(' ')[0]!)
    })
    expect(bad.map((a) => `${a.name}: Allow ${a.res.headers.get('allow')}`)).toEqual([])
  })

  it('never fails on the server side, whatever it was sent (no 500)', () => {
    expect(
      answers.filter((a) => a.res.status >= 500).map((a) => `${a.name}: ${a.res.status}`),
    ).toEqual([])
  })

  it('answers every token-endpoint-style error with no-store (RFC 6749 §5.2)', () => {
    const json = answers.filter(
      (a) =>
        /\/(token|revoke|introspect)$/.test(a.name.split(' ').pop() ?? '') && a.res.status >= 400,
    )
    expect(json.length).toBeGreaterThan(0)
    expect(
      json.filter((a) => a.res.headers.get('cache-control') !== 'no-store').map((a) => a.name),
    ).toEqual([])
  })

  it('challenges with the scheme the endpoint takes: Basic for client authentication, Bearer for tokens', () => {
    for (const a of answers.filter((x) => x.res.status === 401)) {
      const challenge = a.res.headers.get('www-authenticate') ?? ''
      if (/\/(token|revoke|introspect)\b/.test(a.name)) expect(challenge, a.name).toMatch(/^Basic /)
      if (/\/(userinfo|photos)\b/.test(a.name)) expect(challenge, a.name).toMatch(/^Bearer/)
    }
  })
})
