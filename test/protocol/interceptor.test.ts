import { describe, expect, it } from 'vitest'
import type { HttpRequest } from '../../src/protocol/types.ts'
import { newLab } from './helpers.ts'

/** Runs the web app's whole flow in the browser: login, consent, callback. */
async function webFlow(lab: Awaited<ReturnType<typeof newLab>>): Promise<void> {
  await lab.browser.navigate('https://client.example/login')
  await lab.browser.followRedirect()
  await lab.browser.submit('login-form', { username: 'alice', password: 'wonderland' })
  await lab.browser.submit('consent-form', {}, { name: 'decision', value: 'allow' })
  await lab.browser.followRedirect()
}

describe('the request interceptor', () => {
  it('changes nothing when none is set', async () => {
    const lab = await newLab()
    await webFlow(lab)
    const token = lab.exchanges.find((x) => x.request.url === 'https://auth.example/token')
    expect(token?.response?.status).toBe(200)
  })

  it('sees each request with the id it will be recorded as, and who sends it on which channel', async () => {
    const lab = await newLab()
    const seen: { id: number; from: string; channel: string; url: string }[] = []
    lab.world.setInterceptor((request, meta) => {
      seen.push({ ...meta, url: request.url })
      return request
    })
    await webFlow(lab)
    expect(seen.map((s) => s.id)).toEqual(lab.exchanges.map((x) => x.id))
    expect(seen.map((s) => s.url)).toEqual(lab.exchanges.map((x) => x.request.url))
    expect(seen.find((s) => s.url === 'https://auth.example/token')).toMatchObject({
      from: 'client',
      channel: 'back',
    })
  })

  it('sends, records and answers the edited request; the sender gets the edited answer', async () => {
    const lab = await newLab()
    let tokenId = -1
    lab.world.setInterceptor((request, meta): HttpRequest => {
      if (request.url !== 'https://auth.example/token') return request
      tokenId = meta.id
      const body = new URLSearchParams(request.body)
      body.set('code', 'not-a-real-code')
      return { ...request, body: body.toString() }
    })
    await webFlow(lab)
    const token = lab.exchanges.find((x) => x.id === tokenId)
    expect(token?.request.body).toContain('code=not-a-real-code')
    expect(token?.response?.status).toBe(400)
    expect(JSON.parse(token?.response?.body ?? '{}')).toMatchObject({ error: 'invalid_grant' })
    // The client followed the refusal: no tokens in its session.
    const session = Object.values(lab.world.state.web.sessions)[0]
    expect(session?.tokens ?? null).toBeNull()
  })

  it('can be removed, and does not touch the caller’s request object', async () => {
    const lab = await newLab()
    const original: HttpRequest = {
      method: 'GET',
      url: 'https://auth.example/nowhere',
      headers: [],
      body: '',
    }
    lab.world.setInterceptor((r) => ({
      ...r,
      url: 'https://auth.example/.well-known/openid-configuration',
    }))
    const edited = await lab.world.send('browser', 'front', original)
    expect(edited.status).toBe(200)
    expect(original.url).toBe('https://auth.example/nowhere')
    lab.world.setInterceptor(null)
    const plain = await lab.world.send('browser', 'front', original)
    expect(plain.status).toBe(404)
  })
})
