/**
 * The phase letters of RFC 6749's two protocol figures, as seed 001 draws them: Figure 1's
 * (A)–(F) for the code flow, Figure 2's (G)/(H) for a refresh. A step that belongs to no phase
 * (fetching keys, a CORS preflight, introspection, revocation) carries none. Light: the stage
 * shows the letters before the simulated world has loaded.
 */
import type { Phase } from '../types.ts'

export interface PhaseInfo {
  /** The step of the figure, in the learner's words. */
  name: string
  /** `Figure 1` or `Figure 2` of RFC 6749. */
  figure: 'Figure 1' | 'Figure 2'
  href: string
}

const FIGURE_1 = 'https://www.rfc-editor.org/rfc/rfc6749#section-1.2'
const FIGURE_2 = 'https://www.rfc-editor.org/rfc/rfc6749#section-1.5'

/** Every letter, its name and the figure it comes from. */
export const PHASES: Readonly<Record<Phase, PhaseInfo>> = {
  A: { name: 'Authorization request', figure: 'Figure 1', href: FIGURE_1 },
  B: { name: 'Authorization grant', figure: 'Figure 1', href: FIGURE_1 },
  C: { name: 'Authorization grant → token request', figure: 'Figure 1', href: FIGURE_1 },
  D: { name: 'Access token', figure: 'Figure 1', href: FIGURE_1 },
  E: { name: 'Access token → API', figure: 'Figure 1', href: FIGURE_1 },
  F: { name: 'Protected resource', figure: 'Figure 1', href: FIGURE_1 },
  G: { name: 'Refresh token → token request', figure: 'Figure 2', href: FIGURE_2 },
  H: { name: 'New access token', figure: 'Figure 2', href: FIGURE_2 },
}

/** A letter's tooltip: `Phase (C) of RFC 6749 Figure 1: Authorization grant → token request`. */
export function phaseTitle(phase: Phase): string {
  const p = PHASES[phase]
  return `Phase (${phase}) of RFC 6749 ${p.figure}: ${p.name}`
}
