// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { explainTerm } from '../../src/flow/glossary/terms.ts'
import type { Step } from '../../src/flow/index.ts'
import type { LabStore } from '../../src/store/index.ts'
import { Narration } from '../../src/ui/Narration/Narration.tsx'
import { renderComputed } from './render.tsx'

afterEach(cleanup)

/** The text a reader sees in an element: without the closed popovers of the terms it explains. */
function shown(el: Element | null | undefined): string {
  if (!el) return ''
  const copy = el.cloneNode(true) as Element
  for (const h of copy.querySelectorAll('[hidden]')) h.remove()
  return copy.textContent ?? ''
}

function definition(id: string): string {
  const t = explainTerm(id)
  if (!t) throw new Error(`no term ${id}`)
  return t.text
}

/** A lab whose whole run is computed, showing the first step that `pick` accepts. */
async function labAt(pick: (s: Step) => boolean): Promise<{ store: LabStore; step: Step }> {
  const { store } = await renderComputed(<Narration />)
  const step = store.getState().steps.find(pick)
  if (!step) throw new Error('no such step')
  await act(() => store.getState().goTo(step.index))
  return { store, step }
}

const region = () => screen.getByRole('region', { name: 'Narration' })

describe('Narration', () => {
  it('shows the step’s title, phase, narration, RFC links and position', async () => {
    const { store } = await renderComputed(<Narration />)
    const steps = store.getState().steps
    const token = steps.find((s) => s.title === 'Token request on the back channel')!
    await act(() => store.getState().goTo(token.index))
    const region = screen.getByRole('region', { name: 'Narration' })
    expect(within(region).getByRole('heading', { level: 3, name: token.title })).toBeTruthy()
    expect(shown(region.querySelector('.ofl-narration-text'))).toBe(token.narration)
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
    const { store } = await renderComputed(<Narration />)
    expect(screen.queryByRole('link', { name: /Phase/ })).toBeNull()
    await act(() => store.getState().last())
    expect(screen.getByRole('heading', { level: 3, name: 'The flow is complete' })).toBeTruthy()
    expect(screen.getByText('✓ Completed')).toBeTruthy()
    expect(screen.getByText(/without giving it her password/)).toBeTruthy()
  })

  describe('the glossary', () => {
    const redirect = (s: Step) => s.title === 'The app redirects to the authorization server'

    it('makes the terms in the narration focusable, each described by its definition', async () => {
      const { step } = await labAt(redirect)
      expect(step.narration).toMatch(/\bredirect_uri\b.*\bstate\b.*\bcode_verifier\b/)
      const text = region().querySelector('.ofl-narration-text') as HTMLElement
      for (const [word, id] of [
        ['redirect_uri', 'redirect-uri'],
        ['state', 'state'],
        ['code_verifier', 'code-verifier'],
      ] as const) {
        const button = within(text).getByRole('button', { name: word })
        const described = button.getAttribute('aria-describedby') ?? ''
        expect(document.getElementById(described)?.textContent).toBe(definition(id))
      }
      // A word that is only English stays text: "the SPA's code", "State" at a sentence's start.
      expect(within(text).queryByRole('button', { name: /^code$/i })).toBeNull()
    })

    it('defines a term inline the first time the run uses it, and not again', async () => {
      const { store, step } = await labAt(redirect)
      const fresh = within(region()).getByRole('group', { name: 'New here' })
      // The first two new words are defined in full; the others are named, a tap away.
      expect([...fresh.querySelectorAll('dt')].map((t) => t.textContent)).toEqual([
        'client_id',
        'redirect_uri',
      ])
      expect([...fresh.querySelectorAll('dd')].map((d) => d.textContent)).toEqual([
        definition('client-id'),
        definition('redirect-uri'),
      ])
      expect(within(fresh).getByRole('button', { name: 'state' })).toBeTruthy()
      expect(within(fresh).getByRole('button', { name: 'code_verifier' })).toBeTruthy()
      // A later step that uses state again does not define it again.
      const later = store
        .getState()
        .steps.find((s) => s.index > step.index && /\bstate\b/.test(s.narration))
      if (!later) throw new Error('no later step with state')
      await act(() => store.getState().goTo(later.index))
      const group = within(region()).queryByRole('group', { name: 'New here' })
      expect(group ? shown(group) : '').not.toContain(definition('state'))
      expect(within(region()).getByRole('button', { name: 'state' })).toBeTruthy()
    })

    it('shows no definitions on a step whose words are all known', async () => {
      await labAt((s) => s.index === 0)
      expect(within(region()).queryByRole('group', { name: 'New here' })).toBeNull()
    })
  })

  describe('More', () => {
    /** The authorization request's 302: its narration says what it carries, More says why. */
    async function withMore() {
      const lab = await labAt((s) => s.title === 'The app redirects to the authorization server')
      const more = lab.step.more
      if (!more) throw new Error('the redirect step has no More')
      expect(more).toMatch(/CSRF/)
      return { ...lab, more }
    }

    it('has no More button when the step has nothing more to say', async () => {
      await labAt((s) => s.index === 0)
      expect(within(region()).queryByRole('button', { name: 'More' })).toBeNull()
    })

    it('reveals the rest below the narration, with its terms, and closes on the next step', async () => {
      const user = userEvent.setup()
      const { store, step, more } = await withMore()
      const toggle = within(region()).getByRole('button', { name: 'More' })
      expect(toggle.getAttribute('aria-expanded')).toBe('false')
      expect(region().querySelector('.ofl-narration-more')).toBeNull()
      toggle.focus()
      await user.keyboard('{Enter}')
      expect(toggle.getAttribute('aria-expanded')).toBe('true')
      const shownMore = region().querySelector('.ofl-narration-more')
      expect(shown(shownMore)).toBe(more)
      expect(toggle.getAttribute('aria-controls')).toBe(shownMore?.id)
      expect(within(shownMore as HTMLElement).getByRole('button', { name: 'PKCE' })).toBeTruthy()
      await user.keyboard(' ')
      expect(toggle.getAttribute('aria-expanded')).toBe('false')
      await user.click(toggle)
      expect(toggle.getAttribute('aria-expanded')).toBe('true')
      await act(() => store.getState().goTo(step.index + 1))
      await act(() => store.getState().goTo(step.index))
      expect(
        within(region()).getByRole('button', { name: 'More' }).getAttribute('aria-expanded'),
      ).toBe('false')
      expect(region().querySelector('.ofl-narration-more')).toBeNull()
    })
  })
})
