/**
 * The sequence diagram so far as a standalone SVG document, for pasting into slides and docs:
 * dark text on white whatever the lab's theme, inline attributes only, no external references,
 * every piece of text XML-escaped.
 * @see https://www.w3.org/TR/SVG2/struct.html#SVGElement
 */
import type { Channel, Role } from '../../protocol/index.ts'
import { CHANNEL_NAMES, stepRowName } from '../views/diagram.ts'
import {
  diagramLanes,
  diagramRows,
  exportTitle,
  oneLine,
  type DiagramRow,
  type ExportSource,
} from './source.ts'

/** The light theme's colours (src/ui/tokens.css), fixed: a file is read on paper and slides too. */
const COLOR = {
  text: '#15191f',
  muted: '#4d5866',
  border: '#c9d0da',
  front: '#1d4ed8',
  back: '#7c3aed',
  direct: '#b45309',
  user: '#0f766e',
  attacker: '#b91c1c',
  note: '#f6f7f9',
} as const

const LANE_FILL: Record<Role, string> = {
  browser: '#dbeafe',
  client: '#dcfce7',
  'authorization-server': '#fef3c7',
  'resource-server': '#ede9fe',
  attacker: '#fee2e2',
}

const SANS = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
const MONO = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'Liberation Mono', monospace"
/** Width of one character of 12px monospace, to size lanes and cut long labels. */
const CHAR = 7.3
const MARGIN = 24
const STEP_COL = 40
const HEAD_H = 40
const ROW_H = 44
/** Wide enough for `Authorization Server` in its head. */
const MIN_LANE = 190
const MAX_LANE = 280

/**
 * Text safe as XML character data or an attribute value: `&`, `<`, `>`, quotes escaped, and
 * characters XML 1.0 cannot hold at all (controls, lone surrogates, U+FFFE/U+FFFF) dropped.
 * @see https://www.w3.org/TR/xml/#charsets
 */
export function xmlEscape(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  )
}

