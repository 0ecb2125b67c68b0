/**
 * The reducer alone: every transition is a pure function of the state and the action, so what a
 * link's step, a variant switch and the learner's moves mean is tested here without a world.
 */
import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../src/flow/config.ts'
import type { Step } from '../../src/flow/index.ts'
import { initialState, reduce, type LabAction, type LabState } from '../../src/store/index.ts'
import { T0 } from '../protocol/helpers.ts'

/** Steps that compare by their labels, as two runs' steps do. */
function steps(...labels: string[]): Step[] {
  return labels.map(
    (label, index) =>
      ({ index, label, kind: { type: 'start' }, from: null, to: null }) as unknown as Step,
  )
}

const config = defaultConfig(T0)
const fresh = () => initialState({ config, resolved: config, preview: null })
const run = (s: LabState, ...actions: LabAction[]) => actions.reduce(reduce, s)
const start = (
  startAt = 0,
  from: LabAction & { type: 'start' } extends { from: infer F } ? F : never = null,
): LabAction => ({
  type: 'start',
  config,
  resolved: config,
  preview: null,
  runId: 1,
  startAt,
  from,
})

describe('the lab reducer', () => {
  it('starts a run on its first step, busy, and keeps the learner’s speed, theme and notice', () => {
    const before = {
      ...fresh(),
      speed: 2,
      theme: 'dark' as const,
      notice: 'n',
      index: 5,
      playing: true,
      error: 'x',
    }
    const s = reduce(before, start())
    expect(s).toMatchObject({
      index: 0,
      busy: true,
      complete: false,
      playing: false,
      error: null,
      runId: 1,
      speed: 2,
      theme: 'dark',
      notice: 'n',
      steps: [],
    })
  })

  it('opens a link’s step once it is computed, not before', () => {
    let s = run(fresh(), start(2), { type: 'created', steps: steps('a'), resolved: config })
    expect(s.index).toBe(0)
    s = reduce(s, { type: 'computed', steps: steps('a', 'b') })
    expect(s.index).toBe(0)
    s = reduce(s, { type: 'computed', steps: steps('a', 'b', 'c') })
    expect(s.index).toBe(2)
    expect(s.pending.startAt).toBeNull()
    // Once opened, it is not opened again: the learner may go back to step 1.
    s = run(s, { type: 'show', index: 0 }, { type: 'computed', steps: steps('a', 'b', 'c', 'd') })
    expect(s.index).toBe(0)
  })

  it('drops a link’s step when the learner moves first, even before the world exists', () => {
    const s = run(
      fresh(),
      start(2),
      { type: 'moved' },
      { type: 'created', steps: steps('a', 'b', 'c'), resolved: config },
    )
    expect(s.index).toBe(0)
    expect(s.pending.startAt).toBeNull()
  })

  it('says so when a link’s step is past the end of the run, and stays on step 1', () => {
    const s = run(
      fresh(),
      start(9),
      { type: 'created', steps: steps('a', 'b'), resolved: config },
      { type: 'settled', complete: true },
    )
    expect(s.index).toBe(0)
    expect(s.busy).toBe(false)
    expect(s.notice).toBe('This run has 2 steps, so there is no step 10; it starts at step 1.')
    // A run that stopped short (not complete) says nothing: the step may still come.
    const stopped = run(
      fresh(),
      start(9),
      { type: 'created', steps: steps('a'), resolved: config },
      { type: 'settled', complete: false },
    )
    expect(stopped.notice).toBeNull()
  })

  it('after a variant switch, opens the matching step and tells where the runs part', () => {
    const from = { steps: steps('a', 'b', 'c', 'd'), index: 3, complete: true }
    let s = run(fresh(), start(0, from), {
      type: 'created',
      steps: steps('a', 'b'),
      resolved: config,
    })
    expect(s.index).toBe(0)
    expect(s.parted).toBeNull()
    s = reduce(s, { type: 'computed', steps: steps('a', 'b', 'x') })
    // They part at the third step: known as soon as it is computed, before the fourth exists.
    expect(s.parted).toBe(2)
    expect(s.index).toBe(0)
    s = reduce(s, { type: 'computed', steps: steps('a', 'b', 'x', 'y') })
    expect(s.index).toBe(2)
    expect(s.pending.from).toBeNull()
  })

  it('a learner’s change ends the comparison with the run switched from', () => {
    const from = { steps: steps('a', 'b'), index: 1, complete: true }
    const s = run(fresh(), start(0, from), { type: 'branching' })
    expect(s.pending.from).toBeNull()
    expect(s.pending.matchPending).toBe(false)
    expect(s).toMatchObject({ busy: true, playing: false, complete: false, parted: null })
  })

  it('clamps a shown step to the run, and a branch’s step too', () => {
    const s = run(fresh(), start(), {
      type: 'created',
      steps: steps('a', 'b', 'c'),
      resolved: config,
    })
    expect(reduce(s, { type: 'show', index: 99 }).index).toBe(2)
    expect(reduce(s, { type: 'show', index: -1 }).index).toBe(0)
    expect(reduce(s, { type: 'branched', steps: steps('a', 'b'), index: 7 }).index).toBe(1)
  })

  it('rewinding keeps the steps before the learner’s change and computes the rest again', () => {
    const s = run(
      fresh(),
      start(),
      { type: 'created', steps: steps('a', 'b', 'c'), resolved: config },
      { type: 'settled', complete: true },
      { type: 'rewound', keep: 2 },
    )
    expect(s.steps.map((st) => st.label)).toEqual(['a', 'b'])
    expect(s.complete).toBe(false)
  })

  it('Play at the end of a complete run starts again from step 1; elsewhere it plays on from there', () => {
    const done = run(
      fresh(),
      start(),
      { type: 'created', steps: steps('a', 'b'), resolved: config },
      { type: 'settled', complete: true },
      { type: 'show', index: 1 },
    )
    expect(reduce(done, { type: 'play' })).toMatchObject({ playing: true, index: 0 })
    expect(reduce({ ...done, index: 0 }, { type: 'show', index: 0 }).index).toBe(0)
    const mid = reduce(done, { type: 'show', index: 0 })
    expect(reduce(mid, { type: 'play' })).toMatchObject({ playing: true, index: 0 })
    expect(run(mid, { type: 'play' }, { type: 'played' }).playing).toBe(false)
  })

  it('clamps the speed to 0.5–4 and takes a non-number as 1', () => {
    const s = fresh()
    expect(reduce(s, { type: 'speed', speed: 10 }).speed).toBe(4)
    expect(reduce(s, { type: 'speed', speed: 0 }).speed).toBe(0.5)
    expect(reduce({ ...s, speed: 2 }, { type: 'speed', speed: Number.NaN }).speed).toBe(1)
    expect(reduce(s, { type: 'speed', speed: 3 }).speed).toBe(3)
  })

  it('returns the same state for an action that changes nothing (no render for it)', () => {
    const s = { ...fresh(), busy: true }
    expect(reduce(s, { type: 'dismissNotice' })).toBe(s)
    expect(reduce(s, { type: 'pause' })).toBe(s)
    expect(reduce(s, { type: 'computing' })).toBe(s)
    expect(reduce(s, { type: 'speed', speed: 1 })).toBe(s)
  })

  it('keeps a failure readable and stops being busy', () => {
    const s = run(fresh(), start(), { type: 'failed', error: 'The simulation stopped: boom' })
    expect(s).toMatchObject({ busy: false, error: 'The simulation stopped: boom' })
  })

  it('never changes the state it is given', () => {
    const s = run(fresh(), start(2), { type: 'created', steps: steps('a'), resolved: config })
    const copy = structuredClone(s)
    const actions: LabAction[] = [
      { type: 'computed', steps: steps('a', 'b', 'c') },
      { type: 'settled', complete: true },
      { type: 'show', index: 1 },
      { type: 'rewound', keep: 1 },
      { type: 'branching' },
      { type: 'play' },
      { type: 'speed', speed: 3 },
      { type: 'theme', theme: 'dark' },
      { type: 'dismissNotice' },
      { type: 'failed', error: 'e' },
    ]
    for (const a of actions) reduce(s, a)
    expect(s).toEqual(copy)
  })
})
