/**
 * The sequence diagram so far as Mermaid `sequenceDiagram` text, to paste into Markdown (GitHub,
 * GitLab, many doc sites render it). Labels are escaped so no text — edited requests included —
 * can end a statement or start a new one.
 * @see https://mermaid.js.org/syntax/sequenceDiagram.html
 */
import type { Role } from '../../protocol/index.ts'
import { CHANNEL_NAMES } from '../views/diagram.ts'
import { diagramLanes, diagramRows, exportTitle, oneLine, type ExportSource } from './source.ts'

/** Short participant ids; the names people read are the aliases. */
const IDS: Record<Role, string> = {
  browser: 'Browser',
  client: 'Client',
  'authorization-server': 'AS',
  'resource-server': 'RS',
  attacker: 'Attacker',
}

/**
 * Text safe in a Mermaid message, note or title: one line, and every character that means
 * something to Mermaid's parser or to the HTML it renders (`;` ends a statement, `#` starts an
 * entity code, `<`/`>` make arrows and tags, `%` comments and directives, `&` and `"` entities)
 * written as an entity code such as `#59;`.
 * @see https://mermaid.js.org/syntax/sequenceDiagram.html#entity-codes-to-escape-characters
 */
export function mermaidText(text: string): string {
  const line = oneLine(text).replace(/[#;<>%&"]/g, (ch) => `#${ch.charCodeAt(0)};`)
  return line === '' ? '…' : line
}

/**
 * The messages so far as a Mermaid sequence diagram: `->>` for a request, `-->>` for a response,
 * `--x` (a cross for a head) for a response that failed, the channel in the label; the attacker
 * copying from a lane as a dotted open arrow `--)` to the attacker; user actions, the attacker's
 * other moves, time jumps and the end as notes.
 */
export function toMermaid(source: ExportSource): string {
  const lanes = diagramLanes(source)
  const first = lanes[0]?.role ?? 'browser'
  const last = lanes.at(-1)?.role ?? first
  const across = first === last ? IDS[first] : `${IDS[first]},${IDS[last]}`
  const lines = [
    'sequenceDiagram',
    `  title ${mermaidText(`OAuth Flow Lab: ${exportTitle(source)}`)}`,
  ]
  for (const lane of lanes)
    lines.push(`  participant ${IDS[lane.role]} as ${mermaidText(lane.name)}`)
  for (const row of diagramRows(source)) {
    const n = row.step.index + 1
    switch (row.type) {
      case 'message': {
        const line = row.direction === 'request' ? '-' : '--'
        const arrow = `${line}${row.failed ? 'x' : '>>'}`
        const label = `${n}. ${row.label} (${CHANNEL_NAMES[row.channel]}${row.failed ? ', failed' : ''})`
        lines.push(`  ${IDS[row.from]}${arrow}${IDS[row.to]}: ${mermaidText(label)}`)
        break
      }
      case 'leak':
        lines.push(
          `  ${IDS[row.from]}--)${IDS[row.to]}: ${mermaidText(`${n}. Attacker copies: ${row.label}`)}`,
        )
        break
      case 'action': {
        const who = row.actor === 'user' ? 'User' : 'Attacker'
        lines.push(`  Note over ${IDS[row.lane]}: ${mermaidText(`${n}. ${who} ${row.label}`)}`)
        break
      }
      case 'note':
        lines.push(`  Note over ${across}: ${mermaidText(`${n}. ${row.label}`)}`)
        break
      default: {
        const never: never = row
        return never
      }
    }
  }
  return `${lines.join('\n')}\n`
}
