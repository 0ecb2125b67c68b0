// @vitest-environment jsdom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import type { Step } from '../../src/flow/index.ts'
import type { LabStore } from '../../src/store/index.ts'
import { MockBrowser } from '../../src/ui/MockBrowser/MockBrowser.tsx'
import { newStore, renderWithLab, whenComplete } from './render.tsx'

async function at(store: LabStore, pick: (s: Step) => boolean): Promise<Step> {
  const step = store.getState().steps.find(pick)
  if (!step) throw new Error('no such step')
  await act(() => store.getState().goTo(step.index))
  return step
}

afterEach(cleanup)

const browser = () => screen.getByRole('region', { name: 'Browser' })

describe('MockBrowser', () => {
  it('shows a blank tab before anything is opened', async () => {
    const store = newStore()
    renderWithLab(<MockBrowser />, store)
    await act(() => whenComplete(store))
    expect(screen.getByRole('heading', { level: 2, name: 'Browser' })).toBeTruthy()
    expect(screen.getByRole('textbox', { name: 'Address' }).textContent).toContain('about:blank')
    expect(within(browser()).getByText(/Nothing is open yet/)).toBeTruthy()
  })

  it('shows the address and an editable login form on the login page', async () => {
    const store = newStore()
    renderWithLab(<MockBrowser />, store)
    await act(() => whenComplete(store))
    await at(store, (s) => s.awaiting === 'credentials')
    const address = screen.getByRole('textbox', { name: 'Address' })
    expect(address.textContent).toMatch(
      /^Secure connection, https:\/\/auth\.example\/authorize\?response_type=code/,
    )
    expect(within(address).getByText('auth.example').className).toContain('host')
    expect(screen.getByRole('heading', { name: 'Sign in to auth.example' })).toBeTruthy()
    const username = screen.getByRole('textbox', { name: 'Username' }) as HTMLInputElement
    expect(username.value).toBe('')
    expect(username.placeholder).toBe('alice')
    expect(username.disabled).toBe(false)
    expect((screen.getByLabelText('Password') as HTMLInputElement).placeholder).toBe('wonderland')
    expect(screen.getByText(/or a wrong password/)).toBeTruthy()
    expect(screen.getByText(/200 OK/)).toBeTruthy()
  })

  it('shows a redirect with its Location', async () => {
    const store = newStore()
    renderWithLab(<MockBrowser />, store)
    await act(() => whenComplete(store))
    await at(
      store,
      (s) =>
        s.snapshot.browser.pendingRedirect?.startsWith('https://auth.example/authorize') ?? false,
    )
    expect(screen.getByText('Redirecting to…')).toBeTruthy()
    expect(screen.getByText(/^https:\/\/auth\.example\/authorize\?/)).toBeTruthy()
    expect(screen.getByText(/302 Found/)).toBeTruthy()
  })

  it('disables the form when the step on screen does not wait for input, and offers to go there', async () => {
    const store = newStore()
    const user = userEvent.setup()
    renderWithLab(<MockBrowser />, store)
    await act(() => whenComplete(store))
    const login = store.getState().steps.find((s) => s.awaiting === 'credentials')!
    await act(() => store.getState().goTo(login.index + 1))
    expect(screen.getByRole('textbox', { name: 'Username' }).matches(':disabled')).toBe(true)
    expect(screen.getByRole('button', { name: 'Sign in' }).matches(':disabled')).toBe(true)
    await user.click(screen.getByRole('button', { name: `Go to step ${login.index + 1}` }))
    expect(store.getState().index).toBe(login.index)
  })

  describe('when the learner types a wrong password', () => {
    it('posts it to the real server, which shows the login page again with its error', async () => {
      const store = newStore()
      const user = userEvent.setup()
      renderWithLab(<MockBrowser />, store)
      await act(() => whenComplete(store))
      const login = await at(store, (s) => s.awaiting === 'credentials')
      await user.type(screen.getByRole('textbox', { name: 'Username' }), 'alice')
      await user.type(screen.getByLabelText('Password'), 'not-the-password')
      await user.click(screen.getByRole('button', { name: 'Sign in' }))
      await waitFor(() => expect(store.getState().index).toBe(login.index + 1))
      await act(() => whenComplete(store))
      const again = await at(store, (s) => s.index > login.index && s.awaiting === 'credentials')
      expect(again.title).toBe('Wrong password: the login page again')
      expect(within(browser()).getByText('Wrong username or password.').className).toContain(
        'alert',
      )
      // The server keeps the username it was sent; the password field is empty again.
      expect((screen.getByRole('textbox', { name: 'Username' }) as HTMLInputElement).value).toBe(
        'alice',
      )
      expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('')
    })
  })

  describe('when the learner clicks Deny', () => {
    it('ends the run with access_denied', async () => {
      const store = newStore()
      const user = userEvent.setup()
      renderWithLab(<MockBrowser />, store)
      await act(() => whenComplete(store))
      await at(store, (s) => s.awaiting === 'consent')
      expect(screen.getByText('photos.read')).toBeTruthy()
      await user.click(screen.getByRole('button', { name: 'Deny' }))
      await waitFor(() => expect(store.getState().steps.at(-1)?.kind.type).toBe('end'))
      await act(() => whenComplete(store))
      const end = store.getState().steps.at(-1)!
      expect(end.kind).toEqual({ type: 'end', outcome: 'failure' })
      expect(end.title).toContain('access_denied')
      await act(() => store.getState().last())
      expect(within(browser()).getByText('access_denied')).toBeTruthy()
    })
  })

  describe('when the page is hostile', () => {
    it('renders its content as text only', async () => {
      const store = newStore()
      const { container } = renderWithLab(<MockBrowser />, store)
      await act(() => whenComplete(store))
      const base = store.getState().steps.find((s) => s.awaiting === 'credentials')!
      const body =
        '<html><head><title>Evil</title><style>*{display:none}</style></head><body><h1 onclick="x()">Hi <script>alert(1)</script></h1><img src=x onerror="alert(2)" alt="pic"><a href="javascript:alert(3)">click me</a><iframe src="https://evil.example"></iframe><script>alert(5)</script><p style="position:fixed">&lt;b&gt;not bold&lt;/b&gt;</p><form id="login-form"><input name="username" onfocus="alert(4)" autofocus></form></body></html>'
      const snapshot = structuredClone(base.snapshot)
      snapshot.browser.page = {
        url: snapshot.browser.url,
        status: 200,
        contentType: 'text/html',
        body,
      }
      act(() =>
        store.setState({ steps: [{ ...base, index: 0, awaiting: null, snapshot }], index: 0 }),
      )
      const page = container.querySelector('.ofl-mb-page')!
      for (const sel of [
        'script',
        'img',
        'iframe',
        'style',
        'a',
        '[onerror]',
        '[onclick]',
        '[onfocus]',
        '[style]',
        '[autofocus]',
      ]) {
        expect(page.querySelector(sel), sel).toBeNull()
      }
      expect(screen.getByRole('heading', { name: 'Hi' })).toBeTruthy()
      expect(within(browser()).getByText('<b>not bold</b>')).toBeTruthy()
      expect(within(browser()).getByText('click me').tagName).toBe('SPAN')
      expect(within(browser()).getByText('[image: pic]')).toBeTruthy()
      expect(within(browser()).getByText('alert(5)').tagName).toBe('CODE')
      expect(page.textContent).not.toContain('alert(1)')
    })
  })
})
