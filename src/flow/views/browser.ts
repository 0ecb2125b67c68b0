/**
 * What the mock browser shows: a page body parsed into a small, inert model (headings,
 * paragraphs, lists, code, forms, links as text) that a view renders as plain text — never as
 * markup. The HTML itself is parsed by the caller's parser (the page's own DOMParser, which runs
 * nothing and loads nothing): pages are untrusted, so anything the model does not know becomes
 * text or is dropped, and no attribute other than the few it reads survives.
 */
import { getHeader } from '../../protocol/http.ts'
import { ORIGINS, SPA_SESSION, type WorldState } from '../../protocol/state.ts'
import type { Awaiting, Step, UserInput } from '../types.ts'
import { own } from '../../protocol/records.ts'

// The status line's words, for the Browser pane: they live with the protocol, as the panes that
// print a status (Message, the exports) need them without this page model.
export { reasonPhrase } from '../../protocol/reasonPhrase.ts'

/** Inline content: text with a little emphasis. Links keep their `href` only as text. */
export type Inline =
  | { type: 'text'; text: string }
  | { type: 'strong' | 'em' | 'code'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'break' }
  | { type: 'image'; alt: string }

/** A form control: an input (text, password, hidden, …) with its label. */
export interface FormInput {
  type: 'input'
  name: string
  inputType: string
  value: string
  label: string
  autocomplete: string
}

/** A button of a form, with the name and value it submits. */
export interface FormButton {
  type: 'button'
  name: string
  value: string
  label: string
  buttonType: string
}

export type FormItem = FormInput | FormButton | { type: 'text'; content: Inline[] }

/** A block of a page. */
export type Block =
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; content: Inline[] }
  | { type: 'paragraph'; content: Inline[]; alert: boolean }
  | { type: 'list'; ordered: boolean; items: Inline[][] }
  | { type: 'code'; text: string }
  | { type: 'form'; id: string; method: string; action: string; items: FormItem[] }
  | { type: 'script'; src: string | null; text: string }

/** A page as the mock browser renders it. */
export interface PageModel {
  title: string
  /** The kind the world's pages declare in `<meta name="oauth-lab-page">`, if any. */
  kind: string | null
  blocks: Block[]
}

/** An element as the model reads it: tag (lower case), attributes, children (text as strings). */
export interface El {
  tag: string
  attrs: Record<string, string>
  children: Node[]
}
export type Node = El | string

/** Parses a whole HTML document into elements (the page passes the platform's DOMParser). */
export type ParseHtml = (html: string) => El

/** Phrasing elements: their content flows with the text around it. */
const PHRASING = new Set([
  'strong',
  'b',
  'em',
  'i',
  'code',
  'kbd',
  'samp',
  'tt',
  'a',
  'span',
  'small',
  'abbr',
  'label',
  'br',
  'img',
  'mark',
  'sub',
  'sup',
  'time',
  'u',
  's',
  'q',
  'cite',
  'dfn',
  'var',
  'bdi',
  'bdo',
  'data',
  'font',
])
/** Elements whose content is never shown: embedded documents, styles and scripts' siblings. */
const DROPPED = new Set([
  'head',
  'style',
  'title',
  'template',
  'meta',
  'link',
  'base',
  'hr',
  'iframe',
  'object',
  'embed',
  'frame',
  'frameset',
  'noembed',
  'noframes',
  'canvas',
  'audio',
  'video',
])
function find(el: El, pred: (e: El) => boolean): El | null {
  for (const c of el.children) {
    if (typeof c === 'string') continue
    if (pred(c)) return c
    const hit = find(c, pred)
    if (hit) return hit
  }
  return null
}

function textOf(node: Node, skip: (e: El) => boolean = () => false): string {
  if (typeof node === 'string') return node
  if (skip(node) || node.tag === 'script' || node.tag === 'style') return ''
  return node.children.map((c) => textOf(c, skip)).join('')
}

const collapse = (s: string) => s.replace(/[\t\n\f\r ]+/g, ' ')

/** Merges adjacent texts and trims the ends; empty when there is nothing visible. */
function tidy(content: Inline[]): Inline[] {
  const out: Inline[] = []
  for (const c of content) {
    const prev = out[out.length - 1]
    if (c.type === 'text' && prev?.type === 'text') prev.text = collapse(prev.text + c.text)
    else out.push(c.type === 'text' ? { type: 'text', text: collapse(c.text) } : c)
  }
  const first = out[0]
  if (first?.type === 'text') first.text = first.text.replace(/^ /, '')
  const last = out[out.length - 1]
  if (last?.type === 'text') last.text = last.text.replace(/ $/, '')
  return out.filter((c) => c.type !== 'text' || c.text !== '')
}

