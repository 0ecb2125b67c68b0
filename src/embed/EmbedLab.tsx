/**
 * One embedded lab, the same in all three ways to embed: its settings arrive as a query string
 * (an iframe's own, or built from attributes or props by `embedQuery`), are read by
 * `parseLabQuery` like the page's address, and drive a store of its own.
 */
import { useEffect, useRef, useState } from 'react'
import { parseLabQuery, type LabLink } from '../flow/links/labUrl.ts'
import { EMBED_PANELS } from '../flow/panels.ts'
import type { SigningKey } from '../protocol/index.ts'
import { LabProvider, createLabStore, loadEngine, type LabStore } from '../store/index.ts'
import { ErrorBoundary } from '../ui/ErrorBoundary.tsx'
import { Lab } from '../ui/index.ts'

let keys: Promise<SigningKey[]> | null = null

/**
 * The signing key every embed on the page uses: generating an RSA key is slow on weak devices and
 * a key holds no state, so the embeds share one and stay independent in everything else.
 */
function embedKeys(): Promise<SigningKey[]> {
  // Loaded on demand with the rest of the simulated world (the first step shows before it).
  keys ??= loadEngine()
    .then((m) => m.generateSigningKey('lab-key'))
    .then((k) => [k])
  return keys
}

/** What of a query makes a different run (everything but the step and the look). */
function runKey(link: LabLink): string {
  return JSON.stringify(link.config)
}

interface Instance {
  store: LabStore
  key: string
}

/** Creates the store for an embed's query. */
export function createEmbedStore(link: LabLink): LabStore {
  return createLabStore({
    config: link.config,
    keys: embedKeys(),
    ...(link.config.now !== undefined ? { now: link.config.now } : {}),
    ...(link.step !== null ? { step: link.step } : {}),
    ...(link.theme ? { theme: link.theme } : {}),
    notice: link.notice,
  })
}

export interface EmbedLabProps {
  /** The settings, as a query string (`scenario=pkce-spa&step=4`, with or without `?`). */
  query: string
  /** Called with the instance's store whenever it changes (the iframe page listens to it). */
  onStore?: (store: LabStore) => void
  /**
   * The lab is the whole page (the iframe page): its main landmark, with its level-one heading
   * (hidden: the frame's title says it to sighted readers). Else a region of the host's page.
   */
  page?: boolean
  /** A notice of the host page's own (the iframe page's about its `origins`), shown first. */
  notice?: string | null
}

/**
 * The lab for a query. A new scenario or setting starts a new run; a new step moves the run on
 * screen; a new theme, controls, panels or height only changes the look. The lab fills the height
 * of its box (`.ofl-embedded`, which fills its host), unless the query asks for `height=auto`:
 * then both take the lab's natural height (`data-fill="false"` on each).
 */
export function EmbedLab({ query, onStore, page = false, notice = null }: EmbedLabProps) {
  return hasWebCrypto() ? (
    <EmbeddedRun query={query} onStore={onStore} page={page} notice={notice} />
  ) : (
    <NeedsSecurePage />
  )
}

/** The lab signs real tokens and hashes real PKCE challenges with Web Crypto. */
function hasWebCrypto(): boolean {
  return typeof crypto !== 'undefined' && typeof crypto.subtle?.generateKey === 'function'
}

/**
 * Browsers offer Web Crypto only in a secure context: the page (and, for an iframe, every page
 * around it) served over https or from localhost.
 */
function NeedsSecurePage() {
  return (
    <div className="ofl-embedded">
      <div className="ofl-root ofl-lab" data-scope="embed">
        <p role="alert" className="ofl-panel ofl-error">
          OAuth Flow Lab needs a secure page: this browser offers the cryptography it uses (Web
          Crypto) only on pages served over https (or from localhost), and, in a frame, only when
          the page around it is one too.
        </p>
      </div>
    </div>
  )
}

function EmbeddedRun({ query, onStore, page, notice: own = null }: EmbedLabProps) {
  const parsed = parseLabQuery(query)
  const link: LabLink = own
    ? { ...parsed, notice: parsed.notice ? `${own} ${parsed.notice}` : own }
    : parsed
  const key = runKey(link)
  const [instance, setInstance] = useState<Instance>(() => ({ store: createEmbedStore(link), key }))
  let { store } = instance
  if (instance.key !== key) {
    // Adjusting state while rendering (React's pattern for state derived from props).
    store = createEmbedStore(link)
    setInstance({ store, key })
  }

  // The store was created with the query's step, theme and notice; later changes within the same
  // run are applied to it.
  const { step, theme, notice } = link
  const applied = useRef({ store, step, theme, notice })
  useEffect(() => {
    const was = applied.current
    applied.current = { store, step, theme, notice }
    if (was.store !== store) return
    const s = store.getState()
    if (theme !== was.theme) s.setTheme(theme ?? 'system')
    if (notice !== was.notice && notice) store.setState({ notice })
    if (step !== was.step && step !== null) void s.goTo(step)
  }, [store, step, theme, notice])

  useEffect(() => {
    onStore?.(store)
  }, [store, onStore])
  // Removed from the page: no autoplay timer keeps running for a lab nobody sees.
  useEffect(() => () => store.getState().pause(), [store])

  const fill = link.height !== 'auto'
  return (
    <div className="ofl-embedded" data-fill={fill}>
      <ErrorBoundary>
        <LabProvider store={store}>
          <Lab
            keyboard="self"
            controls={link.controls ?? 'full'}
            panels={link.panels ?? EMBED_PANELS}
            fill={fill}
            landmark={page ? 'main' : 'region'}
          />
        </LabProvider>
      </ErrorBoundary>
    </div>
  )
}
