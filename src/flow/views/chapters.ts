/**
 * A run's chapters: its steps grouped into named stretches (sign-in, code, token, API call,
 * refresh, revoke, the attack…), so a teacher can jump past a part the class has already seen.
 * Derived from facts every step carries — its kind, who sends it, its phase letter and the
 * milestones reached — never from its words, so they stay true for every scenario and setting.
 */
import type { Milestone, Phase, ShownStep } from '../types.ts'

/** A stretch of a run: steps `start` to `end` (indexes, both included). */
export interface Chapter {
  /** Unique in its run: the chapter's kind, numbered from the second time it comes (`api-2`). */
  id: string
  /** A short name for the scrubber's menu: `Sign-in and consent`, `Token`, `Attack`. */
  name: string
  start: number
  end: number
}

/** The kinds of chapter, in the words the menu shows. */
const NAMES = {
  start: 'Start',
  signin: 'Sign-in and consent',
  code: 'Code',
  token: 'Token',
  api: 'API call',
  refresh: 'Refresh',
  revoke: 'Revoke',
  introspect: 'Introspection',
  attack: 'Attack',
  wait: 'Time passes',
  end: 'End',
} as const

/** A kind of chapter: `signin`, `token`, `refresh`, `attack`… */
export type ChapterKind = keyof typeof NAMES

/**
 * The chapter a scenario's own milestones start (its info.ts `chapters`): `rotate` is the
 * refresh, `introspect` the introspection.
 */
export type MilestoneChapters = Partial<Record<Milestone, ChapterKind>>

/**
 * The chapter of each RFC 6749 Figure 1 letter, and its order in the code flow: (A) asks for the
 * grant (sign-in and consent), (B) returns it (the code), (C)/(D) trade it for tokens, (E)/(F)
 * use them.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-1.2
 */
const PHASE_CHAPTERS: Record<Phase, { kind: ChapterKind; rank: number }> = {
  A: { kind: 'signin', rank: 1 },
  B: { kind: 'code', rank: 2 },
  C: { kind: 'token', rank: 3 },
  D: { kind: 'token', rank: 3 },
  E: { kind: 'api', rank: 4 },
  F: { kind: 'api', rank: 4 },
  G: { kind: 'refresh', rank: 5 },
  H: { kind: 'refresh', rank: 5 },
}

/**
 * The generic director's milestones whose action is a chapter of its own, whatever letters its
 * steps carry: a refresh is (C)/(D) again, but a class wants to find it as the refresh. A
 * scenario names the chapters of its own milestones; a milestone named nowhere leaves the steps
 * to their letters.
 */
const MILESTONE_CHAPTERS: MilestoneChapters = {
  callback: 'token',
  api: 'api',
  refresh: 'refresh',
  revoke: 'revoke',
}

/** A step as chapters read it: what every step shows, and the milestones when the run has them. */
export type ChapterStep = ShownStep & { progress?: readonly Milestone[] }

/** Whether the attacker acts in a step: its own move, a request it sends, the answer it gets. */
function attackerActs(step: ChapterStep): boolean {
  switch (step.kind.type) {
    case 'attacker':
      return true
    case 'request':
      return step.from === 'attacker'
    case 'response':
      return step.to === 'attacker'
    default:
      return false
  }
}

/**
 * The run's chapters, in order: contiguous, covering every step, none empty. A step the attacker
 * acts in is the attack; the start, the end and time passing are chapters of their own; a
 * refresh, a revocation or an API call the scenario marks with a milestone is that chapter; other
 * steps follow their phase letter (never back to an earlier letter until another chapter came
 * between, so the error page after a refused token is still the token's chapter), and a step
 * without a letter stays in the chapter it is in. `own`: the scenario's milestone chapters.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-1.2
 */
export function chaptersOf(steps: readonly ChapterStep[], own: MilestoneChapters = {}): Chapter[] {
  const chapters: Chapter[] = []
  const seen = new Map<ChapterKind, number>()
  let current: ChapterKind | null = null
  /** The rank of the phase letter that made the current chapter, 0 if no letter made it. */
  let rank = 0
  /** The chapter the latest milestone's action is, if it names one. */
  let mode: ChapterKind | null = null
  let milestones = 0

  steps.forEach((step, i) => {
    const progress = step.progress ?? []
    const latest = progress.at(-1)
    if (progress.length > milestones) {
      mode = latest ? (own[latest] ?? MILESTONE_CHAPTERS[latest] ?? null) : null
    }
    milestones = progress.length

    let kind: ChapterKind
    let nextRank = 0
    const phase = step.phase ? PHASE_CHAPTERS[step.phase] : null
    if (step.kind.type === 'start') kind = 'start'
    else if (step.kind.type === 'end') kind = 'end'
    else if (step.kind.type === 'time') kind = 'wait'
    else if (attackerActs(step)) kind = 'attack'
    else if (mode) kind = mode
    else if (phase && !(rank > phase.rank)) {
      kind = phase.kind
      nextRank = phase.rank
    } else {
      // No letter (or an earlier one, on the way back): the chapter it is in goes on.
      kind = current ?? 'start'
      nextRank = rank
    }
    rank = nextRank

    const last = chapters.at(-1)
    if (last && kind === current) {
      last.end = i
      return
    }
    const n = (seen.get(kind) ?? 0) + 1
    seen.set(kind, n)
    chapters.push({ id: n === 1 ? kind : `${kind}-${n}`, name: NAMES[kind], start: i, end: i })
    current = kind
  })
  return chapters
}

/** The chapter step `index` is in, or null when no chapter holds it. */
export function chapterAt(chapters: readonly Chapter[], index: number): Chapter | null {
  return chapters.find((c) => c.start <= index && index <= c.end) ?? null
}
