// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { Narration } from '../../src/ui/Narration/Narration.tsx'
import { StatePanel } from '../../src/ui/StatePanel/StatePanel.tsx'
import { newStore, renderWithLab, whenComplete, renderComputed } from './render.tsx'

afterEach(cleanup)

/** Each name of the card's list with its value, as text. */
function rows(list: HTMLElement): Record<string, string> {
  const out: Record<string, string> = {}
  for (const row of list.querySelectorAll('.ofl-registration-row')) {
    out[row.querySelector('dt')!.textContent!] = row.querySelector('dd')!.textContent!
  }
  return out
}

describe('the registration card', () => {
  it('shows the web app’s registration on the first step, before the world has loaded', async () => {
    const store = newStore()
    renderWithLab(<Narration />, store)
    // The first step is the preview: the world is still loading.
    expect(store.getState().steps).toEqual([])
    const card = screen.getByRole('group', { name: 'Registered at auth.example' })
    expect(rows(card.querySelector('dl')!)).toEqual({
      Client: 'Demo Photo App: a confidential web app',
      client_id: 'demo-web-app',
      client_secret: 'yes, kept on the app’s server (client.example), never in the browser',
      redirect_uri: 'https://client.example/callback',
      'Allowed scopes': 'openidprofilephotos.readphotos.write',
      token_endpoint_auth_method: 'client_secret_basic',
    })
    // Protocol values in code, so translators and screen readers leave them alone.
    for (const value of [
      'client_id',
      'demo-web-app',
      'https://client.example/callback',
      'photos.read',
    ])
      expect(within(card).getByText(value).tagName).toBe('CODE')
    await act(() => whenComplete(store))
  })

  it('says the SPA has no secret and authenticates with none', async () => {
    await renderComputed(<Narration />, newStore({ config: { scenario: 'pkce-spa' } }))
    const card = screen.getByRole('group', { name: 'Registered at auth.example' })
    const shown = rows(card.querySelector('dl')!)
    expect(shown.client_id).toBe('demo-spa')
    expect(shown.client_secret).toBe('none: its code runs in the browser, where it cannot keep one')
    expect(shown.redirect_uri).toBe('https://spa.example/callback')
    expect(shown.token_endpoint_auth_method).toBe('none')
  })

  it('shows only on the first step', async () => {
    const { store } = await renderComputed(<Narration />)
    await act(() => store.getState().goTo(1))
    expect(screen.queryByRole('group', { name: 'Registered at auth.example' })).toBeNull()
    await act(() => store.getState().goTo(0))
    expect(screen.getByRole('group', { name: 'Registered at auth.example' })).toBeTruthy()
  })

  it('sits closed at the top of the State pane, and opens on a click', async () => {
    const { user } = await renderComputed(
      <StatePanel />,
      newStore({ config: { authMethod: 'client_secret_post' } }),
    )
    const summary = screen.getByText('Registration')
    const details = summary.closest('details')!
    expect(details.open).toBe(false)
    await user.click(summary)
    expect(details.open).toBe(true)
    expect(rows(details.querySelector('dl')!).token_endpoint_auth_method).toBe('client_secret_post')
  })
})
