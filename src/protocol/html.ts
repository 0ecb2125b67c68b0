/**
 * Reads the forms and messages of the world's own HTML pages, as the simulated person does.
 * Only for pages the simulated servers generate (well-formed, attributes double-quoted).
 */

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
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of tag.matchAll(/([a-zA-Z_:-]+)="([^"]*)"/g)) {
    if (m[1] !== undefined && m[2] !== undefined) out[m[1].toLowerCase()] = unescapeHtml(m[2])
  }
  return out
}

/** The forms of a page. */
export function parseForms(html: string): ParsedForm[] {
  const forms: ParsedForm[] = []
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const a = attrs(m[1] ?? '')
    const inner = m[2] ?? ''
    const fields: Record<string, string> = {}
    for (const i of inner.matchAll(/<input\b([^>]*)>/gi)) {
      const ia = attrs(i[1] ?? '')
      if (ia.name) fields[ia.name] = ia.value ?? ''
    }
    const buttons = [...inner.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)].map((b) => {
      const ba = attrs(b[1] ?? '')
      return { name: ba.name ?? '', value: ba.value ?? '', label: unescapeHtml((b[2] ?? '').replace(/<[^>]*>/g, '').trim()) }
    })
    forms.push({ id: a.id ?? '', method: (a.method ?? 'get').toUpperCase(), action: a.action ?? '', fields, buttons })
  }
  return forms
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
