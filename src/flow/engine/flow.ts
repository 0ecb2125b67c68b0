/**
 * A flow: the world plus the steps seen so far. `advance` runs the next action and records one
 * step per message (request or response) and per user action, each with a snapshot of the world
 * at that moment. `rewind` goes back to a clean point so a different choice starts a new branch.
 */
import {
  assembleWorld,
  createWorldState,
  getHeader,
  type Attacker,
  type Browser,
  type Exchange,
  type HttpRequest,
  type HttpResponse,
  type NetworkEvent,
  type RequestInterceptor,
  type SigningKey,
  type SpaApp,
  type World,
  type WorldState,
} from '../../protocol/index.ts'
import { awaitingOf, userAction } from './director.ts'
import { FlowError } from './errors.ts'
import { NETWORK_MOVES, performAttackerMove, performClientOp } from './moves.ts'
import { describeAttackerMove, describeExchange, describeTime, describeUser, described, LINKS, type Described } from '../narration/narration.ts'
import { attackerMoveStatus, laneStatuses } from './statuses.ts'
import { resolveScenario, scenarioNextAction } from '../scenarios/index.ts'
import { startPreview } from '../start.ts'
import { formatDuration } from '../views/time.ts'
import type { Scenario } from '../scenarios/types.ts'
import type { AnsweredStep } from '../views/browser.ts'
import type { Action, FlowConfig, Milestone, Step, StepKind, UserAction, UserInput } from '../types.ts'

export { FlowError }

/** Seconds of simulated time each user action takes. */
const THINKING_SECONDS: Record<UserAction, number> = {
  open: 2,
  'click-sign-in': 4,
  'sign-in': 12,
  allow: 5,
  deny: 5,
  'visit-lure': 3,
  'follow-link': 4,
  upload: 6,
}

/** The SPA's method for each of its operations. */
const SPA_OPS = {
  open: 'open',
  'start-login': 'startLogin',
  'handle-callback': 'handleCallback',
  'call-api': 'callApi',
  refresh: 'refresh',
  revoke: 'revoke',
} as const satisfies Record<Extract<Action, { type: 'spa' }>['op'], keyof SpaApp>

/**
 * Whether a response tells of a failure: a status of 400 or more, or a redirect whose Location
 * carries `error=` in its query or fragment (how an authorization endpoint reports an error to the
 * client). `url` is the request's, to resolve a relative Location.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export function isFailedResponse(response: HttpResponse, url: string): boolean {
  if (response.status >= 400) return true
  if (response.status < 300 || response.status >= 400) return false
  const location = getHeader(response.headers, 'location')
  if (location === null) return false
  const target = parseUrl(location) ?? parseUrl(location, url)
  // A Location no URL parser takes leads nowhere: not an error the server reported.
  if (!target) return false
  return target.searchParams.has('error') || new URLSearchParams(target.hash.slice(1)).has('error')
}

function parseUrl(url: string, base?: string): URL | null {
  try {
    return new URL(url, base)
  } catch {
    return null
  }
}

export interface Flow {
  /** The configuration the flow runs with: the one given, with its scenario's patch applied. */
  readonly config: FlowConfig
  /** The scenario named by `config.scenario`. */
  readonly scenario: Scenario
  readonly steps: readonly Step[]
  readonly world: World
  /** Whether the last step ends the flow. */
  ended(): boolean
  /** Runs the next action; resolves with the steps it added (at least one unless ended). */
  advance(input?: UserInput): Promise<Step[]>
  /** Answers the page on screen with the learner's input, from a clean step. */
  act(input: UserInput): Promise<Step[]>
  /** Drops the steps after `index` (which must be a clean point) and restores the world there. */
  rewind(index: number): void
  /**
   * Edit and resend: goes back to the clean step before the request of exchange `exchangeId` and
   * runs the action that sent it again, with `edited` sent instead; the flow follows the answer.
   */
  resend(exchangeId: number, edited: HttpRequest): Promise<Step[]>
  /** Sends exchange `exchangeId`'s request again now, from the (clean) last step: a step of its own. */
  replay(exchangeId: number): Promise<Step[]>
  /** Fast-forwards the simulated clock by `seconds` from a clean step: one time step, nothing sent. */
  tick(seconds: number): Promise<Step[]>
  /**
   * Fast-forwards at step `index`, even in the middle of an action: from the clean step before it,
   * the action runs again and the time passes just before the next message after `index` leaves
   * (at a clean step, or when nothing more leaves in that action, it is `rewind` + `tick`).
   */
  tickAt(index: number, seconds: number): Promise<Step[]>
}

