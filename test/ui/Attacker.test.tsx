// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { HttpLog } from '../../src/ui/HttpLog/HttpLog.tsx'
import { MessagePane } from '../../src/ui/Message/MessagePane.tsx'
import { SequenceDiagram } from '../../src/ui/SequenceDiagram/SequenceDiagram.tsx'
import { StatePanel } from '../../src/ui/StatePanel/StatePanel.tsx'
import { newStore, renderComputed } from './render.tsx'

afterEach(cleanup)

describe('the attacker in attack scenarios', () => {
  it('has its own lane in the mix-up: evil-as.example, a second authorization server beside auth.example', async () => {
    const { store } = await renderComputed(
      <SequenceDiagram />,
      newStore({ config: { scenario: 'mix-up', variant: 'vulnerable' } }),
    )
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

  it('is named evil-as.example in the log, the Message pane and the statuses of those waiting on it', async () => {
    const { store } = await renderComputed(
      <>
        <SequenceDiagram />
        <HttpLog />
        <MessagePane />
      </>,
      newStore({ config: { scenario: 'mix-up', variant: 'defended' } }),
    )
    const { steps } = store.getState()
    const toEvil = steps.find((s) => s.kind.type === 'request' && s.to === 'attacker')
    if (!toEvil) throw new Error('no request to evil-as')
    await act(() => store.getState().goTo(toEvil.index))
    const from = toEvil.from === 'browser' ? 'Browser' : 'Client'
    const log = within(screen.getByRole('list', { name: /^Exchanges/ }))
    expect(log.getAllByText(`${from} → evil-as.example`).length).toBeGreaterThan(0)
    expect(log.queryByText(/→ Attacker/)).toBeNull()
    expect(document.querySelector('.ofl-message-pane-head h2')?.textContent).toContain(
      `${from} → evil-as.example`,
    )
    const waiting = screen.getByRole('group', { name: from })
    expect(waiting.textContent).toContain('Waiting for evil-as.example')
  })

  it('has no lane and no state section in a flow without one', async () => {
    await renderComputed(
      <>
        <SequenceDiagram />
        <StatePanel />
      </>,
    )
    expect(screen.queryByRole('group', { name: 'Attacker' })).toBeNull()
    expect(screen.queryByRole('region', { name: /^Attacker/ })).toBeNull()
  })

  it('lists what the attacker holds in the state panel', async () => {
    const { store } = await renderComputed(
      <StatePanel />,
      newStore({ config: { scenario: 'code-interception', variant: 'vulnerable' } }),
    )
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
