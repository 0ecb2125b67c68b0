/**
 * What every export starts from — the run, the step on screen and the configuration it uses —
 * and the pieces they share: the simulated times as ISO strings, the file name, the rows of the
 * sequence diagram.
 */
import { version } from '../../../package.json'
import type { Channel, Role } from '../../protocol/index.ts'
import { laneName, lanesOf, stepShape } from '../views/diagram.ts'
import { findScenarioInfo } from '../scenarios/catalog.ts'
import type { FlowConfig, Step } from '../types.ts'

/** The name and version files made by the lab carry (HAR `creator`, JSON `generator`). */
export const CREATOR = { name: 'OAuth Flow Lab', version } as const

/** What the learner saw: the run, the step on screen, and the configuration the run uses. */
export interface ExportSource {
  /** The configuration the run really uses (the store's `resolved`). */
  config: FlowConfig
  /** The steps computed so far. */
  steps: readonly Step[]
  /** The step on screen (0-based). */
  index: number
}

/**
 * An instant of the simulated clock as an ISO 8601 string; a value no `Date` can hold (NaN, out of
 * range) becomes the epoch rather than an exception.
 */
export function isoTime(ms: number): string {
  const d = new Date(ms)
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString()
}

/** The scenario's title, or its id when it is not one the library knows. */
export function scenarioTitle(config: FlowConfig): string {
  return findScenarioInfo(config.scenario)?.title ?? config.scenario
}

/** The step on screen, clamped into the run (a run not computed yet has none). */
export function stepOnScreen(source: ExportSource): Step | undefined {
  const i = Math.min(Math.max(0, Math.trunc(source.index) || 0), source.steps.length - 1)
  return source.steps[i]
}

/** Where the step on screen is: `step 9 of 30`. */
export function stepPosition(source: ExportSource): string {
  const step = stepOnScreen(source)
  return `step ${(step?.index ?? 0) + 1} of ${source.steps.length}`
}

/** A one-line heading for a file: `Single-page app with PKCE (defended), step 9 of 30`. */
export function exportTitle(source: ExportSource): string {
  const variant = source.config.variant ? ` (${source.config.variant})` : ''
  return `${scenarioTitle(source.config)}${variant}, ${stepPosition(source)}`
}

/**
 * A file name for an export: `oauth-flow-lab-pkce-spa-step-9.har`, with the variant for an attack
 * (`oauth-flow-lab-mix-up-vulnerable-step-4.svg`). Only `a-z`, `0-9` and `-` come from the data.
 */
export function exportFileName(source: ExportSource, extension: string): string {
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
  const parts = ['oauth-flow-lab', slug(source.config.scenario) || 'run']
  if (source.config.variant) parts.push(slug(source.config.variant))
  parts.push('step', String((stepOnScreen(source)?.index ?? 0) + 1))
  return `${parts.join('-')}.${slug(extension) || 'txt'}`
}

/** Text on one line: line breaks and other control characters become spaces. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim()
}

/** A row of the exported sequence diagram. */
export type DiagramRow =
  | {
      type: 'message'
      step: Step
      from: Role
      to: Role
      channel: Channel
      /** A request goes out (`->>`), a response comes back (`-->>`). */
      direction: 'request' | 'response'
      label: string
      /** The response tells of a failure (an error status, or a redirect carrying `error=`). */
      failed: boolean
      /** The attacker sends or receives it. */
      attacker: boolean
    }
  /** The attacker copies something out of another lane (a code, a refresh token). */
  | { type: 'leak'; step: Step; from: Role; to: 'attacker'; label: string }
  /** Something done in one lane that sends nothing: the user's click, the attacker's move. */
  | { type: 'action'; step: Step; lane: Role; actor: 'user' | 'attacker'; label: string }
  /** Time passing, or the end of the run: across every lane. */
  | { type: 'note'; step: Step; label: string }

/** The arrow's label as the sequence diagram shows it, marked when the learner edited or replayed it. */
function labelOf(step: Step): string {
  const mark = step.edited ? ' (edited)' : step.replayed ? ' (replayed)' : ''
  return `${oneLine(step.label)}${mark}`
}

/**
 * The rows of the sequence diagram up to the step on screen: the messages and user actions the
 * app's diagram shows, the attacker's copying as a leak, plus its other moves, time jumps and the
 * end as notes.
 */
export function diagramRows(source: ExportSource): DiagramRow[] {
  const at = stepOnScreen(source)?.index ?? -1
  const rows: DiagramRow[] = []
  for (const step of source.steps.slice(0, at + 1)) {
    const shape = stepShape(step)
    const label = labelOf(step)
    if (shape.type === 'message') {
      const { from, to, channel, failed, attacker } = shape
      const direction = step.kind.type === 'response' ? 'response' : 'request'
      rows.push({ type: 'message', step, from, to, channel, direction, label, failed, attacker })
    } else if (shape.type === 'leak') {
      rows.push({ type: 'leak', step, from: shape.from, to: shape.to, label })
    } else if (shape.type === 'user') {
      const actor = step.kind.type === 'attacker' ? 'attacker' : 'user'
      rows.push({ type: 'action', step, lane: shape.lane, actor, label })
    } else if (step.kind.type === 'time' || step.kind.type === 'end') {
      rows.push({ type: 'note', step, label: oneLine(step.title) || label })
    }
  }
  return rows
}

/** The lanes of the run, left to right in the scenario's order, with their display names. */
export function diagramLanes(source: ExportSource): { role: Role; name: string }[] {
  const scenario = source.config.scenario
  return lanesOf(source.steps, scenario).map((role) => ({ role, name: laneName(role, scenario) }))
}
