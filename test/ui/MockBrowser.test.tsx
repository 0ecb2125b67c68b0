// @vitest-environment jsdom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react'
import type { UserEvent } from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import type { Step } from '../../src/flow/index.ts'
import type { LabStore } from '../../src/store/index.ts'
import { MockBrowser } from '../../src/ui/MockBrowser/MockBrowser.tsx'
import { whenComplete, renderComputed } from './render.tsx'

async function at(store: LabStore, pick: (s: Step) => boolean): Promise<Step> {
  const step = store.getState().steps.find(pick)
  if (!step) throw new Error('no such step')
  await act(() => store.getState().goTo(step.index))
  return step
}

afterEach(cleanup)

const browser = () => screen.getByRole('region', { name: 'Browser' })

/** Types a username and a password into the login page on screen and presses Sign in. */
async function signIn(user: UserEvent, username: string, password: string) {
  await user.type(screen.getByRole('textbox', { name: 'Username' }), username)
  await user.type(screen.getByLabelText('Password'), password)
  await user.click(screen.getByRole('button', { name: 'Sign in' }))
}

describe('MockBrowser', () => {
  it('shows a blank tab before anything is opened', async () => {
    await renderComputed(<MockBrowser />)
    expect(screen.getByRole('heading', { level: 2, name: 'Browser' })).toBeTruthy()
    expect(screen.getByRole('textbox', { name: 'Address' }).textContent).toContain('about:blank')
    expect(within(browser()).getByText(/Nothing is open yet/)).toBeTruthy()
  })

  it('shows the address and an editable login form on the login page', async () => {
    const { store } = await renderComputed(<MockBrowser />)
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
    const { store } = await renderComputed(<MockBrowser />)
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
    const { store, user } = await renderComputed(<MockBrowser />)
    const login = store.getState().steps.find((s) => s.awaiting === 'credentials')!
    await act(() => store.getState().goTo(login.index + 1))
    expect(screen.getByRole('textbox', { name: 'Username' }).matches(':disabled')).toBe(true)
    expect(screen.getByRole('button', { name: 'Sign in' }).matches(':disabled')).toBe(true)
    await user.click(screen.getByRole('button', { name: `Go to step ${login.index + 1}` }))
    expect(store.getState().index).toBe(login.index)
  })

  describe('when the learner types a wrong password', () => {
    it('posts it to the real server, which shows the login page again with its error', async () => {
      const { store, user } = await renderComputed(<MockBrowser />)
      const login = await at(store, (s) => s.awaiting === 'credentials')
      await signIn(user, 'alice', 'not-the-password')
      // The server's answer at once: its login page again, with the error.
      await waitFor(() =>
        expect(store.getState().steps[store.getState().index]?.title).toBe(
          'Wrong password: the login page again',
        ),
      )
      expect(store.getState().index).toBe(login.index + 3)
      await act(() => whenComplete(store))
      expect(
        (await within(browser()).findByText('Wrong username or password.')).className,
      ).toContain('alert')
      // The server sent the username back; the lab keeps the password the learner typed, marked so.
      const username = screen.getByRole('textbox', { name: 'Username' }) as HTMLInputElement
      expect(username.value).toBe('alice')
      expect(username.disabled).toBe(false)
      const password = screen.getByLabelText('Password') as HTMLInputElement
      expect(password.value).toBe('not-the-password')
      expect(password.type).toBe('password')
      const note = within(browser()).getByText(/^You typed:/)
      expect(note.textContent).toBe(
        'You typed: username alice, password not-the-password. The server sent the username back in its page, never the password: the lab keeps what you typed so you can correct it.',
      )
      expect(password.getAttribute('aria-describedby')).toContain(note.id)
      // The page still takes an answer, so the simulated user's note has no place here.
      expect(within(browser()).queryByText(/simulated user/)).toBeNull()
      expect(screen.getByText(/or a wrong password/)).toBeTruthy()
    })

    it('shows, one step back, the form as they filled it in, theirs and not the simulated user’s', async () => {
      const { store, user } = await renderComputed(<MockBrowser />)
      const login = await at(store, (s) => s.awaiting === 'credentials')
      await signIn(user, 'bob', 'x')
      await waitFor(() => expect(store.getState().index).toBe(login.index + 3))
      await act(() => whenComplete(store))
      await act(() => store.getState().goTo(login.index + 1))
      await waitFor(() =>
        expect((screen.getByRole('textbox', { name: 'Username' }) as HTMLInputElement).value).toBe(
          'bob',
        ),
      )
      expect(screen.getByRole('textbox', { name: 'Username' }).matches(':disabled')).toBe(true)
      expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('x')
      expect(within(browser()).getByText(/^You typed:/).textContent).toBe(
        'You typed: username bob, password x.',
      )
      expect(within(browser()).queryByText(/simulated user/)).toBeNull()
      expect(within(browser()).queryByRole('button', { name: /^Go to step/ })).toBeNull()
    })

    it('keeps what the learner typed, as text, even when it looks like markup or is empty', async () => {
      const { container, store, user } = await renderComputed(<MockBrowser />)
      const login = await at(store, (s) => s.awaiting === 'credentials')
      await user.type(screen.getByLabelText('Password'), '<img src=x onerror=alert(1)>')
      await user.click(screen.getByRole('button', { name: 'Sign in' }))
      await waitFor(() => expect(store.getState().index).toBe(login.index + 3))
      await act(() => whenComplete(store))
      const note = await within(browser()).findByText(/^You typed:/)
      expect(note.textContent).toMatch(
        /^You typed: username nothing, password <img src=x onerror=alert\(1\)>\. /,
      )
      expect(container.querySelector('.ofl-mb-page img')).toBeNull()
      expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe(
        '<img src=x onerror=alert(1)>',
      )
    })
  })

  describe('when the simulated user signs in', () => {
    it('shows no “you typed” note', async () => {
      const { store } = await renderComputed(<MockBrowser />)
      const login = store.getState().steps.find((s) => s.awaiting === 'credentials')!
      for (const i of [login.index, login.index + 1, login.index + 3]) {
        await act(() => store.getState().goTo(i))
        expect(within(browser()).queryByText(/^You typed:/)).toBeNull()
      }
    })
  })

  describe('when the learner clicks Deny', () => {
    it('ends the run with access_denied', async () => {
      const { store, user } = await renderComputed(<MockBrowser />)
      await at(store, (s) => s.awaiting === 'consent')
      expect(screen.getByText('photos.read')).toBeTruthy()
      await user.click(screen.getByRole('button', { name: 'Deny' }))
      await waitFor(() => expect(store.getState().steps.at(-1)?.kind.type).toBe('end'))
      await act(() => whenComplete(store))
      // One step back from the server's answer, the consent page says what the learner clicked.
      await act(() => store.getState().back())
      await act(() => store.getState().back())
      expect(within(browser()).getByText('You clicked Deny.')).toBeTruthy()
      expect(within(browser()).queryByText(/simulated user/)).toBeNull()
      const end = store.getState().steps.at(-1)!
      expect(end.kind).toEqual({ type: 'end', outcome: 'failure' })
      expect(end.title).toContain('access_denied')
      await act(() => store.getState().last())
      expect(within(browser()).getByText('access_denied')).toBeTruthy()
    })
  })

  describe('when the page is hostile', () => {
    it('renders its content as text only', async () => {
      const { container, store } = await renderComputed(<MockBrowser />)
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
