import { describe, expect, it } from 'vitest'
import {
  createFlow,
  defaultConfig,
  type Flow,
  type FlowConfig,
  type Step,
} from '../../src/flow/index.ts'
import { shortenValue, stateRows, stateSections } from '../../src/flow/views/state.ts'
import { formatDuration, formatRelative } from '../../src/flow/views/time.ts'
import type { WorldState } from '../../src/protocol/index.ts'
import { T0, sharedKeys } from '../protocol/helpers.ts'
import { TOKEN_STEP_CHANGES } from './helpers.ts'

async function run(patch: Partial<FlowConfig> = {}): Promise<{ flow: Flow; config: FlowConfig }> {
  const config = { ...defaultConfig(T0), ...patch }
  const flow = await createFlow(config, await sharedKeys())
  for (let i = 0; i < 200 && !flow.ended(); i++) await flow.advance()
  return { flow, config }
}

function rowsAt(flow: Flow, config: FlowConfig, step: Step) {
  return stateRows(step.snapshot, flow.steps[step.index - 1]?.snapshot, config)
}

function value(rows: ReturnType<typeof stateRows>, key: string) {
  return rows.find((r) => r.key === key && !r.removed)?.value
}

describe('the state view of the web app flow', () => {
  it('has the clock and four roles, unique keys, and nothing marked at the start', async () => {
    const { flow, config } = await run()
    const start = flow.steps[0]
    if (!start) throw new Error('no start')
    const sections = stateSections(start.snapshot, undefined, config)
    expect(sections.map((s) => s.title)).toEqual([
      'Simulated clock',
      'Client',
      'Authorization Server',
      'Browser',
      'Resource Server',
    ])
    const rows = sections.flatMap((s) => s.rows)
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length)
    expect(rows.filter((r) => r.changed)).toEqual([])
    expect(value(rows, 'clock.now')).toBe('2026-01-01 00:00:00 UTC (+0 min since start)')
  })

  it('marks exactly the token rows at the step where the client stores its tokens', async () => {
    const { flow, config } = await run()
    const step = flow.steps.find((s) => value(rowsAt(flow, config, s), 'client.access_token'))
    if (!step) throw new Error('the client never stored tokens')
    const rows = rowsAt(flow, config, step)
    expect(rows.filter((r) => r.changed).map((r) => r.key)).toEqual(TOKEN_STEP_CHANGES)
    expect(value(rows, 'client.expires')).toMatch(/^expires in 60 min \(01:00:\d\d UTC\)$/)
    expect(value(rows, 'client.user')).toBe('alice-7c9e')
    expect(rows.find((r) => r.key === 'client.access_token')).toMatchObject({
      long: true,
      role: 'client',
    })
  })

  it('marks a row changed exactly when its value differs from the step before, on every step', async () => {
    const { flow, config } = await run()
    for (const step of flow.steps.slice(1)) {
      // Compare at the same clock: relative times ("expires in …") that moved only because time
      // passed are not changes.
      const before = structuredClone(flow.steps[step.index - 1]?.snapshot as WorldState)
      const clockMoved = before.clock.now !== step.snapshot.clock.now
      before.clock.now = step.snapshot.clock.now
      const prev = new Map(stateRows(before, null, config).map((r) => [r.key, r.value]))
      for (const r of rowsAt(flow, config, step)) {
        if (r.removed) expect(r.changed).toBe(true)
        else
          expect({ step: step.index, key: r.key, changed: r.changed }).toEqual({
            step: step.index,
            key: r.key,
            changed:
              r.key === 'clock.now'
                ? clockMoved
                : prev.get(r.key) !== r.value || !prev.has(r.key),
          })
      }
    }
  })

  it('shows the authorization server’s code as issued, then used', async () => {
    const { flow, config } = await run()
    const issued = flow.steps.find((s) =>
      rowsAt(flow, config, s).some((r) => r.key.startsWith('as.code.') && r.changed),
    )
    if (!issued) throw new Error('no code issued')
    const code = rowsAt(flow, config, issued).find((r) => r.key.startsWith('as.code.'))
    expect(code?.value).toBe('for demo-web-app, expires in 10 min, unused')
    const used = flow.steps.find(
      (s) =>
        s.index > issued.index &&
        rowsAt(flow, config, s).some((r) => r.key === code?.key && r.changed),
    )
    expect(used && value(rowsAt(flow, config, used), code?.key ?? '')).toBe(
      'for demo-web-app, expires in 10 min, used',
    )
  })

  it('counts time against the simulated clock, and does not mark rows whose only change is the clock', async () => {
    const { flow, config } = await run()
    const issued = flow.steps.find(
      (s) => s.snapshot.as.codes && Object.keys(s.snapshot.as.codes).length > 0,
    )
    if (!issued) throw new Error('no code issued')
    const later = structuredClone(issued.snapshot)
    later.clock.now += 20_000
    const rows = stateRows(later, issued.snapshot, config)
    expect(rows.filter((r) => r.changed).map((r) => r.key)).toEqual(['clock.now'])
    // People take time: by the time the code is issued, some simulated seconds have passed.
    const since = Math.round((later.clock.now - later.clock.startedAt) / 1000)
    expect(since).toBeGreaterThan(20)
    expect(value(rows, 'clock.now')).toBe(
      `2026-01-01 00:00:${String(since).padStart(2, '0')} UTC (+${since} s since start)`,
    )
    expect(rows.find((r) => r.key.startsWith('as.code.'))?.value).toBe(
      'for demo-web-app, expires in 9 min 40 s, unused',
    )
  })
})