function visible(content: Inline[]): boolean {
  return content.some((c) => (c.type === 'text' ? c.text.trim() !== '' : true))
}

function inlineOf(nodes: Node[]): Inline[] {
  const out: Inline[] = []
  for (const n of nodes) {
    if (typeof n === 'string') {
      out.push({ type: 'text', text: n })
      continue
    }
    switch (n.tag) {
      case 'strong':
      case 'b':
        out.push({ type: 'strong', children: inlineOf(n.children) })
        break
      case 'em':
      case 'i':
        out.push({ type: 'em', children: inlineOf(n.children) })
        break
      case 'code':
      case 'kbd':
      case 'samp':
      case 'tt':
        out.push({ type: 'code', children: [{ type: 'text', text: textOf(n) }] })
        break
      case 'a':
        out.push({ type: 'link', href: n.attrs.href ?? '', children: inlineOf(n.children) })
        break
      case 'br':
        out.push({ type: 'break' })
        break
      case 'img':
        out.push({ type: 'image', alt: n.attrs.alt ?? '' })
        break
      case 'script':
      case 'input':
      case 'button':
      case 'select':
      case 'textarea':
        break
      default:
        if (DROPPED.has(n.tag)) break
        if (PHRASING.has(n.tag)) out.push(...inlineOf(n.children))
        else
          out.push({ type: 'text', text: ' ' }, ...inlineOf(n.children), {
            type: 'text',
            text: ' ',
          })
    }
  }
  return out
}

function formOf(form: El): Block {
  const labels = new Map<string, string>()
  const items: FormItem[] = []
  const control = (e: El, label: string) => {
    if (e.tag === 'button') {
      items.push({
        type: 'button',
        name: e.attrs.name ?? '',
        value: e.attrs.value ?? '',
        label: collapse(textOf(e)).trim(),
        buttonType: (e.attrs.type ?? 'submit').toLowerCase(),
      })
      return
    }
    const inputType = e.tag === 'input' ? (e.attrs.type ?? 'text').toLowerCase() : e.tag
    if (inputType === 'submit' || inputType === 'button' || inputType === 'reset') {
      items.push({
        type: 'button',
        name: e.attrs.name ?? '',
        value: e.attrs.value ?? '',
        label: e.attrs.value ?? 'Submit',
        buttonType: inputType,
      })
      return
    }
    const value =
      e.tag === 'textarea'
        ? textOf(e)
        : e.tag === 'select'
          ? textOf(
              find(e, (o) => o.tag === 'option' && 'selected' in o.attrs) ??
                find(e, (o) => o.tag === 'option') ??
                e,
            )
          : (e.attrs.value ?? '')
    const id = e.attrs.id
    items.push({
      type: 'input',
      name: e.attrs.name ?? '',
      inputType,
      value: collapse(value).trim() === '' ? '' : value,
      label:
        label || (id ? (labels.get(id) ?? '') : '') || e.attrs['aria-label'] || e.attrs.name || '',
      autocomplete: e.attrs.autocomplete ?? '',
    })
  }
  const isControl = (e: El) =>
    e.tag === 'input' || e.tag === 'button' || e.tag === 'select' || e.tag === 'textarea'
  // Labels with `for` name controls found anywhere in the form.
  const collect = (e: El) => {
    for (const c of e.children) {
      if (typeof c === 'string') continue
      if (c.tag === 'label' && c.attrs.for)
        labels.set(c.attrs.for, collapse(textOf(c, isControl)).trim())
      collect(c)
    }
  }
  collect(form)
  let pending: Inline[] = []
  const flush = () => {
    const content = tidy(pending)
    if (visible(content)) items.push({ type: 'text', content })
    pending = []
  }
  const walk = (nodes: Node[]) => {
    for (const n of nodes) {
      if (typeof n === 'string') {
        pending.push({ type: 'text', text: n })
        continue
      }
      if (isControl(n)) {
        flush()
        control(n, '')
      } else if (n.tag === 'label') {
        const inner = find(n, isControl)
        if (inner) {
          flush()
          control(inner, collapse(textOf(n, isControl)).trim())
        } else if (!n.attrs.for) {
          pending.push(...inlineOf(n.children))
        }
      } else if (find(n, isControl)) {
        flush()
        walk(n.children)
        flush()
      } else if (n.tag !== 'script' && n.tag !== 'style') {
        pending.push(...inlineOf([n]))
      }
    }
  }
  walk(form.children)
  flush()
  return {
    type: 'form',
    id: form.attrs.id ?? '',
    method: (form.attrs.method ?? 'get').toUpperCase(),
    action: form.attrs.action ?? '',
    items,
  }
}

