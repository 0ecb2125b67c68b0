import { memo, use, useDeferredValue, useRef, type ReactNode } from 'react'
import { useLab, useLabStore } from '../store/index.ts'
import { ALL_PANELS, type PanelId } from '../flow/panels.ts'
import { Announcer } from './Announcer.tsx'
import { ErrorBoundary, PanelBoundary } from './ErrorBoundary.tsx'
import { Controls } from './Controls/Controls.tsx'
import { Inspector } from './Inspector/Inspector.tsx'
import { Notice } from './Notice/Notice.tsx'
import { SequenceDiagram } from './SequenceDiagram/SequenceDiagram.tsx'
import { useKeyboard as useKeyboardScope } from './useKeyboard.ts'
import { useLabForm, type LabForm } from './useLabForm.ts'
import { PresentationContext, usePresentation } from './usePresentation.ts'
import { PrerenderContext } from './prerender.ts'
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
  /**
   * What the lab is to its page: its main content (the page, the iframe page) or a region of a
   * host's page (the web component, the React component). By default, main where the keys listen
   * on the whole document.
   */
  landmark?: 'main' | 'region'
}

/**
 * The whole visualizer for the store of the nearest LabProvider: one stage that fills the height
 * it is given and never moves its controls. Wide (a laptop, a projector): the sequence diagram
 * beside the inspector (narration, then Message, Browser, State and Log), the control bar under
 * both. Narrow (a phone, a docs column): one pane at a time, chosen by tabs above the control bar.
 */
export function Lab({
  keyboard = 'document',
  controls = 'full',
  header,
  panels,
  fill = true,
  landmark = keyboard === 'document' ? 'main' : 'region',
}: LabProps) {
  const store = useLabStore()
  const theme = useLab((s) => s.theme)
  const error = useLab((s) => s.error)
  const index = useLab((s) => s.index)
  const ready = useLab((s) => s.steps.length > 1)
  const complete = useLab((s) => s.complete)
  const ref = useRef<HTMLDivElement>(null)
  const form = useLabForm(ref, use(PrerenderContext)?.form)
  useKeyboardScope(store, keyboard === 'document' ? 'document' : ref)
  const presentation = usePresentation(ref, keyboard === 'document' ? 'document' : ref, index)
  const Landmark = landmark === 'main' ? 'main' : 'section'
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
      data-form={form}
      ref={ref}
      tabIndex={-1}
    >
      {header}
      <Landmark
        className="ofl-main"
        aria-label={landmark === 'main' ? undefined : 'OAuth Flow Lab'}
      >
        {landmark === 'main' && !header ? (
          // A page that is only the lab (the iframe page) still has its level-one heading.
          <h1 className="ofl-visually-hidden">OAuth Flow Lab</h1>
        ) : null}
        <Announcer />
        <p className="ofl-visually-hidden" aria-live="polite" data-testid="presentation-status">
          {presentation.message}
        </p>
        <Notice />
        {error ? (
          <p role="alert" className="ofl-panel ofl-error">
            {error}
          </p>
        ) : null}
        <ErrorBoundary>
          <PresentationContext value={presentation}>
            <Panels controls={controls} form={form} panels={panels ?? ALL_PANELS} />
          </PresentationContext>
        </ErrorBoundary>
      </Landmark>
    </div>
  )
}

/**
 * The stage: the diagram (wide form), the inspector and the controls. Each pane selects what it
 * shows, so the root's own changes don't re-render them. The controls render first, so Next can be
 * pressed as soon as the page shows; the panes follow in a render React can interrupt (at once on
 * a fast machine), in empty boxes that keep their places meanwhile.
 */
const Panels = memo(function Panels({
  controls,
  form,
  panels,
}: {
  controls: 'full' | 'compact'
  form: LabForm
  panels: readonly PanelId[]
}) {
  // Prerendered markup has the panes: the render that hydrates it has them at once too.
  const rest = useDeferredValue(true, use(PrerenderContext) !== null)
  const diagram = form === 'wide' && panels.includes('diagram')
  return (
    <div className="ofl-layout" data-diagram={diagram}>
      {diagram ? (
        rest ? (
          <PanelBoundary name="sequence diagram">
            <SequenceDiagram />
          </PanelBoundary>
        ) : (
          <div className="ofl-panel ofl-sequencediagram" />
        )
      ) : null}
      <Inspector form={form} panels={panels} ready={rest} />
      <PanelBoundary name="controls">
        <Controls variant={controls} />
      </PanelBoundary>
    </div>
  )
})
