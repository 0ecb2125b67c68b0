import { describe, expect, it } from 'vitest'
import type { Step } from '../../src/flow/index.ts'
import type { HttpRequest } from '../../src/protocol/index.ts'
import { selectStep, selectWorld } from '../../src/store/index.ts'
import { newStore, whenComplete } from '../ui/render.tsx'

const TOKEN_REQUEST = 'Token request on the back channel'

function tokenStep(steps: readonly Step[]): Step {
  const step = steps.find((s) => s.title === TOKEN_REQUEST)
  if (!step) throw new Error('no token request step')
  return step
}

function requestOf(store: ReturnType<typeof newStore>, step: Step): HttpRequest {
  if (step.kind.type !== 'request') throw new Error('not a request step')
  const id = step.kind.exchangeId
  const x = store.getState().steps.at(-1)?.snapshot.exchanges.find((e) => e.id === id)
  if (!x) throw new Error('no exchange')
  return x.request
}

function withVerifier(request: HttpRequest, value: string): HttpRequest {
  const form = new URLSearchParams(request.body)
  form.set('code_verifier', value)
  return { ...request, body: form.toString() }
}

describe('the store’s Edit and resend', () => {
  it('shows the edited request, then the refusal, and computes the rest of the run from there', async () => {
    const store = newStore()
    await whenComplete(store)
    const original = store.getState().steps.map((s) => s.title)
    const step = tokenStep(store.getState().steps)
    await store.getState().goTo(step.index)
    await store.getState().resend(step.index, withVerifier(requestOf(store, step), 'y'.repeat(43)))
    // The server's answer at once; the edited request is one Back away.
    let s = store.getState()
    expect(s.index).toBe(step.index + 1)
    expect(selectStep(s)?.title).toBe('The token request is refused: invalid_grant')
    expect(s.steps[step.index]?.edited).toBe(true)
    expect(s.steps[step.index]?.narration).toMatch(/^Edited by you: /)
    await whenComplete(store)
    s = store.getState()
    expect(s.steps.at(-1)?.kind).toEqual({ type: 'end', outcome: 'failure' })
    store.getState().back()
    expect(selectStep(store.getState())?.edited).toBe(true)

    // Back before the edited request undoes it: the run is the simulated user's again.
    store.getState().back()
    await whenComplete(store)
    s = store.getState()
    expect(s.index).toBe(step.index - 1)
    expect(s.steps.some((st) => st.edited)).toBe(false)
    expect(s.steps.map((st) => st.title)).toEqual(original)
  })

  it('Reset undoes an edit too', async () => {
    const store = newStore()
    await whenComplete(store)
    const step = tokenStep(store.getState().steps)
    await store.getState().resend(step.index, withVerifier(requestOf(store, step), 'z'.repeat(43)))
    await whenComplete(store)
    store.getState().reset()
    await whenComplete(store)
    expect(store.getState().index).toBe(0)
    expect(store.getState().steps.some((st) => st.edited)).toBe(false)
    expect(store.getState().steps.at(-1)?.kind).toEqual({ type: 'end', outcome: 'success' })
  })

  it('ignores a step that is not a request', async () => {
    const store = newStore()
    await whenComplete(store)
    const before = store.getState().steps
    await store.getState().resend(0, { method: 'GET', url: 'https://x.example/', headers: [], body: '' })
    expect(store.getState().steps).toBe(before)
  })
})

describe('the store’s Replay', () => {
  it('sends the token request again after the end: 400 invalid_grant, and Back undoes it', async () => {
    const store = newStore()
    await whenComplete(store)
    await store.getState().last()
    const end = store.getState().index
    const step = tokenStep(store.getState().steps)
    if (step.kind.type !== 'request') throw new Error('not a request')
    await store.getState().replay(step.kind.exchangeId)
    let s = store.getState()
    expect(s.index).toBe(end + 1)
    expect(selectStep(s)?.replayed).toBe(true)
    await whenComplete(store)
    await store.getState().next()
    s = store.getState()
    expect(selectStep(s)?.title).toBe('The token request is refused: invalid_grant')
    const last = selectWorld(s)?.exchanges.at(-1)
    expect(last?.response?.status).toBe(400)
    await store.getState().goTo(end)
    await whenComplete(store)
    expect(store.getState().steps.length).toBe(end + 1)
    expect(store.getState().steps.some((st) => st.replayed)).toBe(false)
  })
})
