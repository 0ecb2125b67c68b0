/**
 * Every fast-check property runs from one fixed seed, so a run is the same on every machine and
 * a failure comes back the same way. Another seed: `FC_SEED=123 npm test`. On a failure,
 * fast-check's message gives the seed and the path of the counterexample; this adds how to
 * replay it.
 */
import fc from 'fast-check'

/** The seed of this run: `FC_SEED` when it is an integer, else the project's fixed one. */
export const FC_SEED = /^-?\d+$/.test(process.env.FC_SEED ?? '')
  ? Number(process.env.FC_SEED)
  : 20_261_207

fc.configureGlobal({
  seed: FC_SEED,
  reporter: (details) => {
    if (details.failed)
      throw new Error(`${fc.defaultReportMessage(details)}\nReplay: FC_SEED=${FC_SEED} npm test`)
  },
})
