/**
 * The lab's store: the step machine the UI drives. Vanilla zustand (usable without React);
 * the only place effects run. The whole run is computed ahead (with the simulated user's
 * answers) so Next only reveals; acting differently on a page rewinds and computes a new branch.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import { defaultConfig, normalizeScope } from '../flow/config.ts'
import { findScenarioInfo, scenarioConfig } from '../flow/scenarios/catalog.ts'
import { startPreview } from '../flow/start.ts'
import type { Flow } from '../flow/engine/flow.ts'
import type { FlowConfig, ShownStep, Step, UserInput, Variant } from '../flow/types.ts'
import { divergenceIndex, matchingStep } from '../flow/variants.ts'
import type { HttpRequest, SigningKey } from '../protocol/index.ts'
import type * as Engine from './engine.ts'

/**
 * Calls `fn` in a task after the page's next paint; in a new task where nothing paints (no page,
 * or a hidden one, whose frames wait until it shows).
 */
function whenPainted(fn: () => void): void {
  if (typeof requestAnimationFrame !== 'function' || globalThis.document?.visibilityState === 'hidden') {
    setTimeout(fn, 0)
    return
  }
  requestAnimationFrame(() => setTimeout(fn, 0))
}

let engine: Promise<typeof Engine> | null = null

/**
 * The simulated world and the step machine (engine.ts), loaded once for every lab on the page:
 * after the page's first paint, so the first step is on screen before the world's code is even
 * fetched.
 */
export function loadEngine(): Promise<typeof Engine> {
  engine ??= new Promise<void>((painted) => whenPainted(painted)).then(() => import('./engine.ts'))
  // A failed load is tried again by the next lab (or restart), not remembered.
  engine.catch(() => (engine = null))
  return engine
}

export const SPEEDS = [0.5, 1, 1.5, 2, 3, 4] as const
/** Milliseconds between autoplay steps at 1×. */
export const BASE_INTERVAL = 2200

export type Theme = 'system' | 'light' | 'dark'

/** Timers, injected so tests can use fake ones. */
export interface Scheduler {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
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
  /**
   * The same state, caught up after the page has painted each change: what the drawings (lanes,
   * browser, HTTP log, diagram) show. A Next puts the narration, the controls and the state on
   * screen in the first frame; the drawings follow, so their work never delays that frame.
   */
  readonly drawn: StoreApi<LabState & LabActions>
}

export interface LabStoreOptions {
  config?: Partial<FlowConfig>
  /** Start of simulated time (default: now). */
  now?: number
  keys?: SigningKey[] | Promise<SigningKey[]>
  scheduler?: Scheduler
  theme?: Theme
  /** Where to start (step index), once computed; past the end, the first step with a notice. */
  step?: number
  /** A notice to show from the start (what a link asked for and was ignored). */
  notice?: string | null
  /**
   * Runs `fn` when `drawn` may catch up with a change: by default in a task after the page's next
   * paint. Tests pass their own (`(fn) => fn()` draws at once).
   */
  whenPainted?: (fn: () => void) => void
}

/**
 * Resolves when the browser is idle (or in a new task where there is no idle callback), so
 * painting, input and anything else waiting comes before the next action of a run computed ahead.
 */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') {
      requestIdleCallback(() => resolve(), { timeout: 250 })
      return
    }
    // A message, not a timer: nested timers are clamped to 4 ms.
    if (typeof MessageChannel !== 'function') {
      globalThis.setTimeout(resolve, 0)
      return
    }
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      resolve()
    }
    channel.port2.postMessage(null)
  })
}

