import { describe, expect, it } from 'vitest'
import {
  bodyView,
  decodeAuthorization,
  exchangeView,
  requestView,
  responseView,
  urlView,
} from '../../src/flow/index.ts'
import type { HttpRequest } from '../../src/protocol/index.ts'

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64')
const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url')
const JWT = `${b64url('{"alg":"RS256","typ":"at+jwt","kid":"k1"}')}.${b64url('{"sub":"alice","aud":"https://api.example"}')}.c2ln`
const EVIL = '<img src=x onerror=alert(1)>'

const tokenRequest: HttpRequest = {
  method: 'POST',
  url: 'https://auth.example/token',
  headers: [
    ['Content-Type', 'application/x-www-form-urlencoded'],
    ['Authorization', `Basic ${b64('demo-web-app:s3cr%3At')}`],
  ],
  body: 'grant_type=authorization_code&code=abc&redirect_uri=https%3A%2F%2Fclient.example%2Fcallback',
}

describe('decodeAuthorization', () => {
  it.each([
    ['plain credentials', `Basic ${b64('demo-web-app:secret')}`, 'demo-web-app', 'secret'],
    ['percent-encoded (RFC 6749 §2.3.1)', `Basic ${b64('my%20app:a%3Ab%2Bc')}`, 'my app', 'a:b+c'],
    ['+ as a space', `Basic ${b64('my+app:x+y')}`, 'my app', 'x y'],
    ['the first colon splits', `Basic ${b64('id:se:cret')}`, 'id', 'se:cret'],
    ['an empty secret', `Basic ${b64('demo-spa:')}`, 'demo-spa', ''],
    ['the scheme in any case', `bAsIc   ${b64('a:b')}  `, 'a', 'b'],
    ['raw UTF-8 (RFC 7617)', `Basic ${b64('café:ü')}`, 'café', 'ü'],
    ['markup stays as it is', `Basic ${b64(`${encodeURIComponent(EVIL)}:x`)}`, EVIL, 'x'],
  ])('decodes %s', (_, header, id, secret) => {
    expect(decodeAuthorization(header)).toEqual({
      type: 'basic',
      client_id: id,
      client_secret: secret,
    })
  })

  it.each([
    ['no credentials at all', 'Basic', 'not-base64'],
    ['only spaces after the scheme', 'Basic    ', 'not-base64'],
    ['characters outside Base64', 'Basic ZGVt!!!', 'not-base64'],
    ['padding in the middle', 'Basic YQ==YQ==', 'not-base64'],
    ['a length Base64 cannot have', 'Basic YWJjZ', 'not-base64'],
    ['a word, not Base64 of anything', 'Basic hello world', 'not-base64'],
    ['no colon', `Basic ${b64('demo-web-app')}`, 'no-colon'],
    ['a broken percent escape', `Basic ${b64('demo%zz:secret')}`, 'bad-percent-encoding'],
    ['a broken escape in the secret', `Basic ${b64('demo:%E0%A4%A')}`, 'bad-percent-encoding'],
  ])('says why it cannot read %s', (_, header, problem) => {
    expect(decodeAuthorization(header)).toEqual({ type: 'basic-invalid', problem })
  })

  it('marks a Bearer token, and whether it is a JWT', () => {
    expect(decodeAuthorization(`Bearer ${JWT}`)).toEqual({ type: 'bearer', token: JWT, jwt: true })
    expect(decodeAuthorization('bearer opaque-123')).toEqual({
      type: 'bearer',
      token: 'opaque-123',
      jwt: false,
    })
  })

  it.each([['Bearer'], ['Bearer two words'], ['Digest username="a"'], [''], ['Basicdemo']])(
    'reads %j as no credentials it knows',
    (header) => {
      expect(decodeAuthorization(header)).toBeNull()
    },
  )
})

