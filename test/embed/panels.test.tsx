// @vitest-environment jsdom
/**
 * What each way to embed hands the lab: the panes (`panels`) and whether it fills its host
 * (`height`). The lab itself is stubbed here (it lays the panes out; see test/ui), so these tests
 * see exactly the props the embeds pass it.
 */
import { cleanup, render } from '@testing-library/react'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { LabProps } from '../../src/ui/Lab.tsx'

vi.mock('../../src/ui/index.ts', async (importOriginal) => {
  const { useLab } = await import('../../src/store/index.ts')
  return {
    ...(await importOriginal<Record<string, unknown>>()),
    Lab: function StubLab({ panels, fill }: LabProps) {
      const notice = useLab((s) => s.notice)
      return (
        <div
          className="stub-lab"
          data-panels={panels?.join(',') ?? 'none'}
          data-fill={String(fill)}
        >
          <p className="ofl-notice-text">{notice}</p>
        </div>
      )
    },
  }
})

const { EmbedLab } = await import('../../src/embed/EmbedLab.tsx')
const { OAuthFlowLab } = await import('../../src/embed/react.tsx')
const { ELEMENT_NAME, defineOAuthFlowLab } = await import('../../src/embed/element.ts')

afterEach(() => {
  cleanup()
  document.body.replaceChildren()
})
beforeAll(() => defineOAuthFlowLab())

const stub = (root: ParentNode | null | undefined) =>
  root?.querySelector<HTMLElement>('.stub-lab') ?? null
const notice = (root: ParentNode | null | undefined) =>
  root?.querySelector('.ofl-notice-text')?.textContent ?? ''

describe('EmbedLab', () => {
  it('shows the embed’s default panes when the query names none, and fills its host', () => {
    const { container } = render(<EmbedLab query="scenario=pkce-spa" />)
    expect(stub(container)?.dataset.panels).toBe('narration,diagram,message,browser')
    expect(stub(container)?.dataset.fill).toBe('true')
    expect(container.querySelector('.ofl-embedded')?.getAttribute('data-fill')).toBe('true')
  })

  it('passes the panes a query names, in the lab’s order', () => {
    const { container } = render(<EmbedLab query="panels=log,diagram" />)
    expect(stub(container)?.dataset.panels).toBe('diagram,log')
  })

  it('falls back to the default panes when none is known', () => {
    const { container } = render(<EmbedLab query="panels=sidebar,<b>x</b>" />)
    expect(stub(container)?.dataset.panels).toBe('narration,diagram,message,browser')
  })

  it('takes its natural height with height=auto, and fills with anything else', () => {
    const { container, rerender } = render(<EmbedLab query="height=auto" />)
    expect(stub(container)?.dataset.fill).toBe('false')
    expect(container.querySelector('.ofl-embedded')?.getAttribute('data-fill')).toBe('false')
    rerender(<EmbedLab query="height=tall" />)
    expect(stub(container)?.dataset.fill).toBe('true')
  })

  it('changes the panes of the same lab when the query changes only them', () => {
    const { container, rerender } = render(<EmbedLab query="scenario=oidc&panels=diagram" />)
    const before = stub(container)
    rerender(<EmbedLab query="scenario=oidc&panels=narration,browser" />)
    expect(stub(container)).toBe(before)
    expect(stub(container)?.dataset.panels).toBe('narration,browser')
  })
})

describe('the React component', () => {
  it('takes panels as a list or as text, and height', async () => {
    const { container, rerender } = render(
      <OAuthFlowLab panels={['state', 'narration']} height="auto" />,
    )
    const host = container.querySelector<HTMLElement>('[data-oauth-flow-lab]')
    await vi.waitFor(() => expect(stub(host?.shadowRoot)?.dataset.panels).toBe('narration,state'))
    expect(stub(host?.shadowRoot)?.dataset.fill).toBe('false')
    expect(host?.dataset.height).toBe('auto')
    rerender(<OAuthFlowLab panels="browser, log" />)
    await vi.waitFor(() => expect(stub(host?.shadowRoot)?.dataset.panels).toBe('browser,log'))
    expect(stub(host?.shadowRoot)?.dataset.fill).toBe('true')
    expect(host?.hasAttribute('data-height')).toBe(false)
  })

  it('gives unknown panes the plain-text notice, and leaves a list’s non-text out', async () => {
    const bad = ['diagram', '<img src=x>', 42, null] as unknown as readonly 'diagram'[]
    const { container } = render(<OAuthFlowLab panels={bad} />)
    const host = container.querySelector('[data-oauth-flow-lab]')
    await vi.waitFor(() =>
      expect(notice(host?.shadowRoot)).toContain('There is no panel called “<img src=x>”'),
    )
    expect(stub(host?.shadowRoot)?.dataset.panels).toBe('diagram')
    expect(host?.shadowRoot?.querySelector('img')).toBeNull()
  })
})

describe('<oauth-flow-lab>', () => {
  function add(attributes: Record<string, string>): HTMLElement {
    const el = document.createElement(ELEMENT_NAME)
    for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v)
    document.body.append(el)
    return el
  }

  it('reads the panels and height attributes, and follows their changes', async () => {
    const el = add({ panels: 'narration,browser', height: 'auto' })
    await vi.waitFor(() => expect(stub(el.shadowRoot)?.dataset.panels).toBe('narration,browser'))
    expect(stub(el.shadowRoot)?.dataset.fill).toBe('false')
    el.setAttribute('panels', 'diagram')
    el.removeAttribute('height')
    await vi.waitFor(() => expect(stub(el.shadowRoot)?.dataset.panels).toBe('diagram'))
    expect(stub(el.shadowRoot)?.dataset.fill).toBe('true')
    el.setAttribute('panels', '')
    await vi.waitFor(() =>
      expect(stub(el.shadowRoot)?.dataset.panels).toBe('narration,diagram,message,browser'),
    )
    expect(notice(el.shadowRoot)).toContain('The panels “” were ignored')
  })

  it('puts the lab in a mount that fills the host', async () => {
    const el = add({})
    await vi.waitFor(() => expect(stub(el.shadowRoot)).not.toBeNull())
    expect(el.shadowRoot?.querySelector('.ofl-mount > .ofl-embedded')).not.toBeNull()
  })
})
