// @vitest-environment jsdom
import { act, cleanup, render } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { OAuthFlowLab } from '../../src/embed/react.tsx'

afterEach(cleanup)

const labIn = (host: Element | null) =>
  host?.shadowRoot?.querySelector<HTMLElement>('.ofl-lab') ?? null

describe('OAuthFlowLab (React)', () => {
  it('renders into a shadow root of its host, which takes className and style', async () => {
    const { container } = render(
      <OAuthFlowLab
        scenario="pkce-spa"
        step={3}
        theme="dark"
        className="docs-lab"
        style={{ maxWidth: 700 }}
      />,
    )
    const host = container.querySelector<HTMLElement>('[data-oauth-flow-lab]')
    expect(host?.className).toBe('docs-lab')
    expect(host?.style.maxWidth).toBe('700px')
    await vi.waitFor(() => expect(labIn(host)?.getAttribute('data-step-index')).toBe('2'), {
      timeout: 5000,
    })
    expect(labIn(host)?.getAttribute('data-theme')).toBe('dark')
    expect(container.querySelector('.ofl-lab')).toBeNull()
  })

  it('fills the height it is given, or takes its natural height with height="auto"', async () => {
    const { container, rerender } = render(<OAuthFlowLab scenario="oidc" style={{ height: 420 }} />)
    const host = container.querySelector<HTMLElement>('[data-oauth-flow-lab]')
    expect(host?.style.height).toBe('420px')
    await vi.waitFor(() => expect(labIn(host)?.getAttribute('data-fill')).toBe('true'))
    expect(host?.hasAttribute('data-height')).toBe(false)
    rerender(<OAuthFlowLab scenario="oidc" height="auto" />)
    await vi.waitFor(() => expect(labIn(host)?.getAttribute('data-fill')).toBe('false'))
    expect(host?.getAttribute('data-height')).toBe('auto')
  })

  it('gives bad props the same plain-text notice as a bad link', async () => {
    const bad = { scenario: '<b>bold</b>', step: -2 } as unknown as {
      scenario: 'oidc'
      step: number
    }
    const { container } = render(<OAuthFlowLab {...bad} />)
    const host = container.querySelector('[data-oauth-flow-lab]')
    await vi.waitFor(() =>
      expect(host?.shadowRoot?.querySelector('.ofl-notice-text')?.textContent).toContain(
        'There is no scenario called “<b>bold</b>”',
      ),
    )
    expect(host?.shadowRoot?.querySelector('b')).toBeNull()
  })

  it('moves to a new step prop without starting over', async () => {
    const { container, rerender } = render(<OAuthFlowLab scenario="oidc" />)
    const host = container.querySelector('[data-oauth-flow-lab]')
    await vi.waitFor(() => expect(labIn(host)?.getAttribute('data-complete')).toBe('true'), {
      timeout: 5000,
    })
    const before = labIn(host)
    await act(async () => rerender(<OAuthFlowLab scenario="oidc" step={5} />))
    await vi.waitFor(() => expect(labIn(host)?.getAttribute('data-step-index')).toBe('4'))
    expect(labIn(host)).toBe(before)
  })
})