describe('urlView', () => {
  it('splits origin, path and query parameters, decoded, in order', () => {
    const v = urlView(
      'https://auth.example/authorize?response_type=code&client_id=demo-web-app&redirect_uri=https%3A%2F%2Fclient.example%2Fcallback&scope=openid+profile',
    )
    expect(v.origin).toBe('https://auth.example')
    expect(v.path).toBe('/authorize')
    expect(v.query.map((f) => [f.name, f.value])).toEqual([
      ['response_type', 'code'],
      ['client_id', 'demo-web-app'],
      ['redirect_uri', 'https://client.example/callback'],
      ['scope', 'openid profile'],
    ])
    expect(v.fragment).toEqual([])
  })

  it('marks a parameter sent twice, both times', () => {
    const v = urlView('https://auth.example/authorize?state=a&scope=x&state=b')
    expect(v.query.map((f) => [f.name, f.value, f.repeated])).toEqual([
      ['state', 'a', true],
      ['scope', 'x', false],
      ['state', 'b', true],
    ])
  })

  it('reads fragment parameters, and leaves a plain anchor out', () => {
    expect(
      urlView('https://spa.example/cb#access_token=t&state=s').fragment.map((f) => f.name),
    ).toEqual(['access_token', 'state'])
    expect(urlView('https://spa.example/doc#section').fragment).toEqual([])
  })

  it('keeps a very long value whole, and markup as text', () => {
    const long = 'x'.repeat(20_000)
    const v = urlView(
      `https://client.example/cb?code=${long}&error_description=${encodeURIComponent(EVIL)}`,
    )
    expect(v.query[0]?.value).toHaveLength(20_000)
    expect(v.query[1]?.value).toBe(EVIL)
  })

  it('shows a text that is not a URL as its path, with no parameters', () => {
    expect(urlView('not a url?a=1')).toEqual({
      url: 'not a url?a=1',
      origin: null,
      path: 'not a url?a=1',
      query: [],
      fragment: [],
    })
  })

  it('resolves a relative Location against the request', () => {
    const v = urlView('/callback?code=c1', 'https://client.example/login')
    expect(v.origin).toBe('https://client.example')
    expect(v.path).toBe('/callback')
    expect(v.url).toBe('/callback?code=c1')
  })
})

describe('bodyView', () => {
  const json: [string, string][] = [['Content-Type', 'application/json']]

  it.each([
    [
      'an object',
      '{"access_token":"t","expires_in":3600}',
      '{\n  "access_token": "t",\n  "expires_in": 3600\n}',
    ],
    ['an array', '[1,{"a":null}]', '[\n  1,\n  {\n    "a": null\n  }\n]'],
    ['a nested object', '{"a":{"b":[true]}}', '{\n  "a": {\n    "b": [\n      true\n    ]\n  }\n}'],
    [
      'a string with markup',
      JSON.stringify({ error_description: EVIL }),
      `{\n  "error_description": "${EVIL}"\n}`,
    ],
  ])('pretty-prints %s with two spaces', (_, body, pretty) => {
    expect(bodyView(json, body)).toEqual({ type: 'json', pretty })
  })

  it('reads application/*+json and a charset parameter as JSON', () => {
    expect(bodyView([['Content-Type', 'application/problem+json']], '{"a":1}').type).toBe('json')
    expect(bodyView([['content-type', 'Application/JSON; charset=utf-8']], '{"a":1}').type).toBe(
      'json',
    )
  })

  it.each([['{"access_token":'], ['{a:1}'], ["{'a':1}"], ['not json'], ['{"a":1}}']])(
    'shows invalid JSON %j as sent, and says so',
    (body) => {
      expect(bodyView(json, body)).toEqual({
        type: 'text',
        text: body,
        mediaType: 'application/json',
        invalidJson: true,
      })
    },
  )

  it('reads an untyped body that looks like JSON as JSON, and one that is not as text', () => {
    expect(bodyView([], '{"a":1}')).toEqual({ type: 'json', pretty: '{\n  "a": 1\n}' })
    expect(bodyView([], '{oops')).toEqual({
      type: 'text',
      text: '{oops',
      mediaType: null,
      invalidJson: false,
    })
  })

  it('is empty when there is no body, whatever the type says', () => {
    expect(bodyView(json, '')).toEqual({ type: 'empty' })
    expect(bodyView([['Content-Type', 'application/x-www-form-urlencoded']], '')).toEqual({
      type: 'empty',
    })
  })

  it('reads a form as rows, decoded, repeated fields marked', () => {
    const v = bodyView(
      [['Content-Type', 'application/x-www-form-urlencoded;charset=UTF-8']],
      `grant_type=authorization_code&code=a&code=b&note=${encodeURIComponent(EVIL)}&empty=&bare`,
    )
    expect(v).toEqual({
      type: 'form',
      fields: [
        { name: 'grant_type', value: 'authorization_code', repeated: false, jwt: false },
        { name: 'code', value: 'a', repeated: true, jwt: false },
        { name: 'code', value: 'b', repeated: true, jwt: false },
        { name: 'note', value: EVIL, repeated: false, jwt: false },
        { name: 'empty', value: '', repeated: false, jwt: false },
        { name: 'bare', value: '', repeated: false, jwt: false },
      ],
    })
  })

  it('notes an HTML page and its title (the Browser tab draws it)', () => {
    const html = '<!doctype html><title>Sign in &amp; consent</title><p>hi</p>'
    expect(bodyView([['Content-Type', 'text/html; charset=utf-8']], html)).toEqual({
      type: 'html',
      title: 'Sign in & consent',
      length: html.length,
    })
    expect(bodyView([['Content-Type', 'text/html']], '<p>no title</p>')).toMatchObject({
      title: null,
    })
  })

  it('keeps any other body as text', () => {
    expect(bodyView([['Content-Type', 'text/plain']], 'Bad Gateway')).toEqual({
      type: 'text',
      text: 'Bad Gateway',
      mediaType: 'text/plain',
      invalidJson: false,
    })
  })
})

