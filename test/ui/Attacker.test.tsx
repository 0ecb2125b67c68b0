// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { SequenceDiagram } from '../../src/ui/SequenceDiagram/SequenceDiagram.tsx'
import { StatePanel } from '../../src/ui/StatePanel/StatePanel.tsx'
import { newStore, renderWithLab, whenComplete } from './render.tsx'

afterEach(cleanup)

describe('the attacker in attack scenarios', () => {
  it('has its own lane in the mix-up: evil-as.example, a second authorization server beside auth.example', async () => {
    const store = newStore({ config: { scenario: 'mix-up', variant: 'vulnerable' } })
    renderWithLab(<SequenceDiagram />, store)
    await act(() => whenComplete(store))
    await act(() => store.getState().last())
    const lane = screen.getByRole('group', { name: 'evil-as.example' })
    expect(lane.getAttribute('data-role')).toBe('attacker')
    expect(lane.textContent).toContain('Authorization server (attacker’s)')
    expect(lane.querySelector('.ofl-seq-lane-origin')?.textContent).toBe('https://evil-as.example')
    expect(lane.querySelector('svg.ofl-seq-attacker-glyph')).not.toBeNull()
    const heads = within(screen.getByRole('group', { name: 'Lanes' }))
      .getAllByRole('group')
      .map((g) => g.getAttribute('data-role'))
    expect(heads).toEqual([
      'browser',
      'client',
      'authorization-server',
      'attacker',
      'resource-server',
    ])
  })

  it('has no lane and no state section in a flow without one', async () => {
    const store = newStore()
    renderWithLab(
      <>
        <SequenceDiagram />
        <StatePanel />
      </>,
      store,
    )
    await act(() => whenComplete(store))
    expect(screen.queryByRole('group', { name: 'Attacker' })).toBeNull()
    expect(screen.queryByRole('region', { name: /^Attacker/ })).toBeNull()
  })

  it('lists what the attacker holds in the state panel', async () => {
    const store = newStore({ config: { scenario: 'code-interception', variant: 'vulnerable' } })
    renderWithLab(<StatePanel />, store)
    await act(() => whenComplete(store))
    const section = () => screen.getByRole('region', { name: /^Attacker/ })
    expect(within(section()).getByText('stolen codes')).toBeTruthy()
    expect(within(section()).getByText('planted URL')).toBeTruthy()
    await act(() => store.getState().last())
    const world = store.getState().steps.at(-1)!.snapshot
    const code = world.attacker.stolenCodes[0]!.code
    expect(section().textContent).toContain(code)
    expect(within(section()).getByText('stolen access_token (authorization_code)')).toBeTruthy()
  })
})
