/** Motion tokens: every duration and easing the lab animates with. */
export const MOTION = {
  /** A message travelling between lanes, at 1× speed (scaled by the play speed). */
  travel: 0.7,
  /** Highlights and fades. */
  fade: 0.25,
  ease: [0.22, 1, 0.36, 1] as [number, number, number, number],
} as const
