import { describe, expect, it } from 'vitest'
import { fromEditable, toEditable } from '../../src/flow/views/requestEdit.ts'
import type { HttpRequest } from '../../src/protocol/index.ts'

const token: HttpRequest = {
  method: 'POST',
  url: 'https://auth.example/token',
  headers: [
    ['Content-Type', 'application/x-www-form-urlencoded'],
    ['Authorization', 'Basic abc'],
  ],
  body: 'grant_type=authorization_code&code=c%2B1&code_verifier=v',
}

describe('editable requests', () => {
  it('splits a form request into rows and puts it back unchanged', () => {
    const e = toEditable(token)
    expect(e.base).toBe('https://auth.example/token')
    expect(e.query).toEqual([])
    expect(e.body).toEqual({
      kind: 'form',
      fields: [
        { name: 'grant_type', value: 'authorization_code' },
        { name: 'code', value: 'c+1' },
        { name: 'code_verifier', value: 'v' },
      ],
    })
    expect(fromEditable(e)).toEqual(token)
  })

  it('edits query parameters and drops nameless rows', () => {
    const e = toEditable({ method: 'GET', url: 'https://auth.example/authorize?a=1&redirect_uri=https%3A%2F%2Fc.example%2Fcb', headers: [], body: '' })
    expect(e.query[1]).toEqual({ name: 'redirect_uri', value: 'https://c.example/cb' })
    e.query[1] = { name: 'redirect_uri', value: 'https://evil.example/cb' }
    e.query.push({ name: '', value: 'ignored' })
    e.headers.push({ name: ' ', value: 'x' })
    const r = fromEditable(e)
    expect(new URL(r.url).searchParams.get('redirect_uri')).toBe('https://evil.example/cb')
    expect(r.url).toBe('https://auth.example/authorize?a=1&redirect_uri=https%3A%2F%2Fevil.example%2Fcb')
    expect(r.headers).toEqual([])
    expect(toEditable({ ...r, url: 'https://auth.example/authorize' }).query).toEqual([])
  })

  it('keeps any other body as text', () => {
    const e = toEditable({ method: 'POST', url: 'not a url', headers: [['Content-Type', 'application/json']], body: '{"a":1}' })
    expect(e.base).toBe('not a url')
    expect(e.body).toEqual({ kind: 'text', text: '{"a":1}' })
    expect(fromEditable(e).body).toBe('{"a":1}')
  })
})
