// @vitest-environment jsdom
/**
 * Each panel has its own error boundary: a fault in one (here the HTTP log, made to throw) takes
 * away that panel only — never the controls, the story or the other panes — and the panel is
 * tried again on the next step.
 */
import { act, cleanup, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Lab } from '../../src/ui/Lab.tsx'
import { renderComputed } from './render.tsx'

const broken = vi.hoisted(() => ({ log: true }))

vi.mock('../../src/ui/HttpLog/HttpLog.tsx', () => ({
  HttpLog: () => {
    if (broken.log) throw new Error('the log broke')
    return <p>the log again</p>
  },
}))

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
  broken.log = true
})

describe('a panel that fails', () => {
  it('is replaced by a message naming it; the controls and the other panes stay and work', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { store, user } = await renderComputed(<Lab />)
    await user.click(screen.getByRole('tab', { name: /Log/ }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('The HTTP log could not be shown.')
    expect(alert.textContent).toContain('the log broke')
    expect(warn).toHaveBeenCalled()
    // The rest of the lab is still there, and Next still steps.
    await user.click(screen.getByRole('button', { name: 'Next' }))
    expect(store.getState().index).toBe(1)
    expect(screen.getByRole('region', { name: 'Controls' })).toBeTruthy()
    await user.click(screen.getByRole('tab', { name: /Message/ }))
    expect(within(screen.getByRole('tabpanel')).queryByRole('alert')).toBeNull()
  })

  it('is tried again on the next step, and shows once it works', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { store, user } = await renderComputed(<Lab />)
    await user.click(screen.getByRole('tab', { name: /Log/ }))
    await screen.findByRole('alert')
    broken.log = false
    await act(() => store.getState().next())
    expect(await screen.findByText('the log again')).toBeTruthy()
    expect(screen.queryByRole('alert')).toBeNull()
  })
})
