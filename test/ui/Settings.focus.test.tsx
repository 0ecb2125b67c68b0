// @vitest-environment jsdom
import { act, cleanup, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { Lab } from '../../src/ui/Lab.tsx'
import { Settings } from '../../src/ui/Settings/Settings.tsx'
import { whenComplete, renderComputed } from './render.tsx'

afterEach(cleanup)

// user-event walks a radio group with CSS.escape, which jsdom lacks: every other character as a
// hex escape, valid CSS wherever it goes.
globalThis.CSS ??= {} as typeof CSS
CSS.escape ??= (s: string) =>
  s.replace(/[^a-zA-Z0-9_-]/g, (c) => `\\${c.codePointAt(0)!.toString(16)} `)

async function openSettings() {
  const { container, store, user } = await renderComputed(<Lab header={<Settings />} />)
  await user.click(screen.getByRole('button', { name: 'Settings' }))
  const root = container.querySelector<HTMLElement>('.ofl-lab')!
  return { store, user, root }
}

describe('Settings and the keyboard', () => {
  it('gives focus back to the lab after a box is picked, so → steps the new run', async () => {
    const { store, user, root } = await openSettings()
    const before = store.getState().runId
    await user.click(screen.getByRole('checkbox', { name: 'state' }))
    expect(document.activeElement).toBe(root)
    // The root takes focus from code only: it is not a Tab stop.
    expect(root.tabIndex).toBe(-1)
    await waitFor(() => expect(store.getState().runId).toBeGreaterThan(before))
    await act(() => whenComplete(store))
    expect(store.getState().config.state).toBe(false)
    await user.keyboard('{ArrowRight}{ArrowRight}')
    expect(store.getState().index).toBe(2)
    await user.keyboard('{ArrowLeft}')
    expect(store.getState().index).toBe(1)
    // The panel stays open for the next pick.
    expect(screen.getByRole('group', { name: 'Flow settings' })).toBeTruthy()
  })

  it('gives focus back after a radio picked from the keyboard: the next → steps, not the radios', async () => {
    const { store, user, root } = await openSettings()
    const confidential = screen.getByRole('radio', { name: /Confidential web app/ })
    confidential.focus()
    await user.keyboard('{ArrowDown}')
    await waitFor(() => expect(store.getState().config.clientType).toBe('public'))
    expect(document.activeElement).toBe(root)
    await act(() => whenComplete(store))
    await user.keyboard('{ArrowRight}')
    expect(store.getState().index).toBe(1)
    expect(store.getState().config.clientType).toBe('public')
  })

  it('gives focus back after a scope chip, but not while the learner types scopes', async () => {
    const { store, user, root } = await openSettings()
    await user.click(screen.getByRole('button', { name: 'photos.write' }))
    expect(document.activeElement).toBe(root)
    await act(() => whenComplete(store))
    const field = screen.getByRole('combobox', { name: 'Scopes' })
    await user.click(field)
    await user.keyboard('{End} openid{Enter}')
    expect(document.activeElement).toBe(screen.getByRole('combobox', { name: 'Scopes' }))
    // Arrows move the caret in the field; the lab stays where it was.
    await act(() => whenComplete(store))
    await user.keyboard('{ArrowLeft}{ArrowRight}')
    expect(store.getState().index).toBe(0)
  })
})
