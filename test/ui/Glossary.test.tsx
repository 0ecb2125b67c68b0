// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import axe from 'axe-core'
import { afterEach, describe, expect, it } from 'vitest'
import { explainField } from '../../src/flow/glossary/fields.ts'
import { explainTerm, type Explanation } from '../../src/flow/glossary/terms.ts'
import { Term } from '../../src/ui/Glossary/Term.tsx'

afterEach(cleanup)

const EVIL = '<img src=x onerror=alert(1)>'

function term(id: string): Explanation {
  const t = explainTerm(id)
  if (!t) throw new Error(`no term ${id}`)
  return t
}

function renderTerm(explanation: Explanation = term('state'), word = 'state') {
  return render(
    <div className="ofl-root">
      <p>
        It sends a <Term explanation={explanation}>{word}</Term> and waits.
      </p>
      <button type="button">Elsewhere</button>
    </div>,
  )
}

/** The popover a term's button describes itself with. */
function popoverOf(button: HTMLElement): HTMLElement {
  const id = button.getAttribute('aria-describedby')?.split(' ')[0] ?? ''
  const text = document.getElementById(id)
  const pop = text?.closest<HTMLElement>('.ofl-term-pop')
  if (!pop) throw new Error('no popover')
  return pop
}

describe('Term', () => {
  it('is a button described by its definition, whose popover starts closed', () => {
    renderTerm()
    const button = screen.getByRole('button', { name: 'state' })
    expect(button.getAttribute('type')).toBe('button')
    const ids = button.getAttribute('aria-describedby')?.split(' ') ?? []
    expect(ids.map((id) => document.getElementById(id)?.textContent)).toEqual([term('state').text])
    expect(popoverOf(button).hidden).toBe(true)
  })

  it('describes a field with who sets it and who checks it, and links its section', async () => {
    const field = explainField('query', 'code_challenge')
    if (!field) throw new Error('no entry')
    renderTerm(field, 'code_challenge')
    const button = screen.getByRole('button', { name: 'code_challenge' })
    const ids = button.getAttribute('aria-describedby')?.split(' ') ?? []
    expect(ids.map((id) => document.getElementById(id)?.textContent)).toEqual([
      field.text,
      'Set by the client; checked by the authorization server.',
    ])
    await userEvent.click(button)
    const link = screen.getByRole('link', { name: /^RFC 7636 §4\.3/ })
    expect(link.getAttribute('href')).toBe('https://www.rfc-editor.org/rfc/rfc7636#section-4.3')
    expect(link.getAttribute('target')).toBe('_blank')
    expect(link.getAttribute('rel')).toBe('noopener noreferrer')
  })

  it('opens on keyboard focus, and Tab goes past it, one stop per term', async () => {
    const user = userEvent.setup()
    renderTerm()
    const button = screen.getByRole('button', { name: 'state' })
    await user.tab()
    expect(document.activeElement).toBe(button)
    expect(popoverOf(button).hidden).toBe(false)
    await user.tab()
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Elsewhere' }))
    expect(popoverOf(button).hidden).toBe(true)
  })

  it('opened with Enter, its RFC link is the next stop; Escape closes it', async () => {
    const user = userEvent.setup()
    renderTerm()
    const button = screen.getByRole('button', { name: 'state' })
    await user.tab()
    await user.keyboard('{Enter}')
    await user.tab()
    expect(document.activeElement?.closest('.ofl-term-pop')).toBe(popoverOf(button))
    expect(document.activeElement?.getAttribute('href')).toBe(term('state').href)
    expect(popoverOf(button).hidden).toBe(false)
    await user.keyboard('{Escape}')
    expect(popoverOf(button).hidden).toBe(true)
    expect(document.activeElement).toBe(button)
    // Enter again opens it; Enter once more closes it, focus staying on the term.
    await user.keyboard('{Enter}')
    expect(popoverOf(button).hidden).toBe(false)
    await user.keyboard('{Enter}')
    expect(popoverOf(button).hidden).toBe(true)
    expect(document.activeElement).toBe(button)
  })

  it('opens on a tap, closes on a second tap or a tap elsewhere', async () => {
    renderTerm()
    const button = screen.getByRole('button', { name: 'state' })
    await userEvent.click(button)
    expect(popoverOf(button).hidden).toBe(false)
    await userEvent.click(button)
    expect(popoverOf(button).hidden).toBe(true)
    await userEvent.click(button)
    expect(popoverOf(button).hidden).toBe(false)
    await userEvent.click(screen.getByText(/waits/))
    expect(popoverOf(button).hidden).toBe(true)
  })

  it('opens on hover and closes when the pointer leaves', async () => {
    renderTerm()
    const button = screen.getByRole('button', { name: 'state' })
    act(() => {
      fireEvent.mouseEnter(button)
    })
    expect(popoverOf(button).hidden).toBe(false)
    act(() => {
      fireEvent.mouseLeave(button)
    })
    await waitFor(() => expect(popoverOf(button).hidden).toBe(true))
  })

  it('renders every string as text, never as markup', async () => {
    renderTerm({ ...term('state'), text: EVIL, roles: EVIL }, EVIL)
    const button = screen.getByRole('button', { name: EVIL })
    await userEvent.click(button)
    expect(document.querySelector('img')).toBeNull()
    expect(popoverOf(button).textContent).toContain(EVIL)
  })

  it('has no axe violations, closed or open', async () => {
    const { container } = renderTerm()
    const rules = { 'color-contrast': { enabled: false }, region: { enabled: false } }
    expect((await axe.run(container, { rules })).violations).toEqual([])
    await userEvent.click(screen.getByRole('button', { name: 'state' }))
    expect((await axe.run(container, { rules })).violations).toEqual([])
  })
})