/** At most `max` characters (by code point), with `…` when cut. */
function clip(text: string, max: number): string {
  const chars = Array.from(text)
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`
}

const round = (n: number) => Math.round(n * 10) / 10

function text(x: number, y: number, content: string, attrs: string): string {
  return `<text x="${round(x)}" y="${round(y)}" ${attrs}>${xmlEscape(content)}</text>`
}

function arrowHead(x: number, y: number, direction: 1 | -1, color: string): string {
  const b = x - direction * 10
  return `<polygon points="${round(x)},${round(y)} ${round(b)},${round(y - 5)} ${round(b)},${round(y + 5)}" fill="${color}"/>`
}

/** A cross where a failed message's head would be: it went, and was refused. */
function crossHead(x: number, y: number, color: string): string {
  const d = 6
  return `<path d="M${round(x - d)},${round(y - d)} L${round(x + d)},${round(y + d)} M${round(x - d)},${round(y + d)} L${round(x + d)},${round(y - d)}" stroke="${color}" stroke-width="2.5" fill="none"/>`
}

function channelStroke(channel: Channel): string {
  return channel === 'front' ? `stroke="${COLOR.front}"` : `stroke="${COLOR[channel]}" stroke-dasharray="7 5"`
}

/** What a row is, for its `<title>` (a tooltip, and its name for assistive technology). */
function rowName(row: DiagramRow, scenario: string): string {
  switch (row.type) {
    case 'message':
      return oneLine(`${stepRowName(row.step, scenario)}, ${CHANNEL_NAMES[row.channel]}`)
    case 'leak':
    case 'action':
    case 'note':
      return oneLine(stepRowName(row.step, scenario))
    default: {
      const never: never = row
      return never
    }
  }
}

/**
 * The messages so far as an SVG document: a lane with a lifeline per role, one row per message
 * (solid arrow on the front channel, dashed on the back channel, a cross for a head when it
 * failed, red when the attacker sends or receives it), the attacker copying from a lane as a
 * dotted red arrow to it, user actions, the attacker's other moves, time jumps and the end as
 * notes, and a legend.
 */
export function toSvg(source: ExportSource): string {
  const lanes = diagramLanes(source)
  const rows = diagramRows(source)
  const title = `OAuth Flow Lab: ${exportTitle(source)}`
  // Lanes as wide as the longest label between neighbours needs, within bounds.
  const longest = rows.reduce((n, r) => {
    if (r.type !== 'message') return n
    const span = Math.abs(
      lanes.findIndex((l) => l.role === r.from) - lanes.findIndex((l) => l.role === r.to),
    )
    return span === 1 ? Math.max(n, Array.from(r.label).length) : n
  }, 0)
  const laneW = Math.min(MAX_LANE, Math.max(MIN_LANE, Math.ceil(longest * CHAR + 28)))
  const left = MARGIN + STEP_COL
  const width = Math.ceil(left + Math.max(1, lanes.length) * laneW + MARGIN)
  const headTop = 76
  const bodyTop = headTop + HEAD_H + 14
  const bodyBottom = bodyTop + Math.max(1, rows.length) * ROW_H
  const legendY = bodyBottom + 34
  const marked = rows.some((r) => (r.type === 'message' && r.failed) || r.type === 'leak')
  const height = Math.ceil(legendY + (marked ? 50 : 26))
  const right = left + Math.max(1, lanes.length) * laneW
  const center = (role: Role) =>
    left +
    (Math.max(
      0,
      lanes.findIndex((l) => l.role === role),
    ) +
      0.5) *
      laneW
  /**
   * An arrow between two lanes on the row starting at `top`: its ends, which way it points, its
   * height, and the width its label may take (a lane's, for an arrow within one lane).
   */
  const arrowBetween = (from: Role, to: Role, top: number) => {
    const x1 = center(from)
    const x2 = center(to)
    const direction: 1 | -1 = x2 >= x1 ? 1 : -1
    return { x1, x2, direction, y: top + 30, span: Math.abs(x2 - x1) || laneW }
  }

  const out: string[] = []
  out.push('<?xml version="1.0" encoding="UTF-8"?>')
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="ofl-title ofl-desc" font-family="${xmlEscape(SANS)}">`,
  )
  out.push(`<title id="ofl-title">${xmlEscape(title)}</title>`)
  out.push(
    `<desc id="ofl-desc">${xmlEscape(`Sequence diagram of the messages so far between ${lanes.map((l) => l.name).join(', ')}: ${rows.length} ${rows.length === 1 ? 'row' : 'rows'}. Solid arrows travel on the front channel (through the browser), dashed arrows on the back channel (server to server).`)}</desc>`,
  )
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`)
  out.push(
    text(
      MARGIN,
      34,
      clip(title, Math.floor((width - 2 * MARGIN) / 9.6)),
      `font-size="18" font-weight="700" fill="${COLOR.text}"`,
    ),
  )
  out.push(
    text(
      MARGIN,
      56,
      'Simulated messages; the same seed and settings give the same codes and tokens.',
      `font-size="12" fill="${COLOR.muted}"`,
    ),
  )

  // Lane heads and lifelines.
  out.push('<g>')
  for (const lane of lanes) {
    const x = center(lane.role)
    out.push(
      `<rect x="${round(x - laneW / 2 + 8)}" y="${headTop}" width="${round(laneW - 16)}" height="${HEAD_H}" rx="6" fill="${LANE_FILL[lane.role]}" stroke="${COLOR.border}"/>`,
    )
    out.push(
      text(
        x,
        headTop + 25,
        lane.name,
        `font-size="14" font-weight="700" text-anchor="middle" fill="${COLOR.text}"`,
      ),
    )
    out.push(
      `<line x1="${round(x)}" y1="${headTop + HEAD_H}" x2="${round(x)}" y2="${bodyBottom}" stroke="${COLOR.border}" stroke-width="2" stroke-dasharray="4 4"/>`,
    )
  }
  out.push('</g>')

  if (rows.length === 0) {
    out.push(
      text(
        left,
        bodyTop + 26,
        'No messages yet.',
        `font-size="13" font-style="italic" fill="${COLOR.muted}"`,
      ),
    )
  }
  rows.forEach((row, i) => {
    const top = bodyTop + i * ROW_H
    const n = row.step.index + 1
    out.push(`<g><title>${xmlEscape(rowName(row, source.config.scenario))}</title>`)
    out.push(
      text(
        MARGIN + STEP_COL - 10,
        top + 28,
        String(n),
        `font-size="11" text-anchor="end" fill="${COLOR.muted}"`,
      ),
    )
    switch (row.type) {
      case 'message': {
        const { x1, x2, direction, y, span } = arrowBetween(row.from, row.to, top)
        const color = row.attacker ? COLOR.attacker : COLOR[row.channel]
        out.push(
          text(
            (x1 + x2) / 2,
            top + 19,
            clip(row.label, Math.floor((span - 16) / CHAR)),
            `font-family="${xmlEscape(MONO)}" font-size="12" text-anchor="middle" fill="${COLOR.text}"`,
          ),
        )
        const stroke = row.attacker
          ? `stroke="${COLOR.attacker}"${row.channel === 'back' ? ' stroke-dasharray="7 5"' : ''}`
          : channelStroke(row.channel)
        out.push(
          `<line x1="${round(x1)}" y1="${y}" x2="${round(x2 - direction * 9)}" y2="${y}" stroke-width="2" ${stroke}/>`,
        )
        out.push(
          row.failed ? crossHead(x2 - direction * 6, y, color) : arrowHead(x2, y, direction, color),
        )
        break
      }
      case 'leak': {
        const { x1, x2, direction, y, span } = arrowBetween(row.from, row.to, top)
        out.push(
          text(
            (x1 + x2) / 2,
            top + 19,
            clip(`Attacker copies: ${row.label}`, Math.floor((span - 16) / CHAR)),
            `font-size="12" text-anchor="middle" fill="${COLOR.attacker}"`,
          ),
        )
        out.push(
          `<line x1="${round(x1)}" y1="${y}" x2="${round(x2 - direction * 9)}" y2="${y}" stroke-width="2" stroke="${COLOR.attacker}" stroke-dasharray="2 4"/>`,
        )
        out.push(arrowHead(x2, y, direction, COLOR.attacker))
        break
      }
      case 'action': {
        const color = row.actor === 'user' ? COLOR.user : COLOR.attacker
        const label = clip(
          `${row.actor === 'user' ? 'User' : 'Attacker'}: ${row.label}`,
          Math.floor((laneW * 1.6) / CHAR),
        )
        const w = Math.min(laneW * 1.7, Array.from(label).length * 6.9 + 20)
        // Centred on its lane, but kept inside the lanes (the first and last lanes' notes too).
        const x = Math.min(Math.max(center(row.lane), left + w / 2 + 4), right - w / 2 - 4)
        out.push(
          `<rect x="${round(x - w / 2)}" y="${top + 10}" width="${round(w)}" height="26" rx="13" fill="#ffffff" stroke="${color}" stroke-width="1.5" stroke-dasharray="2 3"/>`,
        )
        out.push(
          text(x, top + 27, label, `font-size="12" text-anchor="middle" fill="${COLOR.text}"`),
        )
        break
      }
      case 'note': {
        const x1 = center(lanes[0]?.role ?? 'browser') - laneW / 2 + 8
        const x2 = center(lanes.at(-1)?.role ?? 'browser') + laneW / 2 - 8
        out.push(
          `<rect x="${round(x1)}" y="${top + 10}" width="${round(x2 - x1)}" height="26" rx="4" fill="${COLOR.note}" stroke="${COLOR.border}"/>`,
        )
        out.push(
          text(
            (x1 + x2) / 2,
            top + 27,
            clip(row.label, Math.floor((x2 - x1 - 16) / 6.9)),
            `font-size="12" font-style="italic" text-anchor="middle" fill="${COLOR.text}"`,
          ),
        )
        break
      }
      default: {
        const never: never = row
        return never
      }
    }
    out.push('</g>')
  })

  // Legend: the line styles, in words too.
  const ly = legendY
  out.push('<g>')
  out.push(
    `<line x1="${MARGIN}" y1="${ly}" x2="${MARGIN + 40}" y2="${ly}" stroke-width="2" ${channelStroke('front')}/>`,
  )
  out.push(arrowHead(MARGIN + 46, ly, 1, COLOR.front))
  out.push(
    text(
      MARGIN + 54,
      ly + 4,
      'front channel (through the browser)',
      `font-size="12" fill="${COLOR.text}"`,
    ),
  )
  const bx = MARGIN + 300
  out.push(
    `<line x1="${bx}" y1="${ly}" x2="${bx + 40}" y2="${ly}" stroke-width="2" ${channelStroke('back')}/>`,
  )
  out.push(arrowHead(bx + 46, ly, 1, COLOR.back))
  out.push(
    text(bx + 54, ly + 4, 'back channel (server to server)', `font-size="12" fill="${COLOR.text}"`),
  )
  // The marks only some runs have, on a second line when they do.
  const marks: { draw: (x: number, y: number) => string; words: string }[] = []
  if (rows.some((r) => r.type === 'message' && r.channel === 'direct'))
    marks.push({
      draw: (x, y) =>
        `<line x1="${x}" y1="${y}" x2="${x + 40}" y2="${y}" stroke-width="2" ${channelStroke('direct')}/>${arrowHead(x + 46, y, 1, COLOR.direct)}`,
      words: 'direct request from the page (fetch)',
    })
  if (rows.some((r) => r.type === 'message' && r.failed))
    marks.push({
      draw: (x, y) => crossHead(x + 40, y, COLOR.text),
      words: 'failed (an error answer)',
    })
  if (rows.some((r) => r.type === 'leak'))
    marks.push({
      draw: (x, y) =>
        `<line x1="${x}" y1="${y}" x2="${x + 40}" y2="${y}" stroke-width="2" stroke="${COLOR.attacker}" stroke-dasharray="2 4"/>`,
      words: 'the attacker copies from a lane',
    })
  marks.forEach(({ draw, words }, i) => {
    const x = MARGIN + i * 300
    out.push(draw(x, ly + 24))
    out.push(text(x + 54, ly + 28, words, `font-size="12" fill="${COLOR.text}"`))
  })
  out.push('</g>')
  out.push('</svg>')
  return `${out.join('\n')}\n`
}
