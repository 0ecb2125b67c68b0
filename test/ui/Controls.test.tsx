// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { Controls } from '../../src/ui/Controls/Controls.tsx'
import { manualScheduler, newStore, renderWithLab, whenComplete } from './render.tsx'

afterEach(cleanup)

const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement

describe('Controls', () => {
  it('moves with Next and Back; Back is disabled at the first step', async () => {
    const store = newStore()
    const user = userEvent.setup()
    renderWithLab(<Controls />, store)
    await act(() => whenComplete(store))
    expect(button('Back').disabled).toBe(true)
    expect(button('Reset').disabled).toBe(true)
    await user.click(button('Next'))
    await user.click(button('Next'))
    expect(store.getState().index).toBe(2)
    expect(button('Back').disabled).toBe(false)
    await user.click(button('Back'))
    expect(store.getState().index).toBe(1)
  })

  it('disables Next at the end, and Reset returns to the first step', async () => {
    const store = newStore()
    const user = userEvent.setup()
    renderWithLab(<Controls />, store)
    await act(() => whenComplete(store))
    await act(() => store.getState().last())
    expect(button('Next').disabled).toBe(true)
    await user.click(button('Reset'))
    expect(store.getState().index).toBe(0)
    expect(button('Next').disabled).toBe(false)
  })

  it('jumps with the scrubber and names the step in its value text', async () => {
    const store = newStore()
    renderWithLab(<Controls />, store)
    await act(() => whenComplete(store))
    const { steps } = store.getState()
    const slider = screen.getByRole('slider', { name: 'Step' }) as HTMLInputElement
    expect(slider.max).toBe(String(steps.length - 1))
    await act(async () => {
      fireEvent.change(slider, { target: { value: '9' } })
    })
    expect(store.getState().index).toBe(9)
    expect(slider.getAttribute('aria-valuetext')).toBe(
      `Step 10 of ${steps.length}: ${steps[9]!.title}`,
    )
  })

  it('sets the speed', async () => {
    const store = newStore()
    const user = userEvent.setup()
    renderWithLab(<Controls />, store)
    await act(() => whenComplete(store))
    const select = screen.getByRole('combobox', { name: 'Speed' })
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual([
      '0.5×',
      '1×',
      '1.5×',
      '2×',
      '3×',
      '4×',
    ])
    await user.selectOptions(select, '2')
    expect(store.getState().speed).toBe(2)
  })

  it('toggles Play and Pause, and plays on the scheduler', async () => {
    const scheduler = manualScheduler()
    const store = newStore({ scheduler })
    const user = userEvent.setup()
    renderWithLab(<Controls />, store)
    await act(() => whenComplete(store))
    await user.click(button('Play'))
    expect(store.getState().playing).toBe(true)
    expect(scheduler.pending()).toBe(1)
    await act(async () => {
      scheduler.flush()
      await Promise.resolve()
    })
    expect(store.getState().index).toBe(1)
    await user.click(button('Pause'))
    expect(store.getState().playing).toBe(false)
    expect(button('Play')).toBeTruthy()
    expect(scheduler.pending()).toBe(0)
  })

  it('shows the keyboard shortcuts', async () => {
    const store = newStore()
    renderWithLab(<Controls />, store)
    await act(() => whenComplete(store))
    expect(screen.getByText(/Keyboard:/).textContent).toBe('Keyboard: ← → Space Home End')
  })
})