function blocksOf(nodes: Node[], out: Block[]): void {
  let inline: Inline[] = []
  const flush = () => {
    const content = tidy(inline)
    if (visible(content)) out.push({ type: 'paragraph', content, alert: false })
    inline = []
  }
  for (const n of nodes) {
    if (typeof n === 'string') {
      inline.push({ type: 'text', text: n })
      continue
    }
    switch (n.tag) {
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6': {
        flush()
        const content = tidy(inlineOf(n.children))
        if (visible(content))
          out.push({ type: 'heading', level: Number(n.tag[1]) as 1 | 2 | 3 | 4 | 5 | 6, content })
        break
      }
      case 'p': {
        flush()
        const content = tidy(inlineOf(n.children))
        if (visible(content))
          out.push({ type: 'paragraph', content, alert: n.attrs.role === 'alert' })
        blocksOf(
          n.children.filter(
            (c): c is El => typeof c !== 'string' && (c.tag === 'form' || c.tag === 'script'),
          ),
          out,
        )
        break
      }
      case 'ul':
      case 'ol': {
        flush()
        const items = n.children
          .filter((c): c is El => typeof c !== 'string' && c.tag === 'li')
          .map((li) => tidy(inlineOf(li.children)))
          .filter(visible)
        if (items.length) out.push({ type: 'list', ordered: n.tag === 'ol', items })
        break
      }
      case 'pre':
        flush()
        out.push({ type: 'code', text: textOf(n).replace(/^\n/, '') })
        break
      case 'form':
        flush()
        out.push(formOf(n))
        break
      case 'input':
      case 'button':
      case 'select':
      case 'textarea':
        // A control outside any form: shown, inert, like the others.
        flush()
        out.push(formOf({ tag: 'form', attrs: {}, children: [n] }))
        break
      case 'script':
        flush()
        out.push({
          type: 'script',
          src: n.attrs.src ?? null,
          text: textOf(n.children[0] ?? '').trim(),
        })
        break
      default:
        if (DROPPED.has(n.tag)) {
          flush()
        } else if (PHRASING.has(n.tag)) {
          if (find(n, (e) => e.tag === 'form' || e.tag === 'input' || e.tag === 'button')) {
            flush()
            blocksOf(n.children, out)
          } else {
            inline.push(...inlineOf([n]))
          }
        } else {
          // Containers (div, main, section, table, …) and unknown elements: their content.
          flush()
          blocksOf(n.children, out)
        }
    }
  }
  flush()
}

/** Parses a page's HTML into the inert model the mock browser renders. */
export function parsePage(html: string, parse: ParseHtml): PageModel {
  const tree = parse(html)
  const titleEl = find(tree, (e) => e.tag === 'title')
  const meta = find(tree, (e) => e.tag === 'meta' && e.attrs.name === 'oauth-lab-page')
  const body = find(tree, (e) => e.tag === 'body')
  const blocks: Block[] = []
  blocksOf((body ?? tree).children, blocks)
  return {
    title: titleEl ? collapse(textOf(titleEl)).trim() : '',
    kind: meta ? (meta.attrs.content ?? null) : null,
    blocks,
  }
}

/** What the SPA's own code shows in its shell, from its in-page state. */
function spaBlocks(world: WorldState): Block[] {
  const url = world.browser.url
  if (!url.startsWith(`${ORIGINS.spaClient}/`)) return []
  const session = own(world.spa.sessions, SPA_SESSION)
  const t = (text: string): Inline => ({ type: 'text', text })
  if (session?.error) {
    return [
      {
        type: 'heading',
        level: 2,
        // Signed in, a later request failed (the API, a refresh): the sign-in itself did complete.
        content: [t(session.tokens ? 'The last request failed' : 'Sign-in did not complete')],
      },
      { type: 'paragraph', content: [t(session.error.description)], alert: true },
      {
        type: 'paragraph',
        content: [t('Error: '), { type: 'code', children: [t(session.error.error)] }],
        alert: false,
      },
    ]
  }
  if (session?.tokens) {
    const user = session.user
    const name =
      typeof user?.name === 'string' ? user.name : typeof user?.sub === 'string' ? user.sub : 'you'
    const data = session.resource as { photos?: unknown } | null
    const photos = Array.isArray(data?.photos)
      ? (data.photos as { title?: unknown }[]).map((p) => [t(String(p.title ?? ''))])
      : null
    return [
      {
        type: 'paragraph',
        content: [t('Signed in as '), { type: 'strong', children: [t(name)] }, t('.')],
        alert: false,
      },
      photos && photos.length
        ? { type: 'list', ordered: false, items: photos }
        : { type: 'paragraph', content: [t('No photos loaded yet.')], alert: false },
    ]
  }
  if (new URL(url).pathname === '/callback')
    return [{ type: 'paragraph', content: [t('Completing the sign-in…')], alert: false }]
  return [
    {
      type: 'paragraph',
      content: [t('Sign in with your auth.example account to see your photos.')],
      alert: false,
    },
    {
      type: 'form',
      id: 'spa-sign-in',
      method: 'GET',
      action: '',
      items: [
        {
          type: 'button',
          name: '',
          value: '',
          label: 'Sign in with auth.example',
          buttonType: 'button',
        },
      ],
    },
  ]
}

