import { describe, expect, it } from 'vitest'
import { basicCredentials, isBasic } from '../../src/protocol/basicAuth.ts'

const basic = (raw: string) => `Basic ${btoa(raw)}`

describe('HTTP Basic client credentials, decoded in one place', () => {
  it('reads the form-urlencoded client_id and secret (RFC 6749 §2.3.1)', () => {
    expect(basicCredentials(basic('demo-web-app:s3cr%3At+x'))).toEqual({
      ok: true,
      id: 'demo-web-app',
      secret: 's3cr:t x',
    })
    // The scheme name is case-insensitive, and a colon in the secret stays in the secret.
    expect(basicCredentials(`bAsIc   ${btoa('a:b:c')}`)).toEqual({
      ok: true,
      id: 'a',
      secret: 'b:c',
    })
    expect(basicCredentials(basic(':'))).toEqual({ ok: true, id: '', secret: '' })
  })

  it('says null for no header or another scheme, and never takes them for Basic', () => {
    expect(basicCredentials(null)).toBeNull()
    expect(basicCredentials('Bearer abc')).toBeNull()
    expect(basicCredentials('Basicabc')).toBeNull()
    expect(isBasic('Bearer abc')).toBe(false)
    expect(isBasic(null)).toBe(false)
  })

  it('refuses what is not valid Basic credentials, without throwing', () => {
    expect(basicCredentials('Basic !!!not-base64!!!')).toEqual({ ok: false })
    expect(basicCredentials(basic('no-colon'))).toEqual({ ok: false })
    expect(basicCredentials(basic('%E0%A4%A:secret'))).toEqual({ ok: false })
    expect(basicCredentials('Basic ')).toEqual({ ok: false })
  })
})
