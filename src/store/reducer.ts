/**
 * The lab's state and every way it changes: a pure reducer over a discriminated union of actions,
 * as in TanStack Query's `#dispatch` or xstate's `transition`. It does no I/O and keeps no
 * closure: the runner (labStore.ts) performs the effects (computing the run, timers) and
 * dispatches what they produced. What a learner's move means for a pending start (a link's step,
 * a variant switch's matching step) is decided here, so it is tested without a world.
 */
import type { FlowConfig, ShownStep, Step } from '../flow/types.ts'
import { divergenceIndex, matchingStep } from '../flow/variants.ts'

export type Theme = 'system' | 'light' | 'dark'

export const SPEEDS = [0.5, 1, 1.5, 2, 3, 4] as const

/** The run a variant switch came from: to open the matching step, and to tell where they part. */
export interface SwitchedFrom {
  steps: readonly Step[]
  index: number
  complete: boolean
}

export interface LabState {
  /** The configuration as chosen (scenario, variant and the learner's settings). */
  config: FlowConfig
  /** What the run really uses: `config` with its scenario's (and variant's) patch applied. */
  resolved: FlowConfig
  /** Every step of the run computed so far (to the end, once `complete`). */
  steps: readonly Step[]
  /**
   * The run's first step as words (title, narration, lanes), shown while the simulated world is
   * still loading and `steps` is empty; null for an unknown scenario.
   */
  preview: ShownStep | null
  /** The step on screen. */
  index: number
  /** Computing steps (the first time, or after a branch). */
  busy: boolean
  /** The run is computed to its end. */
  complete: boolean
  playing: boolean
  speed: number
  theme: Theme
  /** A readable error, if computing the run failed. */
  error: string | null
  /** Bumped on every restart, so views can tell runs apart. */
  runId: number
  /** Plain text about what was asked for and ignored (a link's bad parameter, a step out of range), or null. */
  notice: string | null
  /**
   * Where this run parts from the variant it was switched from (`setVariant`): the index of its
   * first step that differs. Null when the run was not switched to, when they do not part, while it
   * is not known yet, and after any other restart or a branch.
   */
  parted: number | null
  /**
   * What the run still means to open once its steps exist, unless the learner moves first: the
   * step a link asked for, and the step matching the one on screen when the variant was switched.
   */
  pending: {
    /** The step a link asked to open at, until it exists. */
    startAt: number | null
    /** The learner moved (Next, Back, a jump, Play) since the run started. */
    moved: boolean
    /** The run a variant switch came from, until the match is opened and where they part is known. */
    from: SwitchedFrom | null
    /** The matching step of a variant switch is still to be opened. */
    matchPending: boolean
  }
}

export type LabAction =
  /** A run starts (settings, a variant, or the first one): its first step is shown as words. */
  | {
      type: 'start'
      config: FlowConfig
      resolved: FlowConfig
      preview: ShownStep | null
      runId: number
      startAt: number
      from: SwitchedFrom | null
    }
  /** The world exists: its first steps, and the configuration it really uses. */
  | { type: 'created'; steps: readonly Step[]; resolved: FlowConfig }
  /** Computing goes on (after a learner's change went back in the run). */
  | { type: 'computing' }
  /** One more step of the run is computed. */
  | { type: 'computed'; steps: readonly Step[] }
  /** Computing stopped: at the run's end, or where the flow stops. */
  | { type: 'settled'; complete: boolean }
  | { type: 'failed'; error: string }
  /** The learner is moving (before the step exists): a pending start no longer applies. */
  | { type: 'moved' }
  /** The learner shows step `index` (clamped to the run). */
  | { type: 'show'; index: number }
  /** Going back before the learner's first change: the steps before `keep` stay, the rest is computed again. */
  | { type: 'rewound'; keep: number }
  /** A learner's change (an answer, an edit, a replay, time) is being applied. */
  | { type: 'branching' }
  /** The change is applied: the run so far, and the step to show. */
  | { type: 'branched'; steps: readonly Step[]; index: number }
  | { type: 'play' }
  | { type: 'pause' }
  /** Autoplay reached the last step. */
  | { type: 'played' }
  | { type: 'speed'; speed: number }
  | { type: 'theme'; theme: Theme }
  | { type: 'dismissNotice' }

/** The state of a lab before its first run starts. */
export function initialState(options: {
  config: FlowConfig
  resolved: FlowConfig
  preview: ShownStep | null
  theme?: Theme
  notice?: string | null
}): LabState {
  return {
    config: options.config,
    resolved: options.resolved,
    steps: [],
    preview: options.preview,
    index: 0,
    busy: true,
    complete: false,
    playing: false,
    speed: 1,
    theme: options.theme ?? 'system',
    error: null,
    runId: 0,
    notice: options.notice ?? null,
    parted: null,
    pending: { startAt: null, moved: false, from: null, matchPending: false },
  }
}

