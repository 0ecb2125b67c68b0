// @vitest-environment jsdom
import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { HttpLog } from '../../src/ui/HttpLog/HttpLog.tsx'
import {
  cleanUpAfterEach,
  editSnapshotOnScreen,
  renderWithLab,
  storeAt,
  tokenRequest,
  tokenResponse,
  spyOnClipboardWrites,
} from './render.tsx'

function entries(): HTMLElement[] {
  return within(screen.getByRole('list', { name: /^Exchanges/ })).getAllByRole('listitem')
}

describe('HttpLog', () => {
  cleanUpAfterEach()

  it('lists one line per request sent so far; one still in flight shows …', async () => {
    const store = await storeAt(tokenRequest)
    renderWithLab(<HttpLog />, store)
    expect(screen.getByRole('heading', { level: 2, name: 'HTTP log' })).toBeTruthy()
    const { steps, index } = store.getState()
    const sent = steps.slice(0, index + 1).filter((s) => s.kind.type === 'request').length
    expect(entries()).toHaveLength(sent)
    expect(screen.getByText(`${sent} exchanges so far`)).toBeTruthy()
    const last = entries().at(-1)
    if (!last) throw new Error('no entries')
    const button = within(last).getByRole('button', {
      name: 'POST auth.example/token waiting for the response Client → Authorization Server back channel this step',
    })
    expect(within(button).getByText('…')).toBeTruthy()
    expect(button.getAttribute('aria-expanded')).toBe('false')
    // It is the current step's exchange, and the callback that started it is still waiting too.
    expect(last.getAttribute('aria-current')).toBe('step')
    expect(entries().filter((e) => e.getAttribute('aria-current'))).toHaveLength(1)
    expect(within(last).getByText('this step')).toBeTruthy()
  })

  it('grows by one line as the next request is sent, and shrinks back on Back', async () => {
    const store = await storeAt(tokenRequest)
    renderWithLab(<HttpLog />, store)
    const n = entries().length
    await act(() => store.getState().next())
    expect(entries()).toHaveLength(n) // the response: same lines, now with a status
    expect(within(entries().at(-1) as HTMLElement).getByText('200')).toBeTruthy()
    await act(() => store.getState().next())
    expect(entries()).toHaveLength(n + 1)
    act(() => store.getState().back())
    act(() => store.getState().back())
    expect(entries()).toHaveLength(n)
    expect(within(entries().at(-1) as HTMLElement).queryByText('200')).toBeNull()
  })

  it('expands a line to the raw request and response with their headers', async () => {
    const store = await storeAt(tokenResponse)
    renderWithLab(<HttpLog />, store)
    const user = userEvent.setup()
    const button = screen.getByRole('button', { name: /^POST auth\.example\/token 200/ })
    await user.click(button)
    expect(button.getAttribute('aria-expanded')).toBe('true')
    // What it controls is there at once ("Opening…"), and shows the details once they loaded.
    expect(document.getElementById(button.getAttribute('aria-controls') ?? '')).not.toBeNull()
    const details = await waitFor(() => {
      const el = document.getElementById(button.getAttribute('aria-controls') ?? '')
      if (!el?.querySelector('.ofl-message-raw')) throw new Error('the details have not loaded')
      return el
    })
    // The raw messages, folded away under the formatted parts.
    const raw = details.querySelectorAll('.ofl-message-raw')
    expect(raw).toHaveLength(2)
    expect(raw[0]?.textContent).toMatch(
      /^POST \/token HTTP\/1\.1\nHost: auth\.example\nContent-Type: application\/x-www-form-urlencoded\n/,
    )
    expect(raw[0]?.textContent).toMatch(/\nAuthorization: Basic [\w=]+\n/)
    expect(raw[0]?.textContent).toMatch(/\n\ngrant_type=authorization_code&code=/)
    expect(raw[1]?.textContent).toMatch(
      /^HTTP\/1\.1 200 OK\nContent-Type: application\/json\nCache-Control: no-store\n/,
    )
    // The same Message view as the inspector's: request line, headers and body as tables.
    expect(details.querySelector('.ofl-message-line')?.textContent).toBe(
      'POST https://auth.example/token',
    )
    const headers = within(details).getAllByRole('table', { name: 'Headers' })
    expect(headers).toHaveLength(2)
    expect(within(headers[0] as HTMLElement).getByText('demo-web-app')).toBeTruthy()
    expect(within(details).getByRole('table', { name: 'Form body' })).toBeTruthy()
    expect(within(details).getByRole('heading', { name: 'Body (JSON)' })).toBeTruthy()
    await user.click(button)
    expect(button.getAttribute('aria-expanded')).toBe('false')
    expect(document.getElementById(details.id)).toBeNull()
  })

  it('decodes the JWTs in the token response, explains the claims and checks the signature', async () => {
    const store = await storeAt(tokenResponse)
    renderWithLab(<HttpLog />, store)
    await userEvent
      .setup()
      .click(screen.getByRole('button', { name: /^POST auth\.example\/token 200/ }))
    const access = screen.getByRole('article', {
      name: 'Access token in the response, JSON field access_token',
    })
    const id = screen.getByRole('article', {
      name: 'ID token in the response, JSON field id_token',
    })
    expect(await within(access).findByText(/^Signature valid \(kid test-key\)/)).toBeTruthy()
    expect(await within(id).findByText(/^Signature valid \(kid test-key\)/)).toBeTruthy()
    expect(within(access).getByText('https://api.example')).toBeTruthy()
    expect(within(access).getByText(/^audience/)).toBeTruthy()
    expect(within(access).getByText(/^issuer/)).toBeTruthy()
    expect(within(access).getByText(/^2026-01-01 01:00:\d\d UTC, in 60 min$/)).toBeTruthy()
    expect(within(access).getByText(/OAuth 2\.0 access token in JWT form/)).toBeTruthy()
    expect(within(id).getByText('demo-web-app')).toBeTruthy()
    expect(within(id).getByText(/^hash of the access token/)).toBeTruthy()
  })

  it('copies the request as curl to the clipboard and says so', async () => {
    const store = await storeAt(tokenResponse)
    renderWithLab(<HttpLog />, store)
    const user = userEvent.setup()
    const writeText = spyOnClipboardWrites()
    await user.click(screen.getByRole('button', { name: /^POST auth\.example\/token 200/ }))
    await user.click(screen.getByRole('button', { name: 'Copy as curl' }))
    expect(writeText).toHaveBeenCalledTimes(1)
    const command = writeText.mock.calls[0]?.[0] ?? ''
    expect(command).toMatch(
      /^curl -X 'POST' 'https:\/\/auth\.example\/token' \\\n {2}-H 'Content-Type: application\/x-www-form-urlencoded'/,
    )
    expect(command).toMatch(/--data-raw 'grant_type=authorization_code&code=[\w-]+&redirect_uri=/)
    const curl = screen.getByRole('button', { name: 'Copy as curl' }).parentElement as HTMLElement
    expect(within(curl).getByRole('status').textContent).toBe('Copied')
  })

  it('shows the command to select when there is no clipboard', async () => {
    const store = await storeAt(tokenResponse)
    renderWithLab(<HttpLog />, store)
    const user = userEvent.setup()
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new Error('denied'))
    await user.click(screen.getByRole('button', { name: /^POST auth\.example\/token 200/ }))
    await user.click(screen.getByRole('button', { name: 'Copy as curl' }))
    const box = screen.getByRole<HTMLTextAreaElement>('textbox', { name: /select the command/ })
    expect(box.value).toMatch(/^curl -X 'POST' 'https:\/\/auth\.example\/token'/)
    expect(box.readOnly).toBe(true)
    const curl = screen.getByRole('button', { name: 'Copy as curl' }).parentElement as HTMLElement
    expect(within(curl).getByRole('status').textContent).toBe('')
  })

  it('renders hostile URLs, headers and bodies as text', async () => {
    const store = await storeAt(tokenResponse)
    const evil = '<img src=x onerror=alert(1)>'
    editSnapshotOnScreen(store, (snapshot) => {
      const x = snapshot.exchanges[0]
      if (!x?.response) throw new Error('no exchange')
      x.request.url = `https://client.example/${evil}`
      x.request.headers.push(['X-Evil', evil])
      x.response.body = evil
    })
    const { container } = renderWithLab(<HttpLog />, store)
    const first = within(entries()[0] as HTMLElement).getByRole('button')
    expect(first.textContent).toContain('client.example/%3Cimg%20src=x%20onerror=alert(1)%3E')
    await userEvent.setup().click(first)
    expect(container.querySelector('img')).toBeNull()
    const entry = entries()[0] as HTMLElement
    // The request line as it goes on the wire (the path percent-encoded), the header verbatim.
    await waitFor(() => {
      if (!entry.querySelector('.ofl-message-line')) throw new Error('not loaded')
    })
    expect(entry.querySelector('.ofl-message-line')?.textContent).toBe(
      'GET https://client.example/%3Cimg%20src=x%20onerror=alert(1)%3E',
    )
    const header = within(entry).getAllByRole('table', { name: 'Headers' })[0] as HTMLElement
    expect(within(header).getByText(evil).tagName).toBe('CODE')
    expect(container.textContent).toContain(`X-Evil: ${evil}`)
    expect(container.querySelector('img')).toBeNull()
  })
})