describe('requestView', () => {
  it('splits a token request: line, headers with Basic decoded, form body, raw text', () => {
    const v = requestView(tokenRequest)
    expect(v.method).toBe('POST')
    expect(v.target.origin).toBe('https://auth.example')
    expect(v.target.path).toBe('/token')
    expect(v.headers[1]).toEqual({
      name: 'Authorization',
      value: tokenRequest.headers[1]?.[1],
      repeated: false,
      jwt: false,
      authorization: { type: 'basic', client_id: 'demo-web-app', client_secret: 's3cr:t' },
    })
    expect(v.headers[0]?.authorization).toBeNull()
    expect(v.body).toMatchObject({ type: 'form' })
    expect(v.raw).toMatch(/^POST \/token HTTP\/1\.1\nHost: auth\.example\n/)
  })

  it('marks a Bearer JWT, in a header spelled in any case, and a JWT in a query parameter', () => {
    const v = requestView({
      method: 'GET',
      url: `https://auth.example/logout?id_token_hint=${JWT}`,
      headers: [['authorization', `Bearer ${JWT}`]],
      body: '',
    })
    expect(v.headers[0]?.authorization).toEqual({ type: 'bearer', token: JWT, jwt: true })
    expect(v.target.query[0]?.jwt).toBe(true)
    expect(v.body).toEqual({ type: 'empty' })
  })

  it('marks a header sent twice', () => {
    const v = requestView({
      method: 'GET',
      url: 'https://api.example/photos',
      headers: [
        ['Authorization', 'Bearer a'],
        ['Authorization', 'Bearer b'],
      ],
      body: '',
    })
    expect(v.headers.map((h) => h.repeated)).toEqual([true, true])
  })
})

describe('responseView', () => {
  it('reads a redirect: Location with code, state and iss as rows', () => {
    const v = responseView(
      {
        status: 302,
        headers: [
          [
            'Location',
            'https://client.example/callback?code=c1&state=s1&iss=https%3A%2F%2Fauth.example',
          ],
        ],
        body: '',
      },
      'https://auth.example/authorize',
    )
    expect(v.reason).toBe('Found')
    expect(v.location?.query.map((f) => [f.name, f.value])).toEqual([
      ['code', 'c1'],
      ['state', 's1'],
      ['iss', 'https://auth.example'],
    ])
  })

  it('reads an error redirect', () => {
    const v = responseView({
      status: 302,
      headers: [['location', 'https://client.example/callback?error=access_denied&state=s1']],
      body: '',
    })
    expect(v.location?.query[0]).toMatchObject({ name: 'error', value: 'access_denied' })
  })

  it('has no Location when there is none, and a JSON error body pretty', () => {
    const v = responseView({
      status: 400,
      headers: [['Content-Type', 'application/json']],
      body: '{"error":"invalid_grant"}',
    })
    expect(v.location).toBeNull()
    expect(v.body).toEqual({ type: 'json', pretty: '{\n  "error": "invalid_grant"\n}' })
    expect(v.raw).toBe(
      'HTTP/1.1 400 Bad Request\nContent-Type: application/json\n\n{"error":"invalid_grant"}',
    )
  })

  it('has no reason for an unknown status', () => {
    expect(responseView({ status: 299, headers: [], body: '' }).reason).toBe('')
  })
})

describe('exchangeView', () => {
  it('has no response while the request is on its way', () => {
    expect(exchangeView({ request: tokenRequest, response: null }).response).toBeNull()
  })

  it('lists where the JWTs occur', () => {
    const v = exchangeView({
      request: tokenRequest,
      response: {
        status: 200,
        headers: [['Content-Type', 'application/json']],
        body: JSON.stringify({ access_token: JWT, token_type: 'Bearer' }),
      },
    })
    expect(v.jwts).toEqual([{ token: JWT, side: 'response', where: 'JSON field access_token' }])
  })
})