/** What the browser window shows at a moment of the world. */
export type BrowserView =
  | { type: 'blank' }
  | { type: 'loading'; url: string }
  | { type: 'redirect'; status: number; location: string | null }
  | { type: 'html'; status: number; contentType: string; page: PageModel; app: Block[] }
  | { type: 'text'; status: number; contentType: string | null; text: string }

/** The page on screen in a world snapshot: blank, a redirect, an HTML page or other text. */
export function browserView(world: WorldState, parse: ParseHtml): BrowserView {
  const page = world.browser.page
  if (world.browser.loading) return { type: 'loading', url: world.browser.loading }
  if (!page) return { type: 'blank' }
  if (page.status >= 300 && page.status < 400 && page.body === '') {
    let location = world.browser.pendingRedirect
    if (!location) {
      // Already being followed: the Location of the response that brought this page.
      const x = [...world.exchanges]
        .reverse()
        .find((e) => e.from === 'browser' && e.request.url === page.url && e.response)
      const raw = x?.response ? getHeader(x.response.headers, 'location') : null
      try {
        location = raw ? new URL(raw, page.url).toString() : null
      } catch {
        location = raw
      }
    }
    return { type: 'redirect', status: page.status, location }
  }
  if (page.contentType === 'text/html') {
    const model = parsePage(page.body, parse)
    return {
      type: 'html',
      status: page.status,
      contentType: page.contentType,
      page: model,
      app: model.kind === 'spa' ? spaBlocks(world) : [],
    }
  }
  return { type: 'text', status: page.status, contentType: page.contentType, text: page.body }
}

/** An address split for display: scheme, host (the part to emphasise) and the rest. */
export function splitAddress(url: string): {
  scheme: string
  host: string
  rest: string
  secure: boolean
} {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/i.exec(url)
  if (!m) return { scheme: '', host: '', rest: url, secure: false }
  const scheme = m[1] ?? ''
  return { scheme, host: m[2] ?? '', rest: m[3] ?? '', secure: scheme.toLowerCase() === 'https://' }
}

/** The form a page's waiting state is answered with. */
export const ANSWER_FORMS: Record<Exclude<Awaiting, null>, string> = {
  credentials: 'login-form',
  consent: 'consent-form',
}

/**
 * The step, at or before `index`, where the page on screen waited for the user to answer this
 * form, so a view can offer to go there; null when there is none.
 */
export function answerStepFor(
  steps: readonly Step[],
  index: number,
  formId: string,
): number | null {
  const want = (Object.keys(ANSWER_FORMS) as Exclude<Awaiting, null>[]).find(
    (k) => ANSWER_FORMS[k] === formId,
  )
  const body = steps[index]?.snapshot.browser.page?.body
  if (!want || body === undefined) return null
  for (let j = index; j >= 0; j--) {
    const s = steps[j]
    if (!s || s.snapshot.browser.page?.body !== body) return null
    if (s.awaiting === want) return j
  }
  return null
}

/**
 * A step of the flow's `act`: the user step where the learner, not the simulated user, answered
 * the page, with what they typed or clicked (kept on the step, so it goes when a rewind drops it).
 */
export type AnsweredStep = Step & { answer?: UserInput }

/** The learner's own answer that step `index` shows, and the user step where they gave it. */
export interface LearnerAnswer {
  input: UserInput
  /** The step where they gave it: `index` itself while typing, or before it in the same action. */
  at: number
}

/**
 * What the learner typed or clicked that led to step `index`: its own user step, or one earlier in
 * the same action (the server's answer to it), so a view can keep it on screen; null for the
 * simulated user's answers and for any later step.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
export function learnerAnswerFor(steps: readonly Step[], index: number): LearnerAnswer | null {
  for (let j = index; j > 0; j--) {
    const s = steps[j] as AnsweredStep | undefined
    if (!s) return null
    if (s.kind.type === 'user') return s.answer ? { input: s.answer, at: j } : null
    // A clean step before `index` ends the action that led to it.
    if (j < index && s.boundary) return null
  }
  return null
}
