import { describe, expect, it } from 'vitest'
import type { Step } from '../../src/flow/index.ts'
import type { HttpRequest } from '../../src/protocol/index.ts'
import { learnerAnswerFor } from '../../src/flow/views/browser.ts'
import { selectStep } from '../../src/store/index.ts'
import { newStore, whenComplete } from '../ui/render.tsx'

function loginStep(steps: readonly Step[]): number {
  const at = steps.findIndex((s) => s.awaiting === 'credentials')
  if (at < 0) throw new Error('no login page')
  return at
}

/** The request of the exchange a request or response step belongs to, as recorded by its step. */
function requestOf(step: Step | undefined): HttpRequest | undefined {
  if (step?.kind.type !== 'request' && step?.kind.type !== 'response') return undefined
  const id = step.kind.exchangeId
  return step.snapshot.exchanges.find((x) => x.id === id)?.request
}

describe('when the learner answers a page (act)', () => {
  it('lands on the server’s answer to a wrong password: its login page again, with the error', async () => {
    const store = newStore()
    await whenComplete(store)
    const login = loginStep(store.getState().steps)
    await store.getState().goTo(login)
    await store.getState().act({ type: 'credentials', username: 'alice', password: 'wrong' })
    const s = store.getState()
    const step = selectStep(s)
    expect(step?.kind.type).toBe('response')
    expect(requestOf(step)?.url).toBe('https://auth.example/login')
    expect(step?.snapshot.browser.page?.body).toContain('Wrong username or password.')
    // The page waits for an answer again, on the step on screen.
    expect(step?.boundary).toBe(true)
    expect(step?.awaiting).toBe('credentials')
    // The steps that led there stay in the run: Back shows the request, then the typing.
    store.getState().back()
    expect(selectStep(store.getState())?.kind.type).toBe('request')
    store.getState().back()
    expect(selectStep(store.getState())?.kind).toEqual({ type: 'user', action: 'sign-in' })
  })

  it('lands on the server’s answer to the right password, not on the typing or the request', async () => {
    const store = newStore()
    await whenComplete(store)
    const login = loginStep(store.getState().steps)
    await store.getState().goTo(login)
    await store.getState().act({ type: 'credentials', username: 'alice', password: 'wonderland' })
    const step = selectStep(store.getState())
    expect(step?.kind.type).toBe('response')
    expect(requestOf(step)?.method).toBe('POST')
    expect(store.getState().index).toBeGreaterThan(login + 2)
  })

  it('lands on the server’s answer to an empty form too', async () => {
    const store = newStore()
    await whenComplete(store)
    const login = loginStep(store.getState().steps)
    await store.getState().goTo(login)
    await store.getState().act({ type: 'credentials', username: '', password: '' })
    const step = selectStep(store.getState())
    expect(step?.kind.type).toBe('response')
    expect(step?.awaiting).toBe('credentials')
    expect(step?.snapshot.browser.page?.body).toContain('role="alert"')
  })

  it('stays put on a step that does not wait for that answer', async () => {
    const store = newStore()
    await whenComplete(store)
    const login = loginStep(store.getState().steps)
    await store.getState().goTo(login)
    const before = store.getState().steps
    await store.getState().act({ type: 'consent', decision: 'allow' })
    expect(store.getState().steps).toBe(before)
    expect(store.getState().index).toBe(login)
  })
})

describe('the learner’s answer, kept for the views (learnerAnswerFor)', () => {
  it('is on the typing step and every step of its action, and on none after', async () => {
    const store = newStore()
    await whenComplete(store)
    const login = loginStep(store.getState().steps)
    await store.getState().goTo(login)
    const input = { type: 'credentials', username: 'alice', password: 'wrong' } as const
    await store.getState().act(input)
    await whenComplete(store)
    const { steps } = store.getState()
    expect(learnerAnswerFor(steps, login)).toBeNull()
    for (const i of [login + 1, login + 2, login + 3]) {
      expect(learnerAnswerFor(steps, i)).toEqual({ input, at: login + 1 })
    }
    // The simulated user answers the page again next: that answer is not the learner's.
    expect(steps[login + 4]?.kind).toEqual({ type: 'user', action: 'sign-in' })
    for (let i = login + 4; i < steps.length; i++) expect(learnerAnswerFor(steps, i)).toBeNull()
  })

  it('is nowhere in a run of the simulated user', async () => {
    const store = newStore()
    await whenComplete(store)
    const { steps } = store.getState()
    for (let i = 0; i < steps.length; i++) expect(learnerAnswerFor(steps, i)).toBeNull()
    expect(learnerAnswerFor(steps, -1)).toBeNull()
    expect(learnerAnswerFor(steps, steps.length + 5)).toBeNull()
  })

  it('stays the learner’s when its action runs again (an edit of the request it sent)', async () => {
    const store = newStore()
    await whenComplete(store)
    const login = loginStep(store.getState().steps)
    await store.getState().goTo(login)
    const input = { type: 'credentials', username: 'alice', password: 'wrong' } as const
    await store.getState().act(input)
    await whenComplete(store)
    const sent = store.getState().steps[login + 2]
    const request = requestOf(sent)
    if (!sent || !request) throw new Error('no login request')
    await store.getState().resend(sent.index, { ...request, body: request.body.replace('wrong', 'wonderland') })
    const { steps, index } = store.getState()
    expect(index).toBe(login + 3)
    expect(learnerAnswerFor(steps, index)).toEqual({ input, at: login + 1 })
  })

  it('goes when Back and a different answer replace it', async () => {
    const store = newStore()
    await whenComplete(store)
    const login = loginStep(store.getState().steps)
    await store.getState().goTo(login)
    await store.getState().act({ type: 'credentials', username: 'alice', password: 'wrong' })
    await store.getState().goTo(login)
    await store.getState().act({ type: 'credentials', username: 'bob', password: 'b' })
    expect(learnerAnswerFor(store.getState().steps, login + 3)?.input).toEqual({ type: 'credentials', username: 'bob', password: 'b' })
  })
})