const lastIndex = (s: LabState) => Math.max(0, s.steps.length - 1)

/**
 * After a variant switch: opens the step matching the one on screen as soon as the new run is
 * computed that far (unless the learner moved already), and sets `parted` once it is known.
 */
function reachMatch(s: LabState): LabState {
  const from = s.pending.from
  if (!from) return s
  let { index, parted } = s
  let { matchPending } = s.pending
  let keep: SwitchedFrom | null = from
  if (matchPending && (s.steps.length > from.index || s.complete)) {
    matchPending = false
    if (!s.pending.moved && index === 0) index = matchingStep(from.steps, from.index, s.steps)
  }
  const at = divergenceIndex(from.steps, s.steps)
  // A difference within both runs is where they part; where one run stops, only if it ended
  // there (the other, not computed that far yet, may still be the same).
  const known =
    at === null
      ? s.complete && from.complete
      : at < Math.min(from.steps.length, s.steps.length) ||
        (at === s.steps.length ? s.complete : from.complete)
  if (known) {
    parted = at
    if (!matchPending) keep = null
  } else if (s.complete && !from.complete && at === from.steps.length) {
    // The run switched from was not computed past here: where they part cannot be told.
    if (!matchPending) keep = null
  }
  return { ...s, index, parted, pending: { ...s.pending, from: keep, matchPending } }
}

/** Opens the step a link (or a variant switch) asked for as soon as it exists, unless the learner moved. */
function reachStart(state: LabState): LabState {
  const s = reachMatch(state)
  const at = s.pending.startAt
  if (at === null || s.steps.length <= at) return s
  return {
    ...s,
    index: !s.pending.moved && s.index === 0 ? at : s.index,
    pending: { ...s.pending, startAt: null },
  }
}

/** The learner's own move wins over the step a link asked for (even back to step 1). */
function moved(s: LabState): LabState {
  return s.pending.moved && s.pending.startAt === null
    ? s
    : { ...s, pending: { ...s.pending, moved: true, startAt: null } }
}

export function reduce(s: LabState, action: LabAction): LabState {
  switch (action.type) {
    case 'start':
      return {
        ...s,
        config: action.config,
        resolved: action.resolved,
        steps: [],
        preview: action.preview,
        index: 0,
        busy: true,
        complete: false,
        playing: false,
        error: null,
        runId: action.runId,
        parted: null,
        pending: {
          // Kept until the world exists: only then is it known whether the step does.
          startAt: action.startAt > 0 ? action.startAt : null,
          moved: false,
          from: action.from,
          matchPending: action.from !== null,
        },
      }
    case 'created': {
      // A learner who moved before the world existed keeps their place.
      const startAt = s.pending.moved ? null : s.pending.startAt
      return reachStart({
        ...s,
        steps: action.steps,
        resolved: action.resolved,
        pending: { ...s.pending, startAt },
      })
    }
    case 'computing':
      return s.busy ? s : { ...s, busy: true }
    case 'computed':
      return reachStart({ ...s, steps: action.steps })
    case 'settled': {
      const next = reachStart({ ...s, complete: action.complete, busy: false })
      const at = next.pending.startAt
      if (at === null || !action.complete) return next
      const asked = `This run has ${next.steps.length} steps, so there is no step ${at + 1}; it starts at step 1.`
      return {
        ...next,
        notice: next.notice ? `${next.notice} ${asked}` : asked,
        pending: { ...next.pending, startAt: null },
      }
    }
    case 'failed':
      return { ...s, busy: false, error: action.error }
    case 'moved':
      return moved(s)
    case 'show': {
      const index = Math.max(0, Math.min(action.index, lastIndex(s)))
      const m = moved(s)
      return m.index === index ? m : { ...m, index }
    }
    case 'rewound':
      return { ...s, steps: s.steps.slice(0, action.keep), complete: false }
    case 'branching':
      // The run now follows the learner's change: it is no longer the variant's run to compare.
      return {
        ...s,
        playing: false,
        busy: true,
        complete: false,
        parted: null,
        pending: { ...s.pending, from: null, matchPending: false },
      }
    case 'branched':
      return {
        ...s,
        steps: action.steps,
        index: Math.max(0, Math.min(action.index, action.steps.length - 1)),
      }
    case 'play': {
      const m = moved(s)
      const atEnd = m.complete && m.index >= m.steps.length - 1
      return { ...m, playing: true, index: atEnd ? 0 : m.index }
    }
    case 'pause':
    case 'played':
      return s.playing ? { ...s, playing: false } : s
    case 'speed': {
      const speed = Math.min(4, Math.max(0.5, Number.isFinite(action.speed) ? action.speed : 1))
      return speed === s.speed ? s : { ...s, speed }
    }
    case 'theme':
      return { ...s, theme: action.theme }
    case 'dismissNotice':
      return s.notice === null ? s : { ...s, notice: null }
  }
}
