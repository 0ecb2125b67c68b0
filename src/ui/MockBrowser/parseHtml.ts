import type { El, Node as PageNode } from '../../flow/views/browser.ts'

/** Longest page read at all. */
const MAX_INPUT = 200_000
/** Deeper content is kept as its text: hostile pages must not make the view recurse without end. */
const MAX_DEPTH = 48

function toNode(n: Node, depth: number): PageNode {
  if (!(n instanceof Element)) return n.nodeType === 3 ? (n as Text).data : ''
  return {
    tag: n.localName,
    attrs: Object.fromEntries([...n.attributes].map((a) => [a.name, a.value])),
    children:
      depth < MAX_DEPTH
        ? [...n.childNodes].map((c) => toNode(c, depth + 1))
        : [n.textContent ?? ''],
  }
}

/**
 * Parses a page with the platform's HTML parser: a DOMParser document is inert (no script runs,
 * nothing loads), and the model built from it renders only as text.
 */
export function parseHtml(html: string): El {
  const doc = new DOMParser().parseFromString(html.slice(0, MAX_INPUT), 'text/html')
  return toNode(doc.documentElement, 0) as El
}
