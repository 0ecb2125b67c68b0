/**
 * The invariants every run of the flow keeps: one copy, used by flow.test.ts and
 * scenarios.test.ts.
 */
import { expect } from 'vitest'
import type { Flow, Step } from '../../src/flow/index.ts'
import { s256Challenge } from '../../src/protocol/crypto.ts'
import type { Exchange, Role, WorldState } from '../../src/protocol/index.ts'

const AS = 'https://auth.example'
const TOKEN = `${AS}/token`

function world(flow: Flow): WorldState {
  const last = flow.steps.at(-1)
  if (!last) throw new Error('no steps')
  return last.snapshot
}

function endOf(flow: Flow): Step {
  const last = flow.steps.at(-1)
  if (last?.kind.type !== 'end') throw new Error('the flow has not ended')
  return last
}

const endpoint = (url: string) => {
  const u = new URL(url)
  return `${u.origin}${u.pathname}`
}

function sent(flow: Flow, q: { from?: Role; url?: string; grant?: string }): Exchange[] {
  return world(flow).exchanges.filter(
    (x) =>
      (q.from === undefined || x.from === q.from) &&
      (q.url === undefined || endpoint(x.request.url) === q.url) &&
      (q.grant === undefined || new URLSearchParams(x.request.body).get('grant_type') === q.grant),
  )
}

const form = (x: Exchange) => new URLSearchParams(x.request.body)
const header = (x: Exchange, name: string) =>
  x.response?.headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? null

/**
 * Back restores exactly: each step's snapshot is a copy of its own, and changing one changes no
 * other. It is the world just before the next message leaves, so it holds the exchanges of the
 * steps so far and at most the next one's, nothing later.
 */
function checkSnapshots(flow: Flow) {
  const { steps } = flow
  steps.forEach((s, i) => {
    const prev = steps[i - 1]
    if (prev) {
      expect(s.snapshot).not.toBe(prev.snapshot)
      expect(s.snapshot.exchanges).not.toBe(prev.snapshot.exchanges)
      expect(s.snapshot.exchanges.length).toBeGreaterThanOrEqual(prev.snapshot.exchanges.length)
    }
    const sentBy = new Set(
      steps.slice(0, i + 2).flatMap((t) => (t.kind.type === 'request' ? [t.kind.exchangeId] : [])),
    )
    for (const x of s.snapshot.exchanges) expect(sentBy.has(x.id)).toBe(true)
  })
  // Change one step's world: the next step's does not move.
  const [a, b] = [steps[1], steps[2]]
  if (a && b) {
    const now = b.snapshot.clock.now
    const ids = b.snapshot.exchanges.map((x) => x.id)
    const saved = structuredClone(a.snapshot)
    a.snapshot.clock.now = now + 1_000_000
    a.snapshot.exchanges.length = 0
    expect(b.snapshot.clock.now).toBe(now)
    expect(b.snapshot.exchanges.map((x) => x.id)).toEqual(ids)
    Object.assign(a.snapshot, saved)
  }
}

/** The invariants every run keeps, on every path of every scenario, whatever the settings. */
export async function checkInvariants(flow: Flow) {
  checkSnapshots(flow)
  const w = world(flow)
  const xs = w.exchanges
  flow.steps.forEach((s, i) => expect(s.index).toBe(i))
  expect(flow.steps[0]?.kind.type).toBe('start')
  expect(endOf(flow).boundary).toBe(true)
  // Every exchange appears as a request step, then (later) a response step.
  for (const x of xs) {
    const req = flow.steps.findIndex((s) => s.kind.type === 'request' && s.kind.exchangeId === x.id)
    const res = flow.steps.findIndex(
      (s) => s.kind.type === 'response' && s.kind.exchangeId === x.id,
    )
    expect(req).toBeGreaterThan(0)
    expect(res).toBeGreaterThan(req)
  }
  // No handler threw.
  expect(xs.filter((x) => x.response?.status === 500)).toEqual([])
  // Each code is redeemed successfully at most once, by anyone — unless the server lets codes be
  // reused (the vulnerable code-replay variant).
  const singleUse = w.as.settings.singleUseCodes
  const redeemed = new Map<string, number>()
  for (const x of sent(flow, { url: TOKEN, grant: 'authorization_code' })) {
    if (x.response?.status !== 200) continue
    const code = form(x).get('code') ?? ''
    redeemed.set(code, (redeemed.get(code) ?? 0) + 1)
    // The verifier sent hashes to the challenge the code was bound to, and none is missing.
    const challenge = w.as.codes[code]?.code_challenge ?? null
    const verifier = form(x).get('code_verifier')
    if (challenge !== null) expect(verifier && (await s256Challenge(verifier))).toBe(challenge)
  }
  for (const n of redeemed.values()) if (singleUse) expect(n).toBe(1)
  // Every answer auth.example redirects echoes a state that was sent, and names auth.example.
  const states = new Set(
    sent(flow, { url: `${AS}/authorize` }).map((x) =>
      new URL(x.request.url).searchParams.get('state'),
    ),
  )
  for (const x of xs.filter((x) => x.to === 'authorization-server')) {
    const location = header(x, 'location')
    if (!location || !/[?&](code|error)=/.test(location)) continue
    const back = new URL(location).searchParams
    expect(states.has(back.get('state'))).toBe(true)
    expect(back.get('iss')).toBe(AS)
  }
  // Time only moves forward.
  flow.steps.forEach((s, i) => {
    if (i > 0)
      expect(s.snapshot.clock.now).toBeGreaterThanOrEqual(
        flow.steps[i - 1]?.snapshot.clock.now ?? 0,
      )
  })
  // Each step says what it is; a step with a phase cites the RFC.
  for (const s of flow.steps) {
    expect(s.title.length).toBeGreaterThan(3)
    expect(s.narration.length).toBeGreaterThan(10)
    expect(s.label.length).toBeGreaterThan(0)
    // (The login page shown again after a wrong password cites nothing: signing in is outside OAuth.)
    if (s.phase && s.kind.type !== 'user' && !s.title.startsWith('Wrong password'))
      expect(s.links.length).toBeGreaterThan(0)
    if (s.kind.type === 'attacker')
      expect(s).toMatchObject({ from: 'attacker', active: ['attacker'] })
  }
  // A confidential client's tokens never travel through the browser.
  if (flow.config.clientType === 'confidential') {
    expect(
      xs.filter((x) => x.channel !== 'back' && x.response?.body.includes('"access_token"')),
    ).toEqual([])
  }
  // An attacker never gets tokens, except where the defence is switched off.
  if (flow.config.variant !== 'vulnerable') {
    expect(w.attacker.stolenTokens).toEqual([])
    expect(
      sent(flow, { from: 'attacker', url: TOKEN }).filter((x) => x.response?.status === 200),
    ).toEqual([])
  }
}