/**
 * Creates a flow for a configuration, with its first step (the world before anything happens).
 * The scenario named by `config.scenario` fixes part of the configuration and adds its beats;
 * an unknown id rejects with `FLOW_UNKNOWN_SCENARIO`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 */
export async function createFlow(given: FlowConfig, keys?: SigningKey[]): Promise<Flow> {
  const { scenario, config, settings } = await resolveScenario(given)
  const state = await createWorldState({ seed: config.seed, now: config.now, keys, settings })
  const { world, browser, spa, attacker } = assembleWorld(state)
  const steps: Step[] = []
  let running = false
  /** What ran after each clean step (to run it again, edited): an action, or a replay. */
  const ranAfter = new WeakMap<Step, { action: Action; answer: UserInput | null } | { replay: number }>()
  /** The learner's own answer to the page, while the action it starts runs (`act`). */
  let answering: UserInput | null = null
  /** The exchange whose request the learner edited, while its action runs again. */
  let editing: number | null = null
  const preview = startPreview(config)
  if (!preview) throw new FlowError('FLOW_UNKNOWN_SCENARIO', `no scenario "${config.scenario}"`)
  const start: Step = {
    ...preview,
    statuses: laneStatuses(world.state, null, null, null),
    snapshot: world.snapshot(),
    boundary: true,
    awaiting: null,
    progress: [],
  }
  steps.push(start)

  /**
   * The step whose snapshot is still open: a step shows the world as it is just before the next
   * message leaves (so the receiver's work on a request is visible in that request's step).
   */
  let open: { step: Step; x: Exchange | null; dir: 'request' | 'response' | null; revealed: number; responded: Set<number> } | null = null

  function close(boundary: boolean) {
    if (!open) return
    const { step, x, dir, revealed, responded } = open
    step.snapshot = world.snapshot()
    step.boundary = boundary
    step.awaiting = boundary ? awaitingOf(step.snapshot) : null
    step.statuses = laneStatuses(step.snapshot, x, dir, step.awaiting, revealed, responded)
    if (step.kind.type === 'attacker') step.statuses.attacker = attackerMoveStatus(step.kind.move)
    if (step.kind.type === 'user') step.statuses[step.from ?? 'browser'] = { kind: 'acting', params: { action: step.kind.action } }
    open = null
  }

  function push(kind: StepKind, d: Described, x: Exchange | null, dir: 'request' | 'response' | null, progress: Milestone[]) {
    close(false)
    const actor = kind.type === 'user' ? 'browser' : kind.type === 'attacker' ? 'attacker' : null
    const step: Step = {
      index: steps.length,
      kind,
      from: x ? (dir === 'request' ? x.from : x.to) : actor,
      to: x ? (dir === 'request' ? x.to : x.from) : null,
      channel: x?.channel ?? null,
      phase: d.phase,
      label: d.label,
      failed: dir === 'response' && x?.response ? isFailedResponse(x.response, x.request.url) : false,
      ...(dir === 'response' && x?.response ? { status: x.response.status } : {}),
      title: d.title,
      narration: d.narration,
      ...(d.more ? { more: d.more } : {}),
      links: d.links,
      statuses: laneStatuses(world.state, null, null, null),
      active: x ? ([x.from, x.to].filter(Boolean) as Step['active']) : actor ? [actor] : [],
      snapshot: world.state,
      boundary: false,
      awaiting: null,
      progress,
    }
    steps.push(step)
    const responded = new Set<number>()
    for (const st of steps) if (st.kind.type === 'response') responded.add(st.kind.exchangeId)
    open = { step, x: x ? structuredClone(x) : null, dir, revealed: world.state.exchanges.length, responded }
    // A user step shows the page as the user sees it while acting, before anything is sent.
    if (kind.type === 'user') close(false)
    return step
  }

  /** Who started a navigation: the app's own page for its sign-in link, the page on screen for a link clicked there. */
  function initiatorOf(action: Extract<Action, { type: 'navigate' }>): string | null {
    if (action.user === 'click-sign-in') return new URL(action.url).origin
    if (action.user === 'follow-link') {
      try {
        return new URL(world.state.browser.url).origin
      } catch {
        return null
      }
    }
    return null
  }

  async function perform(action: Action, browserApi: Browser, spaApp: SpaApp, attackerApi: Attacker): Promise<void> {
    switch (action.type) {
      case 'navigate':
        await browserApi.navigate(action.url, { initiator: initiatorOf(action) })
        return
      case 'follow-redirect':
        await browserApi.followRedirect()
        return
      case 'submit':
        await browserApi.submit(action.formId, action.values, action.button)
        return
      case 'spa':
        await spaApp[SPA_OPS[action.op]]()
        return
      case 'client':
        await performClientOp(world, browserApi, config, action.op)
        return
      case 'clock':
        world.advance(action.seconds)
        return
      case 'attacker':
        await performAttackerMove(world, attackerApi, config, action.move)
        return
      case 'end':
        return
      default: {
        const never: never = action
        throw new FlowError('FLOW_ILLEGAL_STEP', `unknown action ${JSON.stringify(never)}`)
      }
    }
  }

  function last(): Step {
    const s = steps[steps.length - 1]
    if (!s) throw new FlowError('FLOW_ILLEGAL_STEP', 'the flow has no steps')
    return s
  }

  /** Marks the request step of the exchange the learner edited. */
  function markEdited(step: Step, e: NetworkEvent) {
    if (e.type !== 'request' || e.exchange.id !== editing) return
    step.edited = true
    step.narration = `Edited by you: ${step.narration}`
  }

  /** Sends an exchange's request again, as recorded (or edited), as steps of their own. */
  async function replay(exchangeId: number): Promise<Step[]> {
    if (running) throw new FlowError('FLOW_BUSY', 'an action is already running')
    const at = last()
    if (!at.boundary) throw new FlowError('FLOW_ILLEGAL_STEP', 'a request can be sent again only from a clean step')
    const x = world.state.exchanges.find((e) => e.id === exchangeId)
    if (!x) throw new FlowError('FLOW_ILLEGAL_STEP', `no exchange ${exchangeId}`)
    running = true
    ranAfter.set(at, { replay: exchangeId })
    const before = steps.length
    const progress = [...at.progress]
    const unsubscribe = world.subscribe((e) => {
      const step = push({ type: e.type, exchangeId: e.exchange.id }, describeExchange(e.exchange, e.type, config, world.state), e.exchange, e.type, progress)
      if (e.type === 'request') {
        step.replayed = true
        step.narration = `Sent again by you: ${step.narration}`
      }
      markEdited(step, e)
    })
    try {
      await world.send(x.from, x.channel, structuredClone(x.request), x.fromOrigin)
    } finally {
      unsubscribe()
      close(true)
      running = false
    }
    // Replayed after the end: the flow ends again, told as it stands now.
    if (at.kind.type === 'end') await run({ type: 'end', outcome: at.kind.outcome })
    return steps.slice(before)
  }

  async function run(action: Action): Promise<Step[]> {
    if (running) throw new FlowError('FLOW_BUSY', 'an action is already running')
    if (last().kind.type === 'end') throw new FlowError('FLOW_ENDED', 'the flow has ended; reset or go back first')
    running = true
    ranAfter.set(last(), { action, answer: answering })
    const before = steps.length
    const progress = [...last().progress]
    if ('milestone' in action && action.milestone) progress.push(action.milestone)
    try {
      if (action.type === 'end') {
        const ending = scenario.ending({ world: world.state, config, progress })
        const outcome = ending?.outcome ?? action.outcome
        const words = ending
          ? described(ending.title, ending.narration, ending.label ?? (outcome === 'success' ? 'Done' : 'Ended'), null, ending.links, ending.more)
          : describeEnd(world.state, config, outcome)
        push({ type: 'end', outcome, ...(scenario.attack ? { attack: true } : {}) }, words, null, null, progress)
        close(true)
        return steps.slice(before)
      }
      // Steps of their own, with nothing sent: time passes, or the attacker copies, crafts or plants.
      if (action.type === 'clock') {
        await perform(action, browser, spa, attacker)
        push({ type: 'time', seconds: action.seconds }, describeTime(action.seconds, action.reason), null, null, progress)
        close(true)
        return steps.slice(before)
      }
      if (action.type === 'attacker' && !NETWORK_MOVES.has(action.move)) {
        await perform(action, browser, spa, attacker)
        push({ type: 'attacker', move: action.move }, describeAttackerMove(action.move, world.state, config), null, null, progress)
        close(true)
        return steps.slice(before)
      }
      const user = action.type === 'navigate' || action.type === 'submit' ? action.user : action.type === 'spa' && action.op === 'start-login' ? 'click-sign-in' : null
      // People take time: the simulated clock moves on while the user reads, types and clicks,
      // so expiry times count down as they would.
      if (user) world.advance(THINKING_SECONDS[user])
      if (user && user !== 'open' && !(action.type === 'navigate' && user === 'click-sign-in')) {
        const username = action.type === 'submit' ? action.values.username : undefined
        const typing: AnsweredStep = push({ type: 'user', action: user }, describeUser(user, config, { username }), null, null, progress)
        if (answering) typing.answer = structuredClone(answering)
      }
      const listener = (e: NetworkEvent) => {
        const step = push({ type: e.type, exchangeId: e.exchange.id }, describeExchange(e.exchange, e.type, config, world.state), e.exchange, e.type, progress)
        markEdited(step, e)
      }
      const unsubscribe = world.subscribe(listener)
      try {
        await perform(action, browser, spa, attacker)
      } finally {
        unsubscribe()
      }
      const added = steps.slice(before)
      if (added.length > 0) {
        // The action is over: a clean point, where the page may now wait for the user.
        close(true)
      } else if (added.length === 0) {
        // An action that sent nothing (page code that failed before any request): end the flow.
        push({ type: 'end', outcome: 'failure', ...(scenario.attack ? { attack: true } : {}) }, describeEnd(world.state, config, 'failure'), null, null, progress)
        close(true)
      }
      return steps.slice(before)
    } finally {
      close(true)
      running = false
    }
  }

  /**
   * Goes back to the clean step before step `index` and runs again what ran after it, with
   * `interceptor` watching (or changing) the requests it sends.
   */
  async function rerun(index: number, refusal: string, interceptor: RequestInterceptor): Promise<Step[]> {
    let clean = index - 1
    while (clean > 0 && !steps[clean]?.boundary) clean--
    const from = steps[clean]
    const ran = from && ranAfter.get(from)
    if (!from || !ran) throw new FlowError('FLOW_ILLEGAL_STEP', refusal)
    steps.length = clean + 1
    world.restore(from.snapshot)
    world.setInterceptor(interceptor)
    try {
      if (!('action' in ran)) return await replay(ran.replay)
      // Run again, the learner's answer stays theirs.
      answering = ran.answer
      return await run(ran.action)
    } finally {
      answering = null
      world.setInterceptor(null)
    }
  }

  const flowApi: Flow = {
    config,
    scenario,
    steps,
    world,
    ended: () => last().kind.type === 'end',
    advance(input) {
      return run(scenarioNextAction(scenario, world.state, config, last().progress, input))
    },
    async act(input) {
      const awaiting = awaitingOf(world.state)
      const expected = input.type === 'credentials' ? 'credentials' : 'consent'
      if (!last().boundary || awaiting !== expected) {
        throw new FlowError('FLOW_ILLEGAL_STEP', `the page on screen does not ask for ${expected}`)
      }
      answering = input
      try {
        return await run(userAction(input))
      } finally {
        answering = null
      }
    },
    tick(seconds) {
      if (!Number.isFinite(seconds) || seconds <= 0) {
        return Promise.reject(new FlowError('FLOW_ILLEGAL_STEP', `cannot fast-forward by ${seconds} s`))
      }
      if (!last().boundary) {
        return Promise.reject(new FlowError('FLOW_ILLEGAL_STEP', 'fast-forward only from a clean step'))
      }
      return run({
        type: 'clock',
        seconds: Math.round(seconds),
        reason: `The learner fast-forwards the clock by ${formatDuration(Math.round(seconds))}.`,
      })
    },
    async tickAt(index, seconds) {
      if (running) throw new FlowError('FLOW_BUSY', 'an action is running')
      const target = steps[index]
      if (!target) throw new FlowError('FLOW_ILLEGAL_STEP', `no step ${index}`)
      if (!Number.isFinite(seconds) || seconds <= 0) {
        throw new FlowError('FLOW_ILLEGAL_STEP', `cannot fast-forward by ${seconds} s`)
      }
      const whole = Math.round(seconds)
      if (target.boundary) {
        flowApi.rewind(index)
        return flowApi.tick(whole)
      }
      let nextRequest: Step | undefined
      let boundary = index + 1
      for (; boundary < steps.length; boundary++) {
        const s = steps[boundary]
        if (!nextRequest && s?.kind.type === 'request') nextRequest = s
        if (s?.boundary) break
      }
      if (!nextRequest || nextRequest.kind.type !== 'request') {
        // Nothing more leaves in this action: the time passes once it is over.
        flowApi.rewind(boundary)
        return flowApi.tick(whole)
      }
      const exchangeId = nextRequest.kind.exchangeId
      const reason = `The learner fast-forwards the clock by ${formatDuration(whole)}, in the middle of this exchange.`
      return rerun(index, `step ${index} cannot be fast-forwarded`, (request, meta) => {
        if (meta.id === exchangeId) {
          world.advance(whole)
          push({ type: 'time', seconds: whole }, describeTime(whole, reason), null, null, [...last().progress])
        }
        return request
      })
    },
    async resend(exchangeId, edited) {
      if (running) throw new FlowError('FLOW_BUSY', 'an action is running')
      const at = steps.findIndex((s) => s.kind.type === 'request' && s.kind.exchangeId === exchangeId)
      if (at < 0) throw new FlowError('FLOW_ILLEGAL_STEP', `no request step for exchange ${exchangeId}`)
      editing = exchangeId
      try {
        return await rerun(at, `exchange ${exchangeId} cannot be sent again edited`, (request, meta) => (meta.id === exchangeId ? structuredClone(edited) : request))
      } finally {
        editing = null
      }
    },
    replay,
    rewind(index) {
      if (running) throw new FlowError('FLOW_BUSY', 'an action is running')
      const target = steps[index]
      if (!target) throw new FlowError('FLOW_ILLEGAL_STEP', `no step ${index}`)
      if (!target.boundary) throw new FlowError('FLOW_ILLEGAL_STEP', `step ${index} is in the middle of an action`)
      steps.length = index + 1
      world.restore(target.snapshot)
    },
  }
  return flowApi
}

