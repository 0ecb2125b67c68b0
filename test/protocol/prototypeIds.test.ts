/**
 * Ids named like Object.prototype's members (issue 17, items 2 and 4): each is an unknown id, and
 * the answer is the one the RFC gives for an unknown id, never a 500, a sign-in or a pass.
 */
import { describe, expect, it } from 'vitest'
import { getHeader } from '../../src/protocol/http.ts'
import { authorizationUrl, basic, getCode, newLab, postForm } from './helpers.ts'

const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty']

/** The page kind a page declares in `<meta name="oauth-lab-page">`. */
const pageKind = (html: string) => /<meta name="oauth-lab-page" content="([^"]*)">/.exec(html)?.[1] ?? null

describe.each(NAMES)('the id %s', (name) => {
  it('as the AS session cookie is no session: /authorize shows the login page (no sign-in bypass)', async () => {
    const lab = await newLab()
    const res = await lab.world.send('browser', 'front', {
      method: 'GET',
      url: await authorizationUrl(lab),
      headers: [['Cookie', `as_session=${name}`]],
      body: '',
    })
    expect(res.status).toBe(200)
    expect(pageKind(res.body)).toBe('login')
  })

  it('as client_id at /authorize is an unknown client: an error page, no redirect (RFC 6749 §4.1.2.1)', async () => {
    const lab = await newLab()
    const res = await lab.world.send('browser', 'front', {
      method: 'GET',
      url: await authorizationUrl(lab, { client_id: name }),
      headers: [],
      body: '',
    })
    expect(res.status).toBe(400)
    expect(getHeader(res.headers, 'location')).toBeNull()
  })

  it('as client_id at /token is invalid_client (401 with a challenge, RFC 6749 §5.2)', async () => {
    const lab = await newLab()
    const res = await postForm(lab, '/token', { grant_type: 'authorization_code', code: 'x', redirect_uri: 'https://client.example/callback' }, { Authorization: basic(name, 'secret') })
    expect(res.status).toBe(401)
    expect(res.body.error).toBe('invalid_client')
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /)
  })

  it('as a code is unknown: invalid_grant, not “issued to another client”', async () => {
    const lab = await newLab()
    const res = await postForm(lab, '/token', { grant_type: 'authorization_code', code: name, redirect_uri: lab.clients.confidential.redirect_uri }, { Authorization: basic(lab.clients.confidential.client_id, lab.clients.confidential.client_secret) })
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('invalid_grant')
    expect(String(res.body.error_description)).not.toMatch(/another client/)
  })

  it('as a token at /revoke is answered 200, as any unknown token (RFC 7009 §2.2)', async () => {
    const lab = await newLab()
    const { client_id, client_secret } = lab.clients.confidential
    const res = await postForm(lab, '/revoke', { token: name }, { Authorization: basic(client_id, client_secret) })
    expect(res.status).toBe(200)
  })

  it('as a scope is unknown: invalid_scope at the redirect (RFC 6749 §4.1.2.1)', async () => {
    const lab = await newLab()
    const res = await lab.world.send('browser', 'front', {
      method: 'GET',
      url: await authorizationUrl(lab, { scope: `openid ${name}` }),
      headers: [],
      body: '',
    })
    expect(res.status).toBe(302)
    expect(new URL(getHeader(res.headers, 'location')!).searchParams.get('error')).toBe('invalid_scope')
  })
})

it('a real flow still works alongside (the ids above changed nothing)', async () => {
  const lab = await newLab()
  expect((await getCode(lab)).code).toMatch(/^[\w-]{20,}$/)
})
