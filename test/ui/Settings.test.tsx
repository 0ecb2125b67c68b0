// @vitest-environment jsdom
import { act, cleanup, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { Lab } from '../../src/ui/Lab.tsx'
import { Settings } from '../../src/ui/Settings/Settings.tsx'
import { whenComplete, renderComputed } from './render.tsx'

afterEach(cleanup)

describe('Settings', () => {
  it('opens a panel that says a change restarts the flow; Escape closes it and returns focus', async () => {
    const { user } = await renderComputed(<Settings />)
    const toggle = screen.getByRole('button', { name: 'Settings' })
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    expect(screen.queryByRole('group', { name: 'Flow settings' })).toBeNull()
    // Closed, the panel is not built at all (the first render is lighter), and the toggle names
    // no panel; open, it names the one it shows.
    expect(document.querySelector('.ofl-settings-panel')).toBeNull()
    expect(toggle.hasAttribute('aria-controls')).toBe(false)
    await user.click(toggle)
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    const panel = screen.getByRole('group', { name: 'Flow settings' })
    expect(panel.textContent).toContain('Changing a setting starts the flow again.')
    expect(toggle.getAttribute('aria-controls')).toBe(panel.id)
    await user.click(screen.getByRole('checkbox', { name: /PKCE/ }))
    await user.keyboard('{Escape}')
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    expect(document.activeElement).toBe(toggle)
    expect(document.querySelector('.ofl-settings-panel')).toBeNull()
  })

  describe('when the client type changes to public', () => {
    it('restarts the run with the SPA at spa.example', async () => {
      const { store, user } = await renderComputed(<Settings />)
      const before = store.getState().runId
      await user.click(screen.getByRole('button', { name: 'Settings' }))
      await user.click(
        screen.getByRole('radio', { name: 'Public single-page app (PKCE, no secret)' }),
      )
      await waitFor(() => expect(store.getState().runId).toBeGreaterThan(before))
      await act(() => whenComplete(store))
      const s = store.getState()
      expect(s.config.clientType).toBe('public')
      expect(s.index).toBe(0)
      expect(s.steps.some((st) => st.snapshot.browser.url.startsWith('https://spa.example/'))).toBe(
        true,
      )
      expect(screen.queryByRole('radio', { name: 'client_secret_basic' })).toBeNull()
    })
  })

  it('starts Alice signed in at auth.example: no login page, the consent page at once', async () => {
    const { store, user } = await renderComputed(<Settings />)
    await user.click(screen.getByRole('button', { name: 'Settings' }))
    const box = screen.getByRole('checkbox', { name: 'Alice is already signed in at auth.example' })
    expect((box as HTMLInputElement).checked).toBe(false)
    expect(box.getAttribute('aria-describedby')).toBeTruthy()
    await user.click(box)
    await act(() => whenComplete(store))
    const s = store.getState()
    expect(s.config.signedIn).toBe(true)
    expect(s.steps[0]?.snapshot.browser.cookies['https://auth.example']).toHaveProperty(
      'as_session',
    )
    expect(s.steps.some((st) => st.awaiting === 'credentials')).toBe(false)
    expect(s.steps.some((st) => st.awaiting === 'consent')).toBe(true)
    expect(
      (screen.getByRole('checkbox', { name: /already signed in/ }) as HTMLInputElement).checked,
    ).toBe(true)
  })

  it('removes openid from the scope when OpenID Connect is unchecked', async () => {
    const { store, user } = await renderComputed(<Settings />)
    await user.click(screen.getByRole('button', { name: 'Settings' }))
    await user.click(screen.getByRole('checkbox', { name: /OpenID Connect/ }))
    await act(() => whenComplete(store))
    expect(store.getState().config.oidc).toBe(false)
    expect(store.getState().config.scope).toBe('profile photos.read')
    expect((screen.getByRole('combobox', { name: 'Scopes' }) as HTMLInputElement).value).toBe(
      'profile photos.read',
    )
    expect(screen.getByRole('button', { name: 'openid' }).getAttribute('aria-pressed')).toBe(
      'false',
    )
  })

  it('applies a typed scope on Enter, and quick toggles add a scope', async () => {
    const { store, user } = await renderComputed(<Settings />)
    await user.click(screen.getByRole('button', { name: 'Settings' }))
    const field = screen.getByRole('combobox', { name: 'Scopes' })
    await user.clear(field)
    await user.type(field, 'openid   photos.read{Enter}')
    await act(() => whenComplete(store))
    expect(store.getState().config.scope).toBe('openid photos.read')
    await user.click(screen.getByRole('button', { name: 'photos.write' }))
    await act(() => whenComplete(store))
    expect(store.getState().config.scope).toBe('openid photos.read photos.write')
  })

  it.each([
    ['a quote', 'openid "x"', /no quotes/],
    ['a backslash', 'a\\b', /backslashes/],
    ['a name outside ASCII', 'photos.lire café', /outside ASCII/],
    ['17 names', Array.from({ length: 17 }, (_, i) => `s${i}`).join(' '), /At most 16 scope names: this list has 17/],
    ['5,000 characters', 'x'.repeat(5000), /at most 64 characters: one here has 5000/],
  ])('refuses %s at the field, says why, and keeps the lab’s scope and link', async (_, typed, why) => {
    const { store, user } = await renderComputed(<Settings />)
    const before = store.getState().config.scope
    await user.click(screen.getByRole('button', { name: 'Settings' }))
    const field = screen.getByRole('combobox', { name: 'Scopes' })
    await user.clear(field)
    // Pasted, as a long or odd value would be (typing 5,000 keys is slow, and { starts a key name).
    await user.click(field)
    await user.paste(typed)
    await user.keyboard('{Enter}')
    expect(store.getState().config.scope).toBe(before)
    expect(field.getAttribute('aria-invalid')).toBe('true')
    const error = document.getElementById(field.getAttribute('aria-describedby')!.split(' ')[0]!)
    expect(error?.textContent).toMatch(/^Not applied\. /)
    expect(error?.textContent).toMatch(why)
    // What the learner typed stays, to fix; a good list then applies and clears the message.
    expect((field as HTMLInputElement).value).toBe(typed)
    await user.clear(field)
    await user.type(field, 'openid profile{Enter}')
    await act(() => whenComplete(store))
    expect(store.getState().config.scope).toBe('openid profile')
    // The field is made afresh for the new scope: valid, and no message.
    const fresh = screen.getByRole('combobox', { name: 'Scopes' })
    expect(fresh.getAttribute('aria-invalid')).toBe('false')
    expect(screen.queryByText(/^Not applied\./)).toBeNull()
  })

  it('switches the theme on the lab’s root', async () => {
    const { container, store, user } = await renderComputed(<Lab header={<Settings />} />)
    const root = container.querySelector('.ofl-root')!
    expect(root.getAttribute('data-theme')).toBe('system')
    await user.click(screen.getByRole('button', { name: 'Dark' }))
    expect(root.getAttribute('data-theme')).toBe('dark')
    expect(screen.getByRole('button', { name: 'Dark' }).getAttribute('aria-pressed')).toBe('true')
    await user.click(screen.getByRole('button', { name: 'Light' }))
    expect(store.getState().theme).toBe('light')
    expect(root.getAttribute('data-theme')).toBe('light')
  })
})
