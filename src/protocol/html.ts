/**
 * Reads the forms and messages of the world's own HTML pages, as the simulated person does.
 * Only for pages the simulated servers generate (well-formed, attributes double-quoted).
 */
import { put } from './records.ts'

export interface ParsedForm {
  id: string
  method: string
  action: string
  /** Hidden and text inputs with their values. */
  fields: Record<string, string>
  /** Submit buttons as name/value pairs. */
  buttons: { name: string; value: string; label: string }[]
}

/** Decodes the entities `escapeHtml` produces. */
export function unescapeHtml(text: string): string {
  // Every entity starts with '&': most values have none.
  if (!text.includes('&')) return text
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

// Global expressions compiled once, each run with exec from lastIndex 0 to the end of its input;
// a loop over one of them only calls code that uses the others (nothing here is async).
const ATTR_RE = /([a-zA-Z_:-]+)="([^"]*)"/g
const FORM_RE = /<form\b([^>]*)>([\s\S]*?)<\/form>/gi
const INPUT_RE = /<input\b([^>]*)>/gi
const BUTTON_RE = /<button\b([^>]*)>([\s\S]*?)<\/button>/gi
const TAG_RE = /<[^>]*>/g

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {}
  ATTR_RE.lastIndex = 0
  for (let m = ATTR_RE.exec(tag); m !== null; m = ATTR_RE.exec(tag)) {
    if (m[1] !== undefined && m[2] !== undefined) put(out, m[1].toLowerCase(), unescapeHtml(m[2]))
  }
  return out
}

/** A form from its opening tag's attributes and its content. */
function formOf(a: Record<string, string>, inner: string): ParsedForm {
  const fields: Record<string, string> = {}
  INPUT_RE.lastIndex = 0
  for (let i = INPUT_RE.exec(inner); i !== null; i = INPUT_RE.exec(inner)) {
    const ia = attrs(i[1] ?? '')
    if (ia.name) put(fields, ia.name, ia.value ?? '')
  }
  const buttons: ParsedForm['buttons'] = []
  BUTTON_RE.lastIndex = 0
  for (let b = BUTTON_RE.exec(inner); b !== null; b = BUTTON_RE.exec(inner)) {
    const ba = attrs(b[1] ?? '')
    buttons.push({ name: ba.name ?? '', value: ba.value ?? '', label: unescapeHtml((b[2] ?? '').replace(TAG_RE, '').trim()) })
  }
  return { id: a.id ?? '', method: (a.method ?? 'get').toUpperCase(), action: a.action ?? '', fields, buttons }
}

/** The forms of a page. */
export function parseForms(html: string): ParsedForm[] {
  const forms: ParsedForm[] = []
  FORM_RE.lastIndex = 0
  for (let m = FORM_RE.exec(html); m !== null; m = FORM_RE.exec(html)) forms.push(formOf(attrs(m[1] ?? ''), m[2] ?? ''))
  return forms
}

/** The first form of a page with this id (`parseForms(html).find(f => f.id === id)`), reading only that one's content. */
export function findForm(html: string, id: string): ParsedForm | undefined {
  FORM_RE.lastIndex = 0
  for (let m = FORM_RE.exec(html); m !== null; m = FORM_RE.exec(html)) {
    const a = attrs(m[1] ?? '')
    if ((a.id ?? '') === id) return formOf(a, m[2] ?? '')
  }
  return undefined
}

/** The page kind the world's pages declare in `<meta name="oauth-lab-page">`. */
export function pageKind(html: string): string | null {
  const m = /<meta name="oauth-lab-page" content="([^"]*)">/.exec(html)
  return m?.[1] === undefined ? null : unescapeHtml(m[1])
}

/** The text of the element with this id, without tags. */
export function textById(html: string, id: string): string | null {
  const re = new RegExp(`<([a-z0-9]+)[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`, 'i')
  const m = re.exec(html)
  return m?.[2] === undefined ? null : unescapeHtml(m[2].replace(/<[^>]*>/g, '').trim())
}
