import { describe, expect, it } from 'vitest'
import type { Step } from '../../src/flow/index.ts'
import type { LabStore } from '../../src/store/index.ts'
import { newStore, whenComplete } from '../ui/render.tsx'

const tokenRequests = (step: Step) =>
  step.snapshot.exchanges.filter(
    (x) => x.request.method === 'POST' && new URL(x.request.url).pathname === '/token',
  )

async function goToStep(store: LabStore, find: (s: Step) => boolean): Promise<Step> {
  const step = store.getState().steps.find(find)
  if (!step) throw new Error('no such step')
  await store.getState().goTo(step.index)
  return step
}

describe('fast-forwarding the simulated clock', () => {
  it('adds a time step after the step on screen and computes the rest of the run from there', async () => {
    const store = newStore()
    await whenComplete(store)
    const consent = await goToStep(store, (s) => s.awaiting === 'consent')
    await store.getState().fastForward(600)
    const s = store.getState()
    expect(s.index).toBe(consent.index + 1)
    const jumped = s.steps[consent.index + 1]
    expect(jumped?.kind).toEqual({ type: 'time', seconds: 600 })
    expect(jumped?.title).toBe('Time passes: 10 min')
    expect(jumped!.snapshot.clock.now - consent.snapshot.clock.now).toBe(600_000)
    await whenComplete(store)
    // A fresh code is issued after the wait: the flow still completes.
    expect(store.getState().steps.at(-1)?.kind).toEqual({ type: 'end', outcome: 'success' })
  })

  it('makes the code expire when more than ten minutes pass before the exchange', async () => {
    const store = newStore()
    await whenComplete(store)
    const issued = await goToStep(
      store,
      (s) => s.boundary && Object.keys(s.snapshot.as.codes).length > 0 && !tokenRequests(s).length,
    )
    await store.getState().fastForward(660)
    await whenComplete(store)
    const steps = store.getState().steps
    expect(steps[issued.index + 1]?.kind).toEqual({ type: 'time', seconds: 660 })
    const end = steps.at(-1)!
    expect(end.kind).toEqual({ type: 'end', outcome: 'failure' })
    const token = tokenRequests(end)[0]
    expect(token?.response?.status).toBe(400)
    expect(token?.response?.body).toContain('invalid_grant')
  })

  it('fast-forwards in the middle of an action: the time passes before the next message leaves', async () => {
    const store = newStore()
    await whenComplete(store)
    // The browser has delivered the code to the app's callback; before the app's token request
    // leaves, eleven minutes pass: the code has expired.
    const callback = await goToStep(store, (s) => s.label.startsWith('GET /callback'))
    expect(callback.boundary).toBe(false)
    await store.getState().fastForward(660)
    await whenComplete(store)
    const s = store.getState()
    const time = s.steps[s.index]
    expect(time?.kind).toEqual({ type: 'time', seconds: 660 })
    expect(s.steps[s.index - 1]?.label).toBe(callback.label)
    expect(s.steps[s.index + 1]?.label).toBe('POST /token')
    const refused = s.steps.find((st, i) => i > s.index && st.kind.type === 'response' && st.label === '400 invalid_grant')
    expect(refused).toBeTruthy()
    expect(s.steps.at(-1)?.kind).toMatchObject({ type: 'end' })
  })

  it('does nothing at the end', async () => {
    const store = newStore()
    await whenComplete(store)
    const before = store.getState().steps
    await store.getState().last()
    await store.getState().fastForward(60)
    expect(store.getState().steps).toBe(before)
  })

  it('exposes the configuration the scenario really runs with', async () => {
    const store = newStore({ config: { scenario: 'code-interception', variant: 'vulnerable' } })
    await whenComplete(store)
    const s = store.getState()
    expect(s.config.clientType).toBe('confidential')
    expect(s.resolved).toMatchObject({ clientType: 'public', pkce: false, variant: 'vulnerable' })
    await s.setConfig({ scenario: 'confidential', variant: undefined })
    await whenComplete(store)
    expect(store.getState().resolved).toMatchObject({ clientType: 'confidential', pkce: true })
    expect(store.getState().resolved.variant).toBeUndefined()
  })
})
