/**
 * The store through the chainable driver, and commands that overtake each other: the last command
 * issued wins, whatever order their steps are computed in.
 */
import { describe, expect, it } from 'vitest'
import { getHeader } from '../../src/protocol/http.ts'
import { selectStep } from '../../src/store/index.ts'
import { newStore } from '../ui/render.tsx'
import { lab } from './driver.ts'

describe('the lab, driven', () => {
  it('a refusal on the consent page is answered with a 303 back to the app, carrying access_denied', async () => {
    const s = await lab().answer({ consent: 'deny' }).expectExchange(303)
    const step = selectStep(s)
    expect(step?.kind.type).toBe('response')
    const id = step?.kind.type === 'response' ? step.kind.exchangeId : -1
    const response = step?.snapshot.exchanges.find((x) => x.id === id)?.response
    expect(getHeader(response?.headers ?? [], 'location')).toContain('error=access_denied')
  })

  it('a wrong password is answered with the login page again (200); the right one with the consent page, and Allow with the code', async () => {
    await lab()
      .answer({ username: 'alice', password: 'wrong' })
      .expectExchange(200)
      .expect('the login page again', (s) => selectStep(s)?.awaiting === 'credentials')
      .answer({ username: 'alice', password: 'wonderland' })
      .expectExchange(200)
      .expect('the consent page', (s) => selectStep(s)?.awaiting === 'consent')
      .answer({ consent: 'allow' })
      .expectExchange(303)
      .expectStep((st) => st.label.includes('/callback?code='))
  })

  it('an edited code_verifier is answered 400 at the token endpoint', async () => {
    await lab({ config: { scenario: 'pkce-spa' } })
      .to((st) => st.kind.type === 'request' && st.label === 'POST /token')
      .resend((r) => ({
        ...r,
        body: r.body.replace(/code_verifier=[^&]*/, 'code_verifier=' + 'x'.repeat(43)),
      }))
      .expectExchange(400)
  })

  it('rejects the chain with where it stood when an expectation fails', async () => {
    await expect(lab().next(2).expectExchange(418)).rejects.toThrow(
      /expected a response with status 418, at step 3 of \d+/,
    )
  })
})

describe('commands that overtake each other', () => {
  it('a later goTo wins over an earlier one still waiting for its step', async () => {
    const store = newStore()
    // Both are issued before the run is computed that far; the first one's step comes later.
    const far = store.getState().goTo(25)
    const near = store.getState().goTo(3)
    await Promise.all([far, near])
    expect(store.getState().index).toBe(3)
  })

  it('Back after a last() still waiting stays where Back put it', async () => {
    const store = newStore()
    await store.getState().goTo(5)
    const last = store.getState().last()
    store.getState().back()
    await last
    expect(store.getState().index).toBe(4)
  })

  it('a goTo after next() waiting wins, and next() after goTo() waiting wins too', async () => {
    const a = newStore()
    const next = a.getState().next()
    const go = a.getState().goTo(7)
    await Promise.all([next, go])
    expect(a.getState().index).toBe(7)

    const b = newStore()
    const go2 = b.getState().goTo(20)
    const next2 = b.getState().next()
    await Promise.all([go2, next2])
    // next() moved on from the step on screen when it was pressed (step 1), not from step 21.
    expect(b.getState().index).toBe(1)
  })

  it('each command still lands when nothing overtakes it', async () => {
    const store = newStore()
    await store.getState().goTo(25)
    expect(store.getState().index).toBe(25)
    await store.getState().next()
    expect(store.getState().index).toBe(26)
  })
})
