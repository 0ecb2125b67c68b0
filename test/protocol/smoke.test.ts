import { describe, expect, it } from 'vitest'
import { getCode, newLab, redeemConfidential } from './helpers.ts'

describe('the demo world', () => {
  it('gives the confidential client tokens for a code', async () => {
    const lab = await newLab()
    const { code, redirect } = await getCode(lab)
    expect(redirect.searchParams.get('state')).toBe('state-123')
    expect(redirect.searchParams.get('iss')).toBe('https://auth.example')
    const res = await redeemConfidential(lab, code)
    expect(res.status).toBe(200)
    expect(res.body.token_type).toBe('Bearer')
    expect(typeof res.body.id_token).toBe('string')
    expect(res.headers.get('cache-control')).toBe('no-store')
  })
})