function describeEnd(world: WorldState, config: FlowConfig, outcome: 'success' | 'failure'): Described {
  const client = config.clientType === 'confidential' ? world.web : world.spa
  const session = Object.values(client.sessions)[0]
  const error = session?.error
  if (outcome === 'success') {
    // What happened to the tokens, as the exchanges tell it.
    const answered = (path: string, grant?: string) =>
      world.exchanges.some(
        (x) =>
          (x.from === 'client' || x.from === 'browser') &&
          x.response?.status === 200 &&
          new URL(x.request.url).pathname === path &&
          (grant === undefined || new URLSearchParams(x.request.body).get('grant_type') === grant),
      )
    const done = [...(answered('/token', 'refresh_token') ? ['refreshed'] : []), ...(answered('/revoke') ? ['revoked'] : [])]
    const fate = done.length ? `were ${done.join(' and then ')}` : 'are held by the app'
    return described(
      'The flow is complete',
      `Alice let the app use her photos without giving it her password: delegated, scoped access. ${world.as.settings.singleUseCodes ? 'The code was used once; the' : 'The'} tokens ${fate}. Press Back to look again at any step, or change a setting to see what it changes.`,
      'Done',
      null,
      [{ label: 'RFC 9700 (security BCP)', href: 'https://www.rfc-editor.org/rfc/rfc9700' }],
    )
  }
  return described(
    error ? `The flow ended: ${error.error}` : 'The flow ended early',
    error
      ? `${error.description} ${error.error === 'access_denied' ? 'The app received no code and no tokens: exactly what Alice asked for.' : 'No tokens were handed over.'}`
      : 'The flow could not go on from here.',
    'Ended',
    null,
    [LINKS.authError],
  )
}
