/**
 * The iframe's postMessage protocol (documented in docs/embedding.md). The frame announces itself
 * (`ready`), every step change (`step`) and, only when its address asks for `height=auto`, its
 * height (`resize`) to its parent; it obeys `next`, `back`, `goTo` and `setTheme` only from its
 * parent window, and only when the parent's origin is one the
 * embedder listed in the frame's address (`origins=https://docs.example,https://b.example`).
 * Anything else is ignored. Every message carries `source: 'oauth-flow-lab'`.
 */

export const MESSAGE_SOURCE = 'oauth-flow-lab'
/** The protocol's version, sent with `ready`. */
export const PROTOCOL_VERSION = 1

/** A command from the parent page; `step` counts from 1, like the `step` parameter. */
export type EmbedCommand =
  | { type: 'next' }
  | { type: 'back' }
  | { type: 'goTo'; step: number }
  | { type: 'setTheme'; theme: EmbedTheme }

export type EmbedTheme = 'light' | 'dark' | 'system'

/** What the frame tells its parent. */
export type EmbedAnnouncement =
  | { source: typeof MESSAGE_SOURCE; type: 'ready'; version: number }
  | { source: typeof MESSAGE_SOURCE; type: 'resize'; height: number }
  | {
      source: typeof MESSAGE_SOURCE
      type: 'step'
      /** The step on screen, from 1. */
      step: number
      /** Steps computed so far (all of them once `complete`). */
      total: number
      title: string
      scenario: string
      variant: string | null
      complete: boolean
    }

/** Most origins an embedder may list. */
const MAX_ORIGINS = 16
/** Highest step a command may name (as for links). */
const MAX_STEP = 999

/**
 * The origins allowed to send commands, from the `origins` parameter: comma- or space-separated,
 * each an exact `http:` or `https:` origin (scheme, host and port, nothing after it but an
 * optional `/`). Anything else — `*`, paths, wildcards, `null` — is left out, never widened.
 */
export function parseAllowedOrigins(value: string | null): string[] {
  if (value === null) return []
  const out: string[] = []
  for (const part of value.split(/[\s,]+/)) {
    if (!part || out.length >= MAX_ORIGINS) continue
    let url: URL
    try {
      url = new URL(part)
    } catch {
      continue
    }
    const exact =
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.username === '' &&
      url.password === '' &&
      url.pathname === '/' &&
      url.search === '' &&
      url.hash === '' &&
      !part.includes('*') &&
      (part === url.origin || part === `${url.origin}/`)
    if (exact && !out.includes(url.origin)) out.push(url.origin)
  }
  return out
}

/**
 * What the page says when `origins` was given but named no origin it can use (the frame then tells
 * no page its steps and obeys none), or null. Plain text: the value is quoted, never markup.
 */
export function originsNotice(value: string | null, allowed: readonly string[]): string | null {
  if (value === null || allowed.length > 0) return null
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value
  return `The origins parameter (“${shown}”) names no origin this lab can use: each must be exactly https://host or http://host:port. So the lab tells no page around it its steps, and obeys no page’s commands.`
}

/** Reads a command from a message's data; null for anything that is not exactly one. */
export function readCommand(data: unknown): EmbedCommand | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null
  const d = data as Record<string, unknown>
  if (d.source !== MESSAGE_SOURCE) return null
  switch (d.type) {
    case 'next':
      return { type: 'next' }
    case 'back':
      return { type: 'back' }
    case 'goTo': {
      const step = d.step
      return typeof step === 'number' && Number.isInteger(step) && step >= 1 && step <= MAX_STEP
        ? { type: 'goTo', step }
        : null
    }
    case 'setTheme': {
      const theme = d.theme
      return theme === 'light' || theme === 'dark' || theme === 'system'
        ? { type: 'setTheme', theme }
        : null
    }
    default:
      return null
  }
}

/** How the frame takes its height (the `height` parameter): see `LinkHeight` in labUrl.ts. */
export type HeightMode = 'fill' | 'auto'

/**
 * Whether the frame should tell its parent a new natural height. Only with `height=auto`: a frame
 * that fills the height its parent gives it has nothing to ask for. Then only for a real change
 * (1 px or more from the height last posted; sub-pixel jitter and re-layouts that end where they
 * began post nothing), and never a height that is not one (0 while hidden, NaN).
 */
export function shouldPost(last: number | null, next: number, mode: HeightMode): boolean {
  if (mode !== 'auto' || !Number.isFinite(next) || next <= 0) return false
  return last === null || Math.abs(next - last) >= 1
}

/** The parts of a `MessageEvent` the frame looks at. */
export interface IncomingMessage {
  origin: string
  source: unknown
  data: unknown
}

/**
 * The command in a message, if the frame should obey it: sent by its parent window, from an
 * allowed origin, and well-formed. Never throws.
 */
export function acceptCommand(
  event: IncomingMessage,
  parent: unknown,
  allowed: readonly string[],
): EmbedCommand | null {
  try {
    if (parent === null || event.source !== parent) return null
    if (!allowed.includes(event.origin)) return null
    return readCommand(event.data)
  } catch {
    // A hostile object (a throwing getter, a revoked proxy) is not a command.
    return null
  }
}

/**
 * Where the frame posts its announcements: the parent's origin when it is known and allowed; every
 * allowed origin when the browser doesn't say which the parent is; anywhere (`*`) when the
 * embedder gave no `origins` at all — the announcements carry only the public demo's step titles.
 * An `origins` with no valid entry (`*`, `null`) is not widened to anywhere: nothing is posted, as
 * when the parent is not allowed (an empty list).
 */
export function announcementTargets(
  allowed: readonly string[],
  parentOrigin: string | null,
  /** The address had an `origins` parameter (`params.get('origins') !== null`). */
  asked = false,
): string[] {
  if (allowed.length === 0) return asked ? [] : ['*']
  if (parentOrigin === null) return [...allowed]
  return allowed.includes(parentOrigin) ? [parentOrigin] : []
}
