/**
 * Named selectors over the store's state: components select the minimum.
 */
import type { Exchange, WorldState } from '../protocol/index.ts'
import { chapterAt, chaptersOf, type Chapter } from '../flow/views/chapters.ts'
import { findScenarioInfo } from '../flow/scenarios/catalog.ts'
import type { ShownStep, Step } from '../flow/types.ts'
import { visibleExchanges } from '../flow/views/visible.ts'
import type { LabState } from './labStore.ts'

/** The step on screen (there is always one once the flow exists). */
export const selectStep = (s: LabState): Step | undefined => s.steps[s.index]
/**
 * What the step on screen says: the step, or before the simulated world has loaded, the run's
 * first step as words (its preview). Views that show no world state use this.
 */
export const selectShown = (s: LabState): Step | ShownStep | undefined =>
  s.steps[s.index] ?? (s.index === 0 ? (s.preview ?? undefined) : undefined)
/** Steps to step through: the preview counts as the first while the world loads. */
export const selectStepCount = (s: LabState): number =>
  s.steps.length > 0 ? s.steps.length : s.preview ? 1 : 0
/** The step before the one on screen, to mark what changed. */
export const selectPrevStep = (s: LabState): Step | undefined =>
  s.index > 0 ? s.steps[s.index - 1] : undefined
export const selectWorld = (s: LabState): WorldState | undefined => s.steps[s.index]?.snapshot

/** Exchanges as seen at a step, and the sequence diagram's messages: pure functions of the steps. */
export { messagesUpTo } from '../flow/views/visible.ts'
export { visibleExchanges }

const NO_EXCHANGES: Exchange[] = []
const exchangesAt = new WeakMap<Step, Exchange[]>()

/**
 * `visibleExchanges` at the step on screen, cached per step object (a computed step never
 * changes, nor do the steps before it), so the same step gives the same array.
 */
export function selectVisibleExchanges(s: LabState): Exchange[] {
  const step = s.steps[s.index]
  if (!step) return NO_EXCHANGES
  let list = exchangesAt.get(step)
  if (!list) {
    list = visibleExchanges(s.steps, s.index)
    exchangesAt.set(step, list)
  }
  return list
}

const NO_CHAPTERS: Chapter[] = []
const chaptersOfRun = new WeakMap<readonly Step[], Chapter[]>()

/**
 * The run's chapters so far, cached per steps array (a new one comes with every computed step),
 * so the same run gives the same array.
 */
export function selectChapters(s: LabState): Chapter[] {
  if (s.steps.length === 0) return NO_CHAPTERS
  let list = chaptersOfRun.get(s.steps)
  if (!list) {
    list = chaptersOf(s.steps, findScenarioInfo(s.resolved.scenario)?.chapters)
    chaptersOfRun.set(s.steps, list)
  }
  return list
}

/** The id of the chapter the step on screen is in, or null before the run has steps. */
export const selectChapterId = (s: LabState): string | null =>
  chapterAt(selectChapters(s), s.index)?.id ?? null
