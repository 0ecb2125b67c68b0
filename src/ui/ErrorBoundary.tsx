import { Component, type ErrorInfo, type ReactNode } from 'react'
import { useLab } from '../store/index.ts'

interface Props {
  children: ReactNode
  /** What this boundary holds, as the learner knows it ("HTTP log"); the whole lab when absent. */
  name?: string
  /** When it changes (the step on screen), a failed part is tried again. */
  retryKey?: unknown
}

interface State {
  error: Error | null
  /** The retry key the error happened at. */
  at: unknown
}

/**
 * Shows a readable message instead of a blank box when a component fails. Each panel has its own,
 * so a fault in one (the HTTP log, say) never takes away the others or the controls; the failed
 * panel is tried again on the next step, or with its Try again button.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, at: undefined }

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    if (state.error === null) return { at: props.retryKey }
    // Another step: try the panel again.
    return props.retryKey !== state.at ? { error: null, at: props.retryKey } : null
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.warn(`OAuth Flow Lab: ${this.props.name ?? 'a panel'} failed`, error, info.componentStack)
  }

  override render() {
    if (!this.state.error) return this.props.children
    const { name } = this.props
    return (
      <div role="alert" className="ofl-panel ofl-error" data-failed={name ?? 'lab'}>
        <p>
          <strong>
            {name ? `The ${name} could not be shown.` : 'Something went wrong in the visualizer.'}
          </strong>{' '}
          {this.state.error.message}
        </p>
        <button type="button" className="ofl-button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    )
  }
}

/**
 * A panel's boundary, tried again on each new step. Only the boundary follows the step: its
 * children are the same elements from one step to the next, so they re-render only for what they
 * select themselves.
 */
export function PanelBoundary({ name, children }: { name: string; children: ReactNode }) {
  const index = useLab((s) => s.index)
  return (
    <ErrorBoundary name={name} retryKey={index}>
      {children}
    </ErrorBoundary>
  )
}
