import { describe, expect, it } from 'vitest'
import { selectStep, selectWorld, visibleExchanges } from '../../src/store/index.ts'
import { manualTimers, newStore, whenComplete } from '../ui/render.tsx'

describe('the lab store', () => {
  it('computes the default run to its end and starts on the first step', async () => {
    const store = newStore()
    await whenComplete(store)
    const s = store.getState()
    expect(s.steps.length).toBeGreaterThan(20)
    expect(s.steps.at(-1)?.kind).toEqual({ type: 'end', outcome: 'success' })
    expect(s.index).toBe(0)
    expect(selectStep(s)?.kind.type).toBe('start')
  })

  it('moves with next and back, and back restores exactly the previous state', async () => {
    const store = newStore()
    await whenComplete(store)
    for (let i = 0; i < 15; i++) await store.getState().next()
    expect(store.getState().index).toBe(15)
    const before = structuredClone(selectWorld(store.getState()))
    await store.getState().next()
    expect(selectWorld(store.getState())).not.toEqual(before)
    store.getState().back()
    expect(store.getState().index).toBe(15)
    expect(selectWorld(store.getState())).toEqual(before)
  })

  it('does not go before the first step or past the last', async () => {
    const store = newStore()
    await whenComplete(store)
    store.getState().back()
    expect(store.getState().index).toBe(0)
    await store.getState().last()
    const end = store.getState().steps.length - 1
    expect(store.getState().index).toBe(end)
    await store.getState().next()
    expect(store.getState().index).toBe(end)
    store.getState().first()
    expect(store.getState().index).toBe(0)
  })

  it('jumps with goTo and ignores nonsense indexes', async () => {
    const store = newStore()
    await whenComplete(store)
    await store.getState().goTo(7)
    expect(store.getState().index).toBe(7)
    await store.getState().goTo(-3)
    await store.getState().goTo(1.5)
    expect(store.getState().index).toBe(7)
    await store.getState().goTo(10_000)
    expect(store.getState().index).toBe(store.getState().steps.length - 1)
  })

  it('plays on the injected timer at the chosen speed and stops at the end', async () => {
    const timers = manualTimers()
    const store = newStore({ timers })
    await whenComplete(store)
    store.getState().setSpeed(4)
    store.getState().play()
    expect(store.getState().playing).toBe(true)
    expect(timers.pending()).toBe(1)
    timers.flush()
    await Promise.resolve()
    await new Promise((r) => setTimeout(r, 0))
    expect(store.getState().index).toBe(1)
    store.getState().pause()
    expect(timers.pending()).toBe(0)
    await store.getState().goTo(store.getState().steps.length - 2)
    store.getState().play()
    timers.flush()
    await new Promise((r) => setTimeout(r, 0))
    expect(store.getState().playing).toBe(false)
    expect(store.getState().index).toBe(store.getState().steps.length - 1)
  })

  it('clamps the speed to 0.5×–4×', async () => {
    const store = newStore()
    store.getState().setSpeed(10)
    expect(store.getState().speed).toBe(4)
    store.getState().setSpeed(0.1)
    expect(store.getState().speed).toBe(0.5)
    store.getState().setSpeed(Number.NaN)
    expect(store.getState().speed).toBe(1)
  })

  it('starts the flow again when a setting changes', async () => {
    const store = newStore()
    await whenComplete(store)
    await store.getState().goTo(10)
    const runId = store.getState().runId
    await store.getState().setConfig({ clientType: 'public' })
    await whenComplete(store)
    const s = store.getState()
    expect(s.index).toBe(0)
    expect(s.runId).toBeGreaterThan(runId)
    expect(s.config.clientType).toBe('public')
    expect(s.steps.some((st) => st.snapshot.browser.url.startsWith('https://spa.example/'))).toBe(true)
  })

  it('keeps openid in the scope in step with the OpenID Connect switch', async () => {
    const store = newStore()
    await store.getState().setConfig({ oidc: false })
    expect(store.getState().config.scope).toBe('profile photos.read')
    await store.getState().setConfig({ scope: 'openid photos.write' })
    expect(store.getState().config.oidc).toBe(true)
    expect(store.getState().config.scope).toBe('openid photos.write')
  })

  it('branches when the learner denies consent on the page', async () => {
    const store = newStore()
    await whenComplete(store)
    const consent = store.getState().steps.findIndex((s) => s.awaiting === 'consent')
    await store.getState().goTo(consent)
    await store.getState().act({ type: 'consent', decision: 'deny' })
    await whenComplete(store)
    const s = store.getState()
    // The server's answer to the Deny: its redirect back with error=access_denied.
    expect(selectStep(s)?.kind.type).toBe('response')
    expect(selectStep(s)?.snapshot.browser.page?.status).toBe(303)
    expect(s.steps.at(-1)?.kind).toEqual({ type: 'end', outcome: 'failure' })
    expect(s.steps.at(-1)?.title).toContain('access_denied')
  })

  it('branches when the learner types a wrong password', async () => {
    const store = newStore()
    await whenComplete(store)
    const login = store.getState().steps.findIndex((s) => s.awaiting === 'credentials')
    await store.getState().goTo(login)
    await store.getState().act({ type: 'credentials', username: 'alice', password: 'wrong' })
    await whenComplete(store)
    const s = store.getState()
    const again = s.steps.findIndex((st, i) => i > login && st.awaiting === 'credentials')
    expect(again).toBeGreaterThan(login)
    expect(s.steps[again]?.snapshot.browser.page?.body).toContain('Wrong username or password.')
    expect(s.steps.at(-1)?.kind).toEqual({ type: 'end', outcome: 'success' })
  })

  it('ignores user input on a step that does not ask for it', async () => {
    const store = newStore()
    await whenComplete(store)
    const before = store.getState().steps
    await store.getState().act({ type: 'consent', decision: 'deny' })
    expect(store.getState().steps).toBe(before)
  })

  it('shows in the log only what has happened by the step on screen', async () => {
    const store = newStore()
    await whenComplete(store)
    const { steps } = store.getState()
    const tokenReq = steps.findIndex((s) => s.label === 'POST /token')
    const atReq = visibleExchanges(steps, tokenReq)
    expect(atReq.at(-1)?.request.url).toBe('https://auth.example/token')
    expect(atReq.at(-1)?.response).toBeNull()
    const atRes = visibleExchanges(steps, tokenReq + 1)
    expect(atRes.find((x) => x.request.url === 'https://auth.example/token')?.response?.status).toBe(200)
  })

  it('keeps two stores independent', async () => {
    const a = newStore()
    const b = newStore()
    await Promise.all([whenComplete(a), whenComplete(b)])
    await a.getState().goTo(5)
    expect(b.getState().index).toBe(0)
  })
})

describe('when Next is pressed before the run exists', () => {
  it('waits for the run instead of losing the press', async () => {
    const store = newStore()
    const pressed = store.getState().next()
    expect(store.getState().steps.length).toBe(0)
    await pressed
    expect(store.getState().index).toBe(1)
  })
})
