import { Component, type ErrorInfo, type ReactNode } from 'react'

interface State {
  error: Error | null
}

/** Shows a readable message instead of a blank box when a component fails. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null }

  static getDerivedStateFromError(error: Error): State {
    return { error }
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.warn('OAuth Flow Lab: a panel failed', error, info.componentStack)
  }

  override render() {
    if (!this.state.error) return this.props.children
    return (
      <div role="alert" className="ofl-panel ofl-error">
        <p>
          <strong>Something went wrong in the visualizer.</strong> {this.state.error.message}
        </p>
        <button type="button" className="ofl-button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    )
  }
}
