import { Activity, lazy, Suspense, useEffect, useId, useState, type ReactNode } from 'react'
import { paneFor, type PanelId } from '../../flow/panels.ts'
import type { LabState } from '../../store/index.ts'
import { useLab } from '../../store/index.ts'
import { PanelBoundary } from '../ErrorBoundary.tsx'
import { Narration } from '../Narration/Narration.tsx'
import { SequenceDiagram } from '../SequenceDiagram/SequenceDiagram.tsx'
import type { LabForm } from '../useLabForm.ts'
import { MessagePane } from '../Message/MessagePane.tsx'
import './Inspector.css'

// The panes load when first shown: the first paint pays for none of them. The Browser, which
// steps open by themselves, is fetched as soon as the run is computed, so it is there by then.
const loadBrowser = () => import('../MockBrowser/MockBrowser.tsx')
const MockBrowser = lazy(() => loadBrowser().then((m) => ({ default: m.MockBrowser })))
const HttpLog = lazy(() => import('../HttpLog/HttpLog.tsx').then((m) => ({ default: m.HttpLog })))
const StatePanel = lazy(() =>
  import('../StatePanel/StatePanel.tsx').then((m) => ({ default: m.StatePanel })),
)

/** Each pane's tab, in the order the tabs stand. */
export const TAB_NAMES: Record<PanelId, string> = {
  narration: 'Story',
  diagram: 'Diagram',
  message: 'Message',
  browser: 'Browser',
  state: 'State',
  log: 'Log',
}

/** Each pane as an error names it. */
const PANE_NAMES: Record<PanelId, string> = {
  narration: 'story',
  diagram: 'sequence diagram',
  message: 'Message pane',
  browser: 'Browser pane',
  state: 'State pane',
  log: 'HTTP log',
}

const ORDER: readonly PanelId[] = ['narration', 'diagram', 'message', 'browser', 'state', 'log']

/**
 * The pane the step on screen calls for: the latest step's up to it that calls for one (a page
 * or a user action: the Browser; another exchange: the Message), so time passing or the end keeps
 * what was shown. Null before any does.
 */
export function selectAutoPane(s: LabState): 'message' | 'browser' | null {
  for (let i = Math.min(s.index, s.steps.length - 1); i >= 0; i--) {
    const step = s.steps[i]
    const pane = step ? paneFor(step) : null
    if (pane) return pane
  }
  return null
}

/** A pane the learner picked, in the run (`runId`) they picked it in. */
interface Pick {
  pane: PanelId
  run: number
}

/**
 * Which tab shows: the learner's pick, for the rest of the run they picked it in; else, in the
 * wide form, the pane the step on screen calls for, and in the narrow form (a phone) the first
 * tab (the story).
 */
export function activeTab(
  tabs: readonly PanelId[],
  form: LabForm,
  auto: 'message' | 'browser' | null,
  pick: PanelId | null,
): PanelId | null {
  if (pick && tabs.includes(pick)) return pick
  if (form === 'wide' && auto && tabs.includes(auto)) return auto
  return tabs[0] ?? null
}

/**
 * The inspector: the narration on top (wide form), then the panes as tabs; a tab not on show
 * whose pane the step is about is marked. A pane is mounted the
 * first time it shows and then kept, hidden, so what the learner typed or opened stays; hidden
 * panes render at idle priority (React's Activity), after what is on screen.
 */
export function Inspector({
  form,
  panels,
  ready,
}: {
  form: LabForm
  panels: readonly PanelId[]
  /** The panes may render (after the controls' first paint). */
  ready: boolean
}) {
  const base = useId()
  const wide = form === 'wide'
  const tabs = ORDER.filter(
    (id) => panels.includes(id) && !(wide && (id === 'narration' || id === 'diagram')),
  )
  const auto = useLab(selectAutoPane)
  const runId = useLab((s) => s.runId)
  const [pick, setPick] = useState<Pick | null>(null)
  const active = activeTab(tabs, form, auto, pick?.run === runId ? pick.pane : null)
  const [mounted, setMounted] = useState<readonly PanelId[]>([])
  if (active && !mounted.includes(active)) setMounted([...mounted, active])
  const complete = useLab((s) => s.complete)
  const hasBrowser = tabs.includes('browser')
  useEffect(() => {
    if (complete && hasBrowser) void loadBrowser()
  }, [complete, hasBrowser])

  const tablist =
    tabs.length > 1 ? (
      <div className="ofl-tabs" role="tablist" aria-label="Panes">
        {tabs.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`${base}-tab-${id}`}
            className="ofl-tab"
            aria-selected={id === active}
            aria-controls={`${base}-pane-${id}`}
            data-pane={id}
            data-step-pane={id === auto ? 'true' : undefined}
            onClick={() => setPick({ pane: id, run: runId })}
          >
            {TAB_NAMES[id]}
            {id === auto && id !== active ? (
              <span className="ofl-tab-mark" title="This step is about this pane">
                <span className="ofl-visually-hidden"> (this step)</span>
              </span>
            ) : null}
          </button>
        ))}
      </div>
    ) : null

  const panes = tabs.map((id) =>
    mounted.includes(id) ? (
      <div
        key={id}
        role={tabs.length > 1 ? 'tabpanel' : undefined}
        id={`${base}-pane-${id}`}
        aria-labelledby={tabs.length > 1 ? `${base}-tab-${id}` : undefined}
        // The pane scrolls: focusable, so a keyboard can scroll it even when nothing in it is
        // a control (the Message pane's registration card at the start).
        tabIndex={0}
        className="ofl-pane"
        data-pane={id}
        hidden={id !== active}
      >
        <Activity mode={id === active ? 'visible' : 'hidden'}>
          <PanelBoundary name={PANE_NAMES[id]}>
            <Suspense fallback={null}>{ready ? <Pane id={id} /> : null}</Suspense>
          </PanelBoundary>
        </Activity>
      </div>
    ) : null,
  )

  return (
    <div className="ofl-inspector" data-form={form}>
      {wide && panels.includes('narration') ? (
        <PanelBoundary name={PANE_NAMES.narration}>
          <Narration />
        </PanelBoundary>
      ) : null}
      {wide ? tablist : null}
      <div className="ofl-panes">{panes}</div>
      {wide ? null : tablist}
    </div>
  )
}

function Pane({ id }: { id: PanelId }): ReactNode {
  switch (id) {
    case 'narration':
      return <Narration />
    case 'diagram':
      return <SequenceDiagram />
    case 'message':
      return <MessagePane />
    case 'browser':
      return <MockBrowser />
    case 'state':
      return <StatePanel />
    case 'log':
      return <HttpLog />
    default: {
      const never: never = id
      return never
    }
  }
}
