/**
 * The lab's store: the step machine the UI drives. Vanilla zustand (usable without React).
 *
 * - The state and how it changes: the pure reducer in reducer.ts (`reduce(state, action)`).
 * - The effects: this file's runner, the only place they happen. It computes the run with the
 *   simulated world (the whole run ahead, with the simulated user's answers, so Next only
 *   reveals; a learner's different answer rewinds and computes a new branch), plays, and
 *   dispatches what each effect produced.
 * - Time: one injected registry (timers.ts), so tests run a lab on manual time.
 *
 * The last command wins: a move (next, back, goTo, first, last, reset) that is still waiting for
 * its step to be computed gives way to any move made after it.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import { defaultConfig, normalizeScope } from '../flow/config.ts'
import { findScenarioInfo, scenarioConfig } from '../flow/scenarios/catalog.ts'
import { startPreview } from '../flow/start.ts'
import type { Flow } from '../flow/engine/flow.ts'
import type { FlowConfig, Step, UserInput, Variant } from '../flow/types.ts'
import type { HttpRequest, SigningKey } from '../protocol/index.ts'
import type * as Engine from './engine.ts'
import {
  initialState,
  reduce,
  type LabAction,
  type LabState,
  type SwitchedFrom,
  type Theme,
} from './reducer.ts'
import { createTimers, type Cancel, type Timers } from './timers.ts'

export { SPEEDS, type LabState, type LabAction, type Theme } from './reducer.ts'

/** Milliseconds between autoplay steps at 1×. */
export const BASE_INTERVAL = 2200

let engine: Promise<typeof Engine> | null = null

/**
 * The simulated world and the step machine (engine.ts), loaded once for every lab on the page:
 * after the page's first paint (as `timers`, the asking lab's, tell it), so the first step is on
 * screen before the world's code is even fetched. A lab disposed before that paint waits forever;
 * the others are not held up by it.
 */
export function loadEngine(timers: Timers = createTimers()): Promise<typeof Engine> {
  if (engine) return engine
  return new Promise<void>((painted) => timers.afterPaint(painted)).then(() => {
    engine ??= import('./engine.ts')
    // A failed load is tried again by the next lab (or restart), not remembered.
    engine.catch(() => (engine = null))
    return engine
  })
}

export interface LabActions {
  next(): Promise<void>
  back(): void
  goTo(index: number): Promise<void>
  first(): void
  last(): Promise<void>
  reset(): void
  play(): void
  pause(): void
  togglePlay(): void
  setSpeed(speed: number): void
  /** Changes settings; the flow starts again with them. */
  setConfig(patch: Partial<FlowConfig>): Promise<void>
  /**
   * Switches an attack scenario to its other variant, keeping the learner's place: the new run
   * opens at the same step while the two runs are the same, else where they part (`parted`).
   * Nothing happens for a scenario without variants, or the variant already running.
   */
  setVariant(variant: Variant): Promise<void>
  /** The learner answers the login or consent page on screen. */
  act(input: UserInput): Promise<void>
  /** Fast-forwards the simulated clock from the (clean) step on screen; the run goes on from there. */
  fastForward(seconds: number): Promise<void>
  setTheme(theme: Theme): void
  dismissNotice(): void
  /**
   * Edit and resend: the request of step `stepIndex` is sent again edited, from the clean step
   * before it; the run follows the server's answer. Back (or Reset) before it undoes it.
   */
  resend(stepIndex: number, edited: HttpRequest): Promise<void>
  /** Sends exchange `exchangeId`'s request again now, after the step on screen (Replay). */
  replay(exchangeId: number): Promise<void>
}

export type LabStore = StoreApi<LabState & LabActions> & {
  /** This lab's timers: what the views wait on too (a paint, a settled address). */
  readonly timers: Timers
  /** Stops the lab: its computing, autoplay and every timer. */
  dispose(): void
}

