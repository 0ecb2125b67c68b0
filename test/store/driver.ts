/**
 * A small chainable driver for the lab's store, in the spirit of tldraw's `TestEditor`: each call
 * queues one command on a fresh lab (shared test key, fixed clock, manual timers), and awaiting
 * the chain runs them in order; an expectation that fails rejects it, naming the step on screen.
 *
 *   await lab().answer({ consent: 'deny' }).expectExchange(302)
 *
 * Every command first lets the run settle (computed to its end, or stopped), so each one acts on
 * the whole run as a learner would see it. To test commands that overtake each other, use the
 * store (`driver.store`) directly.
 */
import type { Step } from '../../src/flow/index.ts'
import type { HttpRequest } from '../../src/protocol/index.ts'
import {
  selectStep,
  type LabState,
  type LabStore,
  type LabStoreOptions,
} from '../../src/store/index.ts'
import { newStore } from '../ui/render.tsx'

/** The state with its actions, as `store.getState()` gives it. */
type Lab = ReturnType<LabStore['getState']>

/** What the learner answers: a consent decision, or credentials on the login page. */
export type Answer = { consent: 'allow' | 'deny' } | { username: string; password: string }

/** Resolves once the store is not computing (complete, stopped, or failed). */
function settled(store: LabStore): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const s = store.getState()
      if (s.error || (!s.busy && s.steps.length > 0)) {
        unsubscribe()
        resolve()
      }
    }
    const unsubscribe = store.subscribe(check)
    check()
  })
}

/** Says where the lab is: for a failed expectation's message. */
function where(s: LabState): string {
  const step = selectStep(s)
  return step
    ? `step ${s.index + 1} of ${s.steps.length} (${step.kind.type}: ${step.label})`
    : `no step (error: ${s.error})`
}

/** The status of the exchange the step on screen carries a response of, or null. */
function statusOn(step: Step | undefined): number | null {
  if (step?.kind.type !== 'response') return null
  const id = step.kind.exchangeId
  return step.snapshot.exchanges.find((x) => x.id === id)?.response?.status ?? null
}

export class LabDriver implements PromiseLike<LabState> {
  readonly store: LabStore
  #chain: Promise<void> = Promise.resolve()

  constructor(options: LabStoreOptions = {}) {
    this.store = newStore(options)
  }

  /** The state now (between awaited chains). */
  get state(): LabState {
    return this.store.getState()
  }

  #queue(command: (s: Lab) => unknown): this {
    this.#chain = this.#chain.then(async () => {
      await settled(this.store)
      await command(this.store.getState())
      await settled(this.store)
    })
    return this
  }

  #expect(what: string, ok: (s: LabState) => boolean): this {
    return this.#queue((s) => {
      if (!ok(s)) throw new Error(`expected ${what}, at ${where(s)}`)
    })
  }

  next(times = 1): this {
    for (let i = 0; i < times; i++) this.#queue((s) => s.next())
    return this
  }
  back(times = 1): this {
    for (let i = 0; i < times; i++) this.#queue((s) => s.back())
    return this
  }
  goTo(index: number): this {
    return this.#queue((s) => s.goTo(index))
  }
  first(): this {
    return this.#queue((s) => s.first())
  }
  last(): this {
    return this.#queue((s) => s.last())
  }
  /** Opens the first step from the one on screen on that `pick` chooses. */
  to(pick: (step: Step) => boolean, what = 'a step the pick chooses'): this {
    return this.#queue(async (s) => {
      const step = s.steps.slice(s.index).find(pick)
      if (!step) throw new Error(`no ${what} after ${where(s)}`)
      await s.goTo(step.index)
    })
  }
  /** Opens the next page that asks for this answer (from the step on screen on), and answers it. */
  answer(answer: Answer): this {
    const awaiting = 'consent' in answer ? 'consent' : 'credentials'
    this.to((st) => st.boundary === true && st.awaiting === awaiting, `${awaiting} page`)
    return this.#queue((s) =>
      s.act(
        'consent' in answer
          ? { type: 'consent', decision: answer.consent }
          : { type: 'credentials', username: answer.username, password: answer.password },
      ),
    )
  }
  /** Sends the request on screen again, changed by `edit`. */
  resend(edit: (request: HttpRequest) => HttpRequest): this {
    return this.#queue(async (s) => {
      const step = selectStep(s)
      if (step?.kind.type !== 'request') throw new Error(`no request to resend at ${where(s)}`)
      const id = step.kind.exchangeId
      const sent = step.snapshot.exchanges.find((x) => x.id === id)?.request
      if (!sent) throw new Error(`no exchange ${id} at ${where(s)}`)
      await s.resend(step.index, edit(structuredClone(sent)))
    })
  }
  /** The step on screen carries the response of an exchange answered with `status`. */
  expectExchange(status: number): this {
    return this.#expect(
      `a response with status ${status}`,
      (s) => statusOn(selectStep(s)) === status,
    )
  }
  /** The step on screen is step `index` (0-based). */
  expectIndex(index: number): this {
    return this.#expect(`step ${index + 1}`, (s) => s.index === index)
  }
  /** The step on screen: its label contains `text`, or `pick` chooses it. */
  expectStep(match: string | ((step: Step) => boolean)): this {
    const ok = typeof match === 'string' ? (st: Step) => st.label.includes(match) : match
    return this.#expect(
      typeof match === 'string' ? `a step labelled “…${match}…”` : 'a step the pick chooses',
      (s) => {
        const step = selectStep(s)
        return step !== undefined && ok(step)
      },
    )
  }
  /** Any check of the state. */
  expect(what: string, ok: (s: LabState) => boolean): this {
    return this.#expect(what, ok)
  }

  /** Awaiting the chain runs it, and gives the state it ends in. */
  then<A = LabState, B = never>(
    onFulfilled?: ((value: LabState) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): PromiseLike<A | B> {
    return this.#chain.then(() => this.store.getState()).then(onFulfilled, onRejected)
  }
}

/** A fresh lab to drive. */
export function lab(options: LabStoreOptions = {}): LabDriver {
  return new LabDriver(options)
}
