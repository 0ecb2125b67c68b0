// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { SCENARIO_INFO } from '../../src/flow/index.ts'
import { Narration } from '../../src/ui/Narration/Narration.tsx'
import { ScenarioPicker } from '../../src/ui/ScenarioPicker/ScenarioPicker.tsx'
import { newStore, whenComplete, renderComputed } from './render.tsx'

afterEach(cleanup)

/** The picker inside a lab element (where the keyboard goes back to), code-interception vulnerable. */
function renderPickerInLab() {
  return renderComputed(
    <div className="ofl-lab">
      <ScenarioPicker />
    </div>,
    newStore({ config: { scenario: 'code-interception', variant: 'vulnerable' } }),
  )
}

describe('ScenarioPicker', () => {
  it('lists every scenario by title, flows and attacks apart', async () => {
    await renderComputed(<ScenarioPicker />)
    const select = screen.getByRole('combobox', { name: 'Scenario' }) as HTMLSelectElement
    expect(select.value).toBe('confidential')
    const options = within(select).getAllByRole('option')
    expect(options.map((o) => o.textContent)).toEqual([
      ...SCENARIO_INFO.filter((s) => !s.attack).map((s) => s.title),
      ...SCENARIO_INFO.filter((s) => s.attack).map((s) => s.title),
    ])
    const groups = within(select).getAllByRole('group')
    expect(groups.map((g) => g.getAttribute('label'))).toEqual(['Flows', 'Attacks'])
    expect(
      within(groups[1]!)
        .getAllByRole('option')
        .map((o) => (o as HTMLOptionElement).value),
    ).toEqual(SCENARIO_INFO.filter((s) => s.attack).map((s) => s.id))
    // The default flow has no variants: no switch.
    expect(screen.queryByRole('group', { name: 'Variant' })).toBeNull()
  })

  it('picking a scenario restarts the run with it; the switch flips the variant', async () => {
    const { store, user } = await renderComputed(
      <>
        <ScenarioPicker />
        <Narration />
      </>,
    )
    const runId = store.getState().runId
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Scenario' }),
      'code-interception',
    )
    await act(() => whenComplete(store))
    expect(store.getState().runId).toBeGreaterThan(runId)
    expect(store.getState().resolved).toMatchObject({
      scenario: 'code-interception',
      variant: 'defended',
      clientType: 'public',
      pkce: true,
    })
    const narration = screen.getByRole('region', { name: 'Narration' })
    expect(within(narration).getByText(/An attacker gets a copy of the redirect/)).toBeTruthy()
    expect(narration.textContent).toContain('Scenario: Code interception (PKCE) · With PKCE')

    const variant = screen.getByRole('group', { name: 'Variant' })
    const vulnerable = within(variant).getByRole('button', { name: 'Vulnerable' })
    const defended = within(variant).getByRole('button', { name: 'Defended' })
    expect(defended.getAttribute('aria-pressed')).toBe('true')
    expect(vulnerable.getAttribute('aria-pressed')).toBe('false')
    await user.click(vulnerable)
    await act(() => whenComplete(store))
    expect(store.getState().resolved).toMatchObject({ variant: 'vulnerable', pkce: false })
    expect(vulnerable.getAttribute('aria-pressed')).toBe('true')

    await act(() => store.getState().last())
    expect(within(narration).getByText('⚠ Attack succeeded')).toBeTruthy()
    await user.click(defended)
    await act(() => whenComplete(store))
    await act(() => store.getState().last())
    expect(within(narration).getByText('✓ Attack blocked')).toBeTruthy()
  })

  it('switching variant keeps the step on screen while the runs agree, and says where they part', async () => {
    const { container, store, user } = await renderPickerInLab()
    const note = container.querySelector('.ofl-scenario-parted')!
    expect(note.getAttribute('aria-live')).toBe('polite')
    expect(note.textContent).toBe('')
    await act(() => store.getState().goTo(6))
    await user.click(screen.getByRole('button', { name: 'Defended' }))
    await act(() => whenComplete(store))
    const { parted, index } = store.getState()
    expect(index).toBe(6)
    expect(parted).not.toBeNull()
    expect(note.textContent).toBe(
      `The defended run parts from the vulnerable one at step ${parted! + 1}.`,
    )
    // The keyboard goes back to the lab, so → steps on instead of pressing the button again.
    expect(document.activeElement).toBe(container.querySelector('.ofl-lab'))

    // From past the parting, the other run opens where they part.
    await act(() => store.getState().last())
    await user.click(screen.getByRole('button', { name: 'Vulnerable' }))
    await act(() => whenComplete(store))
    expect(store.getState().index).toBe(parted)
    expect(note.textContent).toBe(
      `The vulnerable run parts from the defended one at step ${parted! + 1}.`,
    )
  })

  it('pressing the variant already on does nothing', async () => {
    const { store, user } = await renderComputed(
      <ScenarioPicker />,
      newStore({ config: { scenario: 'code-interception', variant: 'defended' } }),
    )
    await act(() => store.getState().goTo(4))
    const runId = store.getState().runId
    await user.click(screen.getByRole('button', { name: 'Defended' }))
    expect(store.getState().runId).toBe(runId)
    expect(store.getState().index).toBe(4)
  })

  it('picking a scenario clears the note and gives the keyboard back to the lab', async () => {
    const { container, store, user } = await renderPickerInLab()
    await act(() => store.getState().last())
    await act(() => store.getState().setVariant('defended'))
    await act(() => whenComplete(store))
    expect(container.querySelector('.ofl-scenario-parted')?.textContent).not.toBe('')
    await user.selectOptions(screen.getByRole('combobox', { name: 'Scenario' }), 'code-replay')
    await act(() => whenComplete(store))
    expect(store.getState()).toMatchObject({ parted: null, index: 0 })
    expect(store.getState().resolved.scenario).toBe('code-replay')
    expect(container.querySelector('.ofl-scenario-parted')?.textContent).toBe('')
    expect(document.activeElement).toBe(container.querySelector('.ofl-lab'))
    // A flow without variants has no note at all.
    await user.selectOptions(screen.getByRole('combobox', { name: 'Scenario' }), 'confidential')
    await act(() => whenComplete(store))
    expect(container.querySelector('.ofl-scenario-parted')).toBeNull()
  })
})