export interface LabStoreOptions {
  config?: Partial<FlowConfig>
  /** Start of simulated time (default: now). */
  now?: number
  keys?: SigningKey[] | Promise<SigningKey[]>
  /** The lab's timers (default: the page's own); tests pass manual ones. */
  timers?: Timers
  theme?: Theme
  /** Where to start (step index), once computed; past the end, the first step with a notice. */
  step?: number
  /** A notice to show from the start (what a link asked for and was ignored). */
  notice?: string | null
}

/** The configuration a run uses (the given one when its scenario is unknown: the run reports that). */
function resolve(config: FlowConfig): FlowConfig {
  return scenarioConfig(config) ?? config
}

const failure = (what: string, e: unknown) =>
  `${what}: ${e instanceof Error ? e.message : String(e)}`

/** Creates one lab's store; each embed has its own. */
export function createLabStore(options: LabStoreOptions = {}): LabStore {
  const timers = options.timers ?? createTimers()
  const keys: Promise<SigningKey[]> = Promise.resolve(
    options.keys ??
      loadEngine(timers)
        .then((e) => e.generateSigningKey('lab-key'))
        .then((k) => [k]),
  )
  // Unawaited until the flow needs them: a failure here is reported by the run, not unhandled.
  keys.catch(() => ({}))
  const base = defaultConfig(options.now ?? Date.now())
  const initialConfig: FlowConfig = { ...base, ...options.config }
  initialConfig.scope = normalizeScope(initialConfig.scope, initialConfig.oidc)

  // The runner's entry points, set when the store is made.
  let firstRun = () => {}
  let stopRunner = () => {}
  const store = createStore<LabState & LabActions>()((set, get) => {
    const dispatch = (action: LabAction) => {
      const before = get()
      const after = reduce(before, action)
      if (after !== before) set(after)
    }

    // The runner's effects and what they hold.
    /** The run being computed: aborted when another replaces it (a restart, a branch, a rewind). */
    let run = new AbortController()
    let flow: Flow | null = null
    /** Every use of the flow, one after another (computing, rewinding, a learner's change). */
    let queue: Promise<void> = Promise.resolve()
    /** Resolves once the current run's flow exists (or failed to). */
    let created: Promise<void> = Promise.resolve()
    /** The latest move: a move waiting for its step gives way to any later one. */
    let moves = 0
    let autoplay: Cancel | null = null

    const serially = (job: () => Promise<void>): Promise<void> => (queue = queue.then(job, job))

    function newRun(): AbortSignal {
      run.abort()
      run = new AbortController()
      return run.signal
    }

    /** Computes the rest of the run from the flow's last step, with the simulated user. */
    function computeRest(signal: AbortSignal): Promise<void> {
      return serially(async () => {
        const f = flow
        if (!f || signal.aborted) return
        dispatch({ type: 'computing' })
        try {
          while (!f.ended()) {
            await f.advance()
            if (signal.aborted) return
            dispatch({ type: 'computed', steps: [...f.steps] })
            await timers.idle()
            if (signal.aborted) return
          }
          dispatch({ type: 'settled', complete: f.ended() })
        } catch (e) {
          if (!signal.aborted)
            dispatch({ type: 'failed', error: failure('The simulation stopped', e) })
        }
      })
    }

    async function start(
      config: FlowConfig,
      startAt = 0,
      from: SwitchedFrom | null = null,
    ): Promise<void> {
      const signal = newRun()
      stopAutoplay()
      dispatch({
        type: 'start',
        config,
        resolved: resolve(config),
        preview: startPreview(config),
        runId: get().runId + 1,
        startAt,
        from,
      })
      // Next pressed before the flow exists waits for it, rather than being lost.
      let markCreated: () => void = () => {}
      created = new Promise<void>((r) => (markCreated = r))
      try {
        const { createFlow } = await loadEngine(timers)
        const f = await createFlow(config, await keys)
        if (signal.aborted) return
        flow = f
        dispatch({ type: 'created', steps: [...f.steps], resolved: f.config })
        const rest = computeRest(signal)
        markCreated()
        await rest
      } catch (e) {
        if (!signal.aborted)
          dispatch({ type: 'failed', error: failure('The simulation could not start', e) })
      } finally {
        markCreated()
      }
    }

    function stopAutoplay() {
      autoplay?.()
      autoplay = null
    }

    function scheduleAutoplay() {
      stopAutoplay()
      const { playing, speed } = get()
      if (!playing) return
      autoplay = timers.timeout(() => {
        autoplay = null
        void tick()
      }, BASE_INTERVAL / speed)
    }

    async function tick() {
      if (!get().playing) return
      await get().next()
      const s = get()
      if (s.complete && s.index >= s.steps.length - 1) dispatch({ type: 'played' })
      else scheduleAutoplay()
    }

    /** A learner's change is being applied (act, resend, replay, fast-forward). */
    let changing = false

    /**
     * Going back before the learner's first edited or replayed request undoes it: the run is
     * computed again, with the simulated user, from the clean step before `target`.
     */
    function undoEdits(target: number) {
      const f = flow
      const steps = get().steps
      const first = steps.findIndex((st) => st.edited === true || st.replayed === true)
      if (!f || changing || first < 0 || target >= first) return
      let clean = Math.min(Math.max(0, target), steps.length - 1)
      while (clean > 0 && !steps[clean]?.boundary) clean--
      const signal = newRun()
      // The steps before the edit come out the same: keep them on screen while the rest is computed.
      dispatch({ type: 'rewound', keep: Math.max(clean, target) + 1 })
      void serially(async () => {
        if (!signal.aborted) f.rewind(clean)
      })
      void computeRest(signal)
    }

    /** Runs a learner's change (edit, replay) on the flow, then the rest of the run from there. */
    async function branch(change: (f: Flow) => Promise<Step[]>, show: (f: Flow) => number) {
      const f = flow
      if (!f || changing) return
      changing = true
      const signal = newRun()
      stopAutoplay()
      dispatch({ type: 'branching' })
      try {
        await queue
        await change(f)
      } catch (e) {
        dispatch({ type: 'failed', error: failure('The simulation stopped', e) })
        return
      } finally {
        changing = false
      }
      dispatch({ type: 'branched', steps: [...f.steps], index: show(f) })
      await computeRest(signal)
    }

    /**
     * A move: `move` runs once step `need` exists (or the run is complete), unless a later move
     * came first. Returns whether it ran.
     */
    async function moveWhen(need: number, move: () => void): Promise<void> {
      const me = ++moves
      dispatch({ type: 'moved' })
      await created
      while (get().steps.length <= need && !get().complete && !get().error && me === moves) {
        const before = get().steps.length
        await queue
        if (get().steps.length === before) break
      }
      if (me === moves) move()
    }

    /** A move that needs no step computed: it overtakes any move still waiting. */
    function moveNow(move: () => void) {
      ++moves
      move()
    }

    stopRunner = () => {
      run.abort()
      stopAutoplay()
    }

    firstRun = () => void start(initialConfig, options.step ?? 0)

    return {
      ...initialState({
        config: initialConfig,
        resolved: resolve(initialConfig),
        preview: startPreview(initialConfig),
        theme: options.theme,
        notice: options.notice,
      }),

      async next() {
        const target = get().index + 1
        await moveWhen(target, () => {
          if (target < get().steps.length) dispatch({ type: 'show', index: target })
        })
      },
      back() {
        moveNow(() => {
          const target = get().index - 1
          undoEdits(target)
          dispatch({ type: 'show', index: target })
        })
      },
      async goTo(index) {
        if (!Number.isInteger(index) || index < 0) {
          dispatch({ type: 'moved' })
          return
        }
        undoEdits(index)
        await moveWhen(index, () => dispatch({ type: 'show', index }))
      },
      first() {
        moveNow(() => {
          undoEdits(0)
          dispatch({ type: 'show', index: 0 })
        })
      },
      async last() {
        await moveWhen(Number.MAX_SAFE_INTEGER, () =>
          dispatch({ type: 'show', index: get().steps.length - 1 }),
        )
      },
      reset() {
        moveNow(() => {
          undoEdits(0)
          stopAutoplay()
          dispatch({ type: 'show', index: 0 })
          dispatch({ type: 'pause' })
        })
      },
      play() {
        dispatch({ type: 'play' })
        scheduleAutoplay()
      },
      pause() {
        stopAutoplay()
        dispatch({ type: 'pause' })
      },
      togglePlay() {
        if (get().playing) get().pause()
        else get().play()
      },
      setSpeed(speed) {
        dispatch({ type: 'speed', speed })
        if (get().playing) scheduleAutoplay()
      },
      async setConfig(patch) {
        const config = { ...get().config, ...patch }
        config.scope = normalizeScope(config.scope, config.oidc)
        if (patch.scope !== undefined && patch.oidc === undefined) {
          // Typing openid in the scope list switches OpenID Connect on, and removing it off.
          config.oidc = patch.scope.split(/\s+/).includes('openid')
          config.scope = normalizeScope(patch.scope, config.oidc)
        }
        await start(config)
      },
      async setVariant(variant) {
        const s = get()
        if (!findScenarioInfo(s.resolved.scenario)?.variants) return
        if ((s.resolved.variant ?? 'defended') === variant) return
        const config = { ...s.config, variant }
        // Before the world has loaded there is no place to keep: the new run starts at step 1.
        const from =
          s.steps.length > 0 ? { steps: s.steps, index: s.index, complete: s.complete } : null
        await start(config, 0, from)
      },
      async act(input) {
        const step = get().steps[get().index]
        const expected = input.type === 'credentials' ? 'credentials' : 'consent'
        if (!step || !step.boundary || step.awaiting !== expected) return
        let answer: Step | undefined
        await branch(
          async (f) => {
            f.rewind(step.index)
            const added = await f.act(input)
            // The server's answer to what the learner sent: the page (or redirect) it sends back.
            answer = added.find((st) => st.kind.type === 'response')
            return added
          },
          () => answer?.index ?? step.index + 1,
        )
      },
      async fastForward(seconds) {
        const step = get().steps[get().index]
        if (!step || step.kind.type === 'end') return
        if (!Number.isFinite(seconds) || seconds <= 0) return
        let time: Step | undefined
        await branch(
          // From a clean step the time step comes next; mid-action, the action runs again and the
          // time passes just before its next message leaves.
          async (f) => {
            const added = await f.tickAt(step.index, seconds)
            time = added.find((st) => st.kind.type === 'time')
            return added
          },
          () => time?.index ?? step.index + 1,
        )
      },
      setTheme(theme) {
        dispatch({ type: 'theme', theme })
      },
      dismissNotice() {
        dispatch({ type: 'dismissNotice' })
      },
      async resend(stepIndex, edited) {
        const step = get().steps[stepIndex]
        if (!step || step.kind.type !== 'request') return
        const id = step.kind.exchangeId
        await branch(
          (f) => f.resend(id, edited),
          // The server's answer to the edited request at once; its request step stays, one Back away.
          (f) => {
            const sent = f.steps.findIndex(
              (st) => st.edited === true && st.kind.type === 'request' && st.kind.exchangeId === id,
            )
            const answer = f.steps.findIndex(
              (st, i) => i > sent && st.kind.type === 'response' && st.kind.exchangeId === id,
            )
            return sent >= 0 && answer >= 0 ? answer : sent
          },
        )
      },
      async replay(exchangeId) {
        const s = get()
        // From the step on screen, or the first clean step after it (the end of its action).
        const from = s.steps.slice(s.index).find((st) => st.boundary)
        if (
          !from ||
          !s.steps
            .slice(0, s.index + 1)
            .some((st) => st.kind.type === 'request' && st.kind.exchangeId === exchangeId)
        )
          return
        await branch(
          async (f) => {
            f.rewind(from.index)
            return f.replay(exchangeId)
          },
          () => from.index + 1,
        )
      },
    }
  })
  firstRun()
  return Object.assign(store, {
    timers,
    dispose() {
      stopRunner()
      timers.dispose()
    },
  })
}
