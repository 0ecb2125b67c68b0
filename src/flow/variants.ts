/**
 * Where two runs of a scenario (its vulnerable and its defended variant) go the same way and where
 * they part, so switching variant keeps the learner's place. Pure functions of the steps.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4
 */
import type { ShownStep, StepKind } from './types.ts'

/** What a step is, as two runs compare it: its kind, its sender and receiver, its label. */
type Comparable = Pick<ShownStep, 'kind' | 'from' | 'to' | 'label'>

function sameKind(a: StepKind, b: StepKind): boolean {
  const keys = Object.keys(a) as (keyof StepKind)[]
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k])
  )
}

/** Whether two steps of two runs are the same step: the same kind, lanes and label. */
export function sameStep(a: Comparable, b: Comparable): boolean {
  return a.from === b.from && a.to === b.to && a.label === b.label && sameKind(a.kind, b.kind)
}

/**
 * The index of the first step where two runs differ; where one run stops and the other goes on,
 * the length of the shorter; null when they are the same, step for step.
 */
export function divergenceIndex(a: readonly Comparable[], b: readonly Comparable[]): number | null {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (!sameStep(a[i]!, b[i]!)) return i
  return a.length === b.length ? null : n
}

/**
 * The step of `toSteps` that matches step `index` of `fromSteps`: the same index while the two runs
 * are the same up to it, else the step where they part; within `toSteps` (0 when it is empty, or
 * `index` is not a step).
 */
export function matchingStep(
  fromSteps: readonly Comparable[],
  index: number,
  toSteps: readonly Comparable[],
): number {
  if (!Number.isInteger(index) || index < 0 || toSteps.length === 0) return 0
  const at = Math.min(index, fromSteps.length - 1)
  const parted = divergenceIndex(fromSteps.slice(0, at + 1), toSteps.slice(0, at + 1))
  const target = parted === null ? at : parted
  return Math.max(0, Math.min(target, toSteps.length - 1))
}
