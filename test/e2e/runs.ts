/**
 * Every run of the scenario library, for the sweeps that visit each one (csp, a11y-sweep): each
 * scenario, and each variant of those that have them, with the address that opens it.
 */
import { SCENARIO_INFO } from '../../src/flow/scenarios/catalog.ts'
import { expect, type LabPage } from './helpers.ts'

export interface Run {
  /** `code-replay/defended`, or the scenario's id when it has no variants. */
  name: string
  /** The query that opens it: `?scenario=code-replay&variant=defended`. */
  search: string
}

export const RUNS: readonly Run[] = SCENARIO_INFO.flatMap((s) =>
  s.variants
    ? (['vulnerable', 'defended'] as const).map((v) => ({
        name: `${s.id}/${v}`,
        search: `?scenario=${s.id}&variant=${v}`,
      }))
    : [{ name: s.id, search: `?scenario=${s.id}` }],
)

/**
 * Clicks Next one step at a time to the end of the run, calling `atStep` (with the 1-based step
 * number) on the first step and after each click; returns the number of steps.
 */
export async function eachStep(
  lab: LabPage,
  atStep: (step: number) => Promise<void> = async () => {},
  max = 80,
): Promise<number> {
  await lab.ready()
  let step = (await lab.index()) + 1
  await atStep(step)
  while (step <= max && (await lab.next.isEnabled())) {
    await lab.clickNext()
    await lab.ready()
    step++
    await atStep(step)
  }
  await expect(lab.next).toBeDisabled()
  return step
}
