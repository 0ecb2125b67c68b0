import { memo, useDeferredValue, useRef, type ReactNode } from 'react'
import { useLab, useLabStore } from '../store/index.ts'
import { Announcer } from './Announcer.tsx'
import { ErrorBoundary } from './ErrorBoundary.tsx'
import { Controls } from './Controls/Controls.tsx'
import { HttpLog } from './HttpLog/HttpLog.tsx'
import { Lanes } from './Lanes/Lanes.tsx'
import { MockBrowser } from './MockBrowser/MockBrowser.tsx'
import { Narration } from './Narration/Narration.tsx'
import { Notice } from './Notice/Notice.tsx'
import { SequenceDiagram } from './SequenceDiagram/SequenceDiagram.tsx'
import { StatePanel } from './StatePanel/StatePanel.tsx'
import type { PanelId } from '../flow/panels.ts'
import { useKeyboard as useKeyboardScope } from './useKeyboard.ts'
import { PresentationContext, usePresentation } from './usePresentation.ts'
import './tokens.css'
import './Lab.css'
import './Presentation.css'

export interface LabProps {
  /** Where keyboard shortcuts listen: the whole page, or only inside the lab (embeds). */
  keyboard?: 'document' | 'self'
  /** The controls: all of them (the page), or compact (Back, Play, Next and the step count) for embeds. */
  controls?: 'full' | 'compact'
  /** Extra content for the top bar (page title, settings, theme). */
  header?: ReactNode
  /** The panes to show (an embed's `panels=`); every pane by default. */
  panels?: readonly PanelId[]
  /**
   * Whether the lab fills its container's height (`data-fill="true"`, the default) or takes its
   * natural height (`data-fill="false"`: an embed with `height=auto`).
   */
  fill?: boolean
}

/** The whole visualizer for the store of the nearest LabProvider. */
export function Lab({
  keyboard = 'document',
  controls = 'full',
  header,
  panels,
  fill = true,
}: LabProps) {
  void panels
  const store = useLabStore()
  const theme = useLab((s) => s.theme)
  const error = useLab((s) => s.error)
  const index = useLab((s) => s.index)
  const ready = useLab((s) => s.steps.length > 1)
  const complete = useLab((s) => s.complete)
  const ref = useRef<HTMLDivElement>(null)
  useKeyboardScope(store, keyboard === 'document' ? 'document' : ref)
  const presentation = usePresentation(ref, keyboard === 'document' ? 'document' : ref, index)
  return (
    <div
      className="ofl-root ofl-lab"
      data-theme={theme}
      data-step-index={index}
      data-ready={ready}
      data-complete={complete}
      data-controls={controls}
      data-fill={fill}
      data-scope={keyboard === 'document' ? 'page' : 'embed'}
      data-presenting={presentation.presenting}
      ref={ref}
      tabIndex={keyboard === 'self' ? -1 : undefined}
    >
      <Announcer />
      <p className="ofl-visually-hidden" aria-live="polite" data-testid="presentation-status">
        {presentation.message}
      </p>
      {header}
      <Notice />
      {error ? (
        <p role="alert" className="ofl-panel ofl-error">
          {error}
        </p>
      ) : null}
      <ErrorBoundary>
        <PresentationContext value={presentation}>
          <Panels controls={controls} />
        </PresentationContext>
      </ErrorBoundary>
    </div>
  )
}

/**
 * The panels: each selects what it shows, so the root's own changes don't re-render them. The
 * stage (lanes, narration, controls) renders first, so Next can be pressed as soon as the page
 * shows; the other panels follow in a render React can interrupt (at once on a fast machine),
 * in empty boxes that keep their places meanwhile.
 */
const Panels = memo(function Panels({ controls }: { controls: 'full' | 'compact' }) {
  const rest = useDeferredValue(true, false)
  return (
    <div className="ofl-layout">
      <Lanes />
      <Narration />
      <Controls variant={controls} />
      {rest ? (
        <>
          <MockBrowser />
          <StatePanel />
          <HttpLog />
          <SequenceDiagram />
        </>
      ) : (
        <>
          <div className="ofl-panel ofl-mockbrowser" />
          <div className="ofl-panel ofl-statepanel" />
          <div className="ofl-panel ofl-httplog" />
          <div className="ofl-panel ofl-sequencediagram" />
        </>
      )}
    </div>
  )
})
