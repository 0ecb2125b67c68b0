/**
 * What the bench's sections share: rows, budgets, sections, and the statistics they report.
 * (scripts/bench.ts runs and prints them; scripts/benchPage.ts has the page's sections.)
 */

/**
 * A row's budget. On its ratio to the floor (value / floor), a minimum and a maximum, or an
 * absolute maximum on the value itself (for figures the issue bounds without a floor); enforced or
 * reported.
 */
export interface Budget {
  minRatio?: number
  maxRatio?: number
  max?: number
  /**
   * A miss fails the run (exit 1, unless --report-only). Only figures that are exact and the same
   * on every run are enforced (the byte sizes); a timing's miss is reported and never fails.
   */
  enforced?: boolean
}

export interface Row {
  name: string
  value: number
  unit: string
  /** The same figure for the floor (the best it could be), in the same unit. */
  floor?: number
  budget?: Budget
  /** A short remark printed at the end of the line. */
  note?: string
}

export interface SectionResult {
  rows: Row[]
  /** Lines printed before the rows (which files were counted, each run's figure…). */
  details?: string[]
  /** Anything else worth keeping in bench-results/bench.json. */
  data?: unknown
}

export interface Section {
  name: string
  /** What the section measures and how, printed as comment lines before its rows. */
  describe: string[]
  run(): Promise<SectionResult>
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** Nearest-rank percentile: the smallest sample with at least p % of the samples at or below it. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  if (Number.isInteger(n)) return String(n)
  const abs = Math.abs(n)
  return abs >= 100 ? n.toFixed(1) : abs >= 1 ? n.toFixed(2) : n.toPrecision(3)
}
