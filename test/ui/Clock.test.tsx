// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { formatTimeOfDay } from '../../src/flow/index.ts'
import { Clock } from '../../src/ui/Clock/Clock.tsx'
import { whenComplete, renderComputed } from './render.tsx'

afterEach(cleanup)

describe('Clock', () => {
  it('shows the simulated time of the step on screen and the time since the start', async () => {
    const { store } = await renderComputed(<Clock />)
    const start = store.getState().steps[0]!.snapshot.clock.now
    expect(screen.getByText(formatTimeOfDay(start))).toBeTruthy()
    expect(screen.getByText('+0 min since start')).toBeTruthy()
    const consent = store.getState().steps.find((s) => s.awaiting === 'consent')!
    await act(() => store.getState().goTo(consent.index))
    const elapsed = Math.round((consent.snapshot.clock.now - start) / 1000)
    expect(screen.getByText(`+${elapsed} s since start`)).toBeTruthy()
  })

  it('fast-forwards from any step but the end', async () => {
    const { store, user } = await renderComputed(<Clock />)
    const ff = screen.getByRole('group', { name: 'Fast-forward' })
    const tenMinutes = within(ff).getByRole('button', { name: '+10 min' })
    expect(within(ff).getByRole('button', { name: '+1 min' })).toBeTruthy()
    expect(within(ff).getByRole('button', { name: '+1 h' })).toBeTruthy()

    const inner = store.getState().steps.find((s) => !s.boundary)!
    await act(() => store.getState().goTo(inner.index))
    expect((tenMinutes as HTMLButtonElement).disabled).toBe(false)

    const consent = store.getState().steps.find((s) => s.awaiting === 'consent')!
    await act(() => store.getState().goTo(consent.index))
    expect((tenMinutes as HTMLButtonElement).disabled).toBe(false)
    await user.click(tenMinutes)
    await act(() => whenComplete(store))
    const s = store.getState()
    expect(s.index).toBe(consent.index + 1)
    expect(s.steps[s.index]?.kind).toEqual({ type: 'time', seconds: 600 })
    expect(screen.getByText(formatTimeOfDay(consent.snapshot.clock.now + 600_000))).toBeTruthy()
  })

  it('offers no fast-forward at the end', async () => {
    const { store } = await renderComputed(<Clock />)
    await act(() => store.getState().last())
    const buttons = within(screen.getByRole('group', { name: 'Fast-forward' })).getAllByRole(
      'button',
    )
    expect(buttons.every((b) => (b as HTMLButtonElement).disabled)).toBe(true)
  })
})
