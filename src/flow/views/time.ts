/**
 * Simulated time in words: instants, times of day, lengths of time, and instants relative to the
 * simulated clock. Used by the narration, the State pane, the clock and the JWT view; apart from
 * the State pane's view (views/state.ts), so that the world loads them without it.
 */

/** `2026-01-01 00:00:00 UTC`: an instant of simulated time (ms since the epoch), in UTC. */
export function formatInstant(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms)
  const d = new Date(ms)
  if (Number.isNaN(d.getTime())) return String(ms)
  return `${d.toISOString().slice(0, 10)} ${formatTimeOfDay(ms)}`
}

/** `00:09:40 UTC`: the time of day of an instant, in UTC. */
export function formatTimeOfDay(ms: number): string {
  const d = new Date(ms)
  if (Number.isNaN(d.getTime())) return String(ms)
  return `${d.toISOString().slice(11, 19)} UTC`
}

/** A length of time in words: `40 s`, `9 min 40 s`, `60 min`, `8 h`, `2 h 5 min`, `30 days`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(Math.abs(seconds))
  if (s < 60) return `${s} s`
  if (s < 2 * 3600) {
    const m = Math.floor(s / 60)
    const r = s % 60
    return r ? `${m} min ${r} s` : `${m} min`
  }
  if (s < 48 * 3600) {
    const h = Math.floor(s / 3600)
    const m = Math.floor((s % 3600) / 60)
    return m ? `${h} h ${m} min` : `${h} h`
  }
  const days = Math.floor(s / 86400)
  return `${days} days`
}

/** `in 9 min 40 s`, `2 min ago` or `now`: an instant relative to the simulated clock (both ms). */
export function formatRelative(ms: number, now: number): string {
  // Whole seconds on both sides: servers keep times in seconds (NumericDate), the clock in ms.
  const diff = Math.floor(ms / 1000) - Math.floor(now / 1000)
  if (diff === 0) return 'now'
  return diff > 0 ? `in ${formatDuration(diff)}` : `${formatDuration(diff)} ago`
}

/** `expires in 10 min` or `expired 2 min ago` (both ms). */
export function formatExpiry(expiresAt: number, now: number): string {
  return expiresAt > now
    ? `expires ${formatRelative(expiresAt, now)}`
    : `expired ${formatRelative(expiresAt, now)}`
}