/** Creates one lab's store; each embed has its own. */
export function createLabStore(options: LabStoreOptions = {}): LabStore {
  const scheduler: Scheduler = options.scheduler ?? {
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  }
  const keys: Promise<SigningKey[]> = Promise.resolve(
    options.keys ?? loadEngine().then((e) => e.generateSigningKey('lab-key')).then((k) => [k]),
  )
  // Unawaited until the flow needs them: a failure here is reported by the run, not unhandled.
  keys.catch(() => {})
  const base = defaultConfig(options.now ?? Date.now())
  const initialConfig: FlowConfig = { ...base, ...options.config }
  initialConfig.scope = normalizeScope(initialConfig.scope, initialConfig.oidc)

  let flow: Flow | null = null
  let generation = 0
  let computing: Promise<void> = Promise.resolve()
  let timer: unknown = null
  let flowReady: Promise<void> = Promise.resolve()
  let acting = false
  /** The step a link asked to open at, until it exists. */
  let pendingStart: number | null = null
  /** The learner moved (Next, Back, a jump, Play) since the run started: a link's step no longer applies. */
  let learnerMoved = false
  /**
   * The run a variant switch came from (its steps, the step on screen, whether it was complete):
   * to open the matching step once it exists, and to tell where the runs part once that is known.
   */
  let switchedFrom: { steps: readonly Step[]; index: number; complete: boolean } | null = null
  /** The matching step of a variant switch is still to be opened. */
  let matchPending = false

  /** The configuration a run uses (the given one when its scenario is unknown: the run reports that). */
  function resolve(config: FlowConfig): FlowConfig {
    return scenarioConfig(config) ?? config
  }

  const live = createStore<LabState & LabActions>()((set, get) => {
    /** Computes the rest of the run from the flow's last step, with the simulated user. */
    function computeRest(gen: number): Promise<void> {
      const run = async () => {
        const f = flow
        if (!f) return
        set({ busy: true })
        try {
          while (!f.ended() && gen === generation) {
            await f.advance()
            if (gen !== generation) return
            set({ steps: [...f.steps] })
            reachStart()
            await nextTask()
          }
          if (gen === generation) set({ complete: f.ended(), busy: false })
          if (gen === generation) reachStart()
          if (gen === generation && pendingStart !== null && f.ended()) {
            const asked = `This run has ${f.steps.length} steps, so there is no step ${pendingStart + 1}; it starts at step 1.`
            pendingStart = null
            set((s) => ({ notice: s.notice ? `${s.notice} ${asked}` : asked }))
          }
        } catch (e) {
          if (gen === generation) set({ busy: false, error: `The simulation stopped: ${e instanceof Error ? e.message : String(e)}` })
        }
      }
      computing = computing.then(run, run)
      return computing
    }

    /** Opens the step a link asked for as soon as it exists, unless the learner moved already. */
    function reachStart() {
      reachMatch()
      if (pendingStart === null || get().steps.length <= pendingStart) return
      if (!learnerMoved && get().index === 0) set({ index: pendingStart })
      pendingStart = null
    }

    /**
     * After a variant switch: opens the step matching the one on screen as soon as the new run is
     * computed that far (unless the learner moved already), and sets `parted` once it is known.
     */
    function reachMatch() {
      const from = switchedFrom
      if (!from) return
      const { steps, complete } = get()
      if (matchPending && (steps.length > from.index || complete)) {
        matchPending = false
        if (!learnerMoved && get().index === 0) set({ index: matchingStep(from.steps, from.index, steps) })
      }
      const at = divergenceIndex(from.steps, steps)
      // A difference within both runs is where they part; where one run stops, only if it ended
      // there (the other, not computed that far yet, may still be the same).
      const known =
        at === null
          ? complete && from.complete
          : at < Math.min(from.steps.length, steps.length) ||
            (at === steps.length ? complete : from.complete)
      if (known) {
        set({ parted: at })
        if (!matchPending) switchedFrom = null
      } else if (complete && !from.complete && at === from.steps.length) {
        // The run switched from was not computed past here: where they part cannot be told.
        if (!matchPending) switchedFrom = null
      }
    }

    /** The learner's own move wins over the step a link asked for (even back to step 1). */
    function moved() {
      learnerMoved = true
      pendingStart = null
    }

    async function start(config: FlowConfig, startAt = 0, from: typeof switchedFrom = null): Promise<void> {
      const gen = ++generation
      pendingStart = null
      learnerMoved = false
      switchedFrom = from
      matchPending = from !== null
      stopTimer()
      set({ config, resolved: resolve(config), steps: [], preview: startPreview(config), index: 0, busy: true, complete: false, playing: false, error: null, runId: gen, parted: null })
      // Next pressed before the flow exists waits for it, rather than being lost.
      let markReady: () => void = () => {}
      flowReady = new Promise<void>((r) => (markReady = r))
      try {
        const { createFlow } = await loadEngine()
        const f = await createFlow(config, await keys)
        if (gen !== generation) return
        flow = f
        set({ steps: [...f.steps], resolved: f.config })
        pendingStart = startAt > 0 && !learnerMoved ? startAt : null
        reachStart()
        const rest = computeRest(gen)
        markReady()
        await rest
      } catch (e) {
        if (gen === generation) set({ busy: false, error: `The simulation could not start: ${e instanceof Error ? e.message : String(e)}` })
      } finally {
        markReady()
      }
    }

    function stopTimer() {
      if (timer !== null) scheduler.clearTimeout(timer)
      timer = null
    }

    function schedule() {
      stopTimer()
      const { playing, speed } = get()
      if (!playing) return
      timer = scheduler.setTimeout(() => {
        timer = null
        void tick()
      }, BASE_INTERVAL / speed)
    }

    async function tick() {
      if (!get().playing) return
      await get().next()
      const s = get()
      if (s.complete && s.index >= s.steps.length - 1) set({ playing: false })
      else schedule()
    }

    /**
     * Going back before the learner's first edited or replayed request undoes it: the run is
     * computed again, with the simulated user, from the clean step before `target`.
     */
    function undoEdits(target: number) {
      const f = flow
      const steps = get().steps
      const first = steps.findIndex((st) => st.edited === true || st.replayed === true)
      if (!f || acting || first < 0 || target >= first) return
      let clean = Math.min(Math.max(0, target), steps.length - 1)
      while (clean > 0 && !steps[clean]?.boundary) clean--
      const gen = ++generation
      // The steps before the edit come out the same: keep them on screen while the rest is computed.
      set({ steps: steps.slice(0, Math.max(clean, target) + 1), complete: false })
      const redo = async () => {
        if (gen === generation) f.rewind(clean)
      }
      computing = computing.then(redo, redo)
      void computeRest(gen)
    }

    /** Runs a learner's change (edit, replay) on the flow, then the rest of the run from there. */
    async function branch(change: (f: Flow) => Promise<Step[]>, show: (f: Flow) => number) {
      const f = flow
      if (!f || acting) return
      acting = true
      const gen = ++generation
      stopTimer()
      // The run now follows the learner's change: it is no longer the variant's run to compare.
      switchedFrom = null
      matchPending = false
      set({ playing: false, busy: true, complete: false, parted: null })
      try {
        await computing
        await change(f)
      } catch (e) {
        set({ busy: false, error: `The simulation stopped: ${e instanceof Error ? e.message : String(e)}` })
        return
      } finally {
        acting = false
      }
      set({ steps: [...f.steps], index: Math.max(0, Math.min(show(f), f.steps.length - 1)) })
      await computeRest(gen)
    }

    /** Waits until step `index` exists or the run is complete. */
    async function ensure(index: number) {
      await flowReady
      while (get().steps.length <= index && !get().complete && !get().error) {
        const before = get().steps.length
        await computing
        if (get().steps.length === before) break
      }
    }

    void start(initialConfig, options.step ?? 0)

    return {
      config: initialConfig,
      resolved: resolve(initialConfig),
      steps: [],
      preview: startPreview(initialConfig),
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

      async next() {
        moved()
        const target = get().index + 1
        await ensure(target)
        if (target < get().steps.length) set({ index: target })
      },
      back() {
        moved()
        undoEdits(get().index - 1)
        set((s) => ({ index: Math.max(0, s.index - 1) }))
      },
      async goTo(index) {
        moved()
        if (!Number.isInteger(index) || index < 0) return
        undoEdits(index)
        await ensure(index)
        set((s) => ({ index: Math.min(index, Math.max(0, s.steps.length - 1)) }))
      },
      first() {
        moved()
        undoEdits(0)
        set({ index: 0 })
      },
      async last() {
        moved()
        await ensure(Number.MAX_SAFE_INTEGER)
        set((s) => ({ index: Math.max(0, s.steps.length - 1) }))
      },
      reset() {
        moved()
        undoEdits(0)
        stopTimer()
        set({ index: 0, playing: false })
      },
      play() {
        moved()
        const s = get()
        if (s.complete && s.index >= s.steps.length - 1) set({ index: 0 })
        set({ playing: true })
        schedule()
      },
      pause() {
        stopTimer()
        set({ playing: false })
      },
      togglePlay() {
        if (get().playing) get().pause()
        else get().play()
      },
      setSpeed(speed) {
        const clamped = Math.min(4, Math.max(0.5, Number.isFinite(speed) ? speed : 1))
        set({ speed: clamped })
        if (get().playing) schedule()
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
        const from = s.steps.length > 0 ? { steps: s.steps, index: s.index, complete: s.complete } : null
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
        set({ theme })
      },
      dismissNotice() {
        set({ notice: null })
      },
      async resend(stepIndex, edited) {
        const step = get().steps[stepIndex]
        if (!step || step.kind.type !== 'request') return
        const id = step.kind.exchangeId
        await branch(
          (f) => f.resend(id, edited),
          // The server's answer to the edited request at once; its request step stays, one Back away.
          (f) => {
            const sent = f.steps.findIndex((st) => st.edited === true && st.kind.type === 'request' && st.kind.exchangeId === id)
            const answer = f.steps.findIndex((st, i) => i > sent && st.kind.type === 'response' && st.kind.exchangeId === id)
            return sent >= 0 && answer >= 0 ? answer : sent
          },
        )
      },
      async replay(exchangeId) {
        const s = get()
        // From the step on screen, or the first clean step after it (the end of its action).
        const from = s.steps.slice(s.index).find((st) => st.boundary)
        if (!from || !s.steps.slice(0, s.index + 1).some((st) => st.kind.type === 'request' && st.kind.exchangeId === exchangeId)) return
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
  const drawn = createStore<LabState & LabActions>()(() => live.getState())
  const painted = options.whenPainted ?? whenPainted
  let drawing = false
  live.subscribe(() => {
    if (drawing) return
    drawing = true
    painted(() => {
      drawing = false
      drawn.setState(live.getState(), true)
    })
  })
  return Object.assign(live, { drawn })
}
