/**
 * The iframe page (embed.html): the lab alone, no page chrome, filling the frame's height (or, with
 * `height=auto`, taking its natural height and telling the parent when it changes). It tells its
 * parent each step change, and obeys next/back/goTo/setTheme from allowed origins (see
 * `messages.ts` and docs/embedding.md).
 */
import { useCallback } from 'react'
import { parseLabQuery } from '../flow/links/labUrl.ts'
import type { LabStore } from '../store/index.ts'
import { mountLab } from '../ui/mount.tsx'
import { prerenderKey } from '../ui/prerender.ts'
import { EmbedLab } from './EmbedLab.tsx'
import {
  MESSAGE_SOURCE,
  PROTOCOL_VERSION,
  acceptCommand,
  announcementTargets,
  originsNotice,
  parseAllowedOrigins,
  shouldPost,
  type EmbedAnnouncement,
  type HeightMode,
} from './messages.ts'
import './frame.css'

const params = new URLSearchParams(location.search)
const allowed = parseAllowedOrigins(params.get('origins'))
const framed = window.parent !== window
// Read once: the frame's address doesn't change. frame.css styles the page for it.
const link = parseLabQuery(location.search)
const heightMode: HeightMode = link.height ?? 'fill'
document.documentElement.dataset.height = heightMode

/** The parent's origin, where the browser says (Chromium and WebKit do; Firefox doesn't). */
function parentOrigin(): string | null {
  const ancestors = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins
  const first = ancestors && ancestors.length > 0 ? ancestors.item(0) : null
  return first && first !== 'null' ? first : null
}

const originsParam = params.get('origins')
const targets = framed ? announcementTargets(allowed, parentOrigin(), originsParam !== null) : []
/** Said on the page when `origins` allows nobody (the frame posts nothing). */
const refusedOrigins = originsNotice(originsParam, allowed)

function announce(message: EmbedAnnouncement) {
  for (const target of targets) {
    try {
      window.parent.postMessage(message, target)
    } catch {
      // A parent that went away, or refused the origin: nothing to tell.
    }
  }
}

let current: LabStore | null = null
let unsubscribe: (() => void) | null = null
let readySent = false

/** Follows the store: one `ready`, then a `step` message whenever the step on screen changes. */
function follow(store: LabStore) {
  unsubscribe?.()
  let last = ''
  const send = () => {
    const s = store.getState()
    const step = s.steps[s.index]
    if (!step) return
    if (!readySent) {
      readySent = true
      announce({ source: MESSAGE_SOURCE, type: 'ready', version: PROTOCOL_VERSION })
    }
    const key = `${s.runId}|${s.index}|${step.title}|${s.complete}`
    if (key === last) return
    last = key
    announce({
      source: MESSAGE_SOURCE,
      type: 'step',
      step: s.index + 1,
      total: s.steps.length,
      title: step.title,
      scenario: s.resolved.scenario,
      variant: s.resolved.variant ?? null,
      complete: s.complete,
    })
  }
  unsubscribe = store.subscribe(send)
  send()
  current = store
}

window.addEventListener('message', (event: MessageEvent) => {
  const command = acceptCommand(event, framed ? window.parent : null, allowed)
  if (!command || !current) {
    // Quietly: a page gets messages from extensions and other frames all the time.
    console.debug(`OAuth Flow Lab ignored a message from ${event.origin}`)
    return
  }
  const s = current.getState()
  switch (command.type) {
    case 'next':
      void s.next()
      break
    case 'back':
      s.back()
      break
    case 'goTo':
      void s.goTo(command.step - 1)
      break
    case 'setTheme':
      s.setTheme(command.theme)
      break
  }
})

function Frame() {
  const onStore = useCallback((store: LabStore) => follow(store), [])
  return <EmbedLab query={location.search} onStore={onStore} notice={refusedOrigins} page />
}

const root = document.getElementById('root')
if (root) {
  // The first step is in the HTML (prerendered for the default link, on a secure page, where Web
  // Crypto is): hydrated if this frame opens the same, else rendered afresh.
  // The prerender has no notice about origins: a frame that shows one renders afresh.
  const key = !window.isSecureContext
    ? 'insecure'
    : refusedOrigins
      ? 'origins-refused'
      : prerenderKey('embed', link)
  mountLab(root, key, <Frame />)
  // Only a parent that asked for height=auto sizes the frame to the lab; otherwise the lab fills
  // the frame and there is nothing to ask for (a message per step made the page jump).
  if (heightMode === 'auto' && typeof ResizeObserver === 'function') {
    let posted: number | null = null
    new ResizeObserver(() => {
      const h = root.getBoundingClientRect().height
      if (!shouldPost(posted, h, heightMode)) return
      posted = Math.ceil(h)
      announce({ source: MESSAGE_SOURCE, type: 'resize', height: posted })
    }).observe(root)
  }
}
