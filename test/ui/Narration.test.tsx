// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { Narration } from '../../src/ui/Narration/Narration.tsx'
import { newStore, renderWithLab, whenComplete } from './render.tsx'

afterEach(cleanup)

describe('Narration', () => {
  it('shows the step’s title, phase, narration, RFC links and position', async () => {
    const store = newStore()
    renderWithLab(<Narration />, store)
    await act(() => whenComplete(store))
    const steps = store.getState().steps
    const token = steps.find((s) => s.title === 'Token request on the back channel')!
    await act(() => store.getState().goTo(token.index))
    const region = screen.getByRole('region', { name: 'Narration' })
    expect(within(region).getByRole('heading', { level: 3, name: token.title })).toBeTruthy()
    expect(within(region).getByText(token.narration)).toBeTruthy()
    expect(within(region).getByText(`Step ${token.index + 1} of ${steps.length}`)).toBeTruthy()
    const phase = within(region).getByRole('link', {
      name: /^Phase C,\s*Authorization grant → token request/,
    })
    expect(phase.getAttribute('href')).toBe('https://www.rfc-editor.org/rfc/rfc6749#section-1.2')
    const links = within(within(region).getByRole('list', { name: 'Read more' })).getAllByRole(
      'link',
    )
    expect(links.map((l) => l.textContent)).toEqual(
      token.links.map((l) => `${l.label} (opens in a new tab)`),
    )
    for (const l of links) {
      expect(l.getAttribute('target')).toBe('_blank')
      expect(l.getAttribute('rel')).toBe('noopener noreferrer')
    }
  })

  it('has no phase badge for steps outside the figure, and says when the run ended', async () => {
    const store = newStore()
    renderWithLab(<Narration />, store)
    await act(() => whenComplete(store))
    expect(screen.queryByRole('link', { name: /Phase/ })).toBeNull()
    await act(() => store.getState().last())
    expect(screen.getByRole('heading', { level: 3, name: 'The flow is complete' })).toBeTruthy()
    expect(screen.getByText('✓ Completed')).toBeTruthy()
    expect(screen.getByText(/without giving it her password/)).toBeTruthy()
  })
})