describe('the state view of the single-page app flow', () => {
  it('says state and code_verifier live in sessionStorage, lists them, and marks them removed when cleared', async () => {
    const { flow, config } = await run({ clientType: 'public', scenario: 'public' })
    const start = flow.steps[0]
    if (!start) throw new Error('no start')
    const client = stateSections(start.snapshot, null, config).find((s) => s.role === 'client')
    expect(client?.note).toMatch(/sessionStorage/)
    expect(client?.subtitle).toMatch(/demo-spa/)
    const stored = flow.steps.find((s) =>
      rowsAt(flow, config, s).some(
        (r) => r.key === 'browser.storage.https://spa.example.code_verifier',
      ),
    )
    if (!stored) throw new Error('nothing stored')
    expect(
      rowsAt(flow, config, stored).find(
        (r) => r.key === 'browser.storage.https://spa.example.code_verifier',
      ),
    ).toMatchObject({
      label: 'sessionStorage (spa.example)',
      changed: true,
      removed: false,
    })
    const cleared = flow.steps.find(
      (s) => s.index > stored.index && rowsAt(flow, config, s).some((r) => r.removed),
    )
    if (!cleared) throw new Error('never cleared')
    const removed = rowsAt(flow, config, cleared).filter((r) => r.removed)
    expect(removed.map((r) => r.key)).toContain('browser.storage.https://spa.example.code_verifier')
    expect(removed.every((r) => r.changed && r.value !== null)).toBe(true)
    expect(
      removed.find((r) => r.key === 'browser.storage.https://spa.example.code_verifier')?.value,
    ).toMatch(/^code_verifier = [\w-]{43}$/)
  })
})

describe('time and length formatting', () => {
  it.each([
    [0, '0 s'],
    [40, '40 s'],
    [580, '9 min 40 s'],
    [600, '10 min'],
    [3540, '59 min'],
    [3600, '60 min'],
    [8 * 3600, '8 h'],
    [3 * 3600 + 300, '3 h 5 min'],
    [30 * 86400, '30 days'],
  ])('formatDuration(%i) is %j', (s, text) => {
    expect(formatDuration(s)).toBe(text)
  })

  it('says in, ago or now', () => {
    expect(formatRelative(T0 + 60_000, T0)).toBe('in 1 min')
    expect(formatRelative(T0 - 120_000, T0)).toBe('2 min ago')
    expect(formatRelative(T0 + 200, T0)).toBe('now')
  })

  it('shortens long values to head and tail', () => {
    const long = 'a'.repeat(50) + 'b'.repeat(50)
    const short = shortenValue(long)
    expect(short.length).toBeLessThanOrEqual(60)
    expect(short.startsWith('aaaa')).toBe(true)
    expect(short.endsWith('bbbb')).toBe(true)
    expect(shortenValue('short')).toBe('short')
  })
})
