// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { stateRows, type Step } from '../../src/flow/index.ts'
import type { LabStore } from '../../src/store/index.ts'
import { StatePanel } from '../../src/ui/StatePanel/StatePanel.tsx'
import { TOKEN_STEP_CHANGES } from '../flow/helpers.ts'
import { editSnapshotOnScreen, newStore, renderWithLab, storeAt, whenComplete } from './render.tsx'

/** The step where the client has stored its tokens (after validating the ID token). */
const tokensStored = (step: Step, store: LabStore) =>
  stateRows(step.snapshot, null, store.getState().config).some(
    (r) => r.key === 'client.access_token' && r.value !== null,
  )

function row(key: string): HTMLElement {
  const el = [...document.querySelectorAll<HTMLElement>('.ofl-state-row')].find(
    (e) => e.dataset.key === key,
  )
  if (!el) throw new Error(`no row ${key}`)
  return el
}

function markedKeys(): string[] {
  return [...document.querySelectorAll<HTMLElement>('.ofl-statepanel-roles .ofl-changed')].map(
    (e) => e.dataset.key ?? '?',
  )
}

describe('StatePanel', () => {
  afterEach(cleanup)

  it('shows each role’s state variables at the step on screen', async () => {
    const store = await storeAt(tokensStored)
    renderWithLab(<StatePanel />, store)
    expect(screen.getByRole('heading', { level: 2, name: 'State' })).toBeTruthy()
    const client = screen.getByRole('region', { name: /^Client/ })
    expect(within(client).getByText('alice-7c9e')).toBeTruthy()
    expect(within(client).getByText('openid profile photos.read')).toBeTruthy()
    expect(within(client).getByText(/^expires in 60 min/)).toBeTruthy()
    const as = screen.getByRole('region', { name: /^Authorization Server/ })
    expect(within(as).getByText('for demo-web-app, expires in 10 min, used')).toBeTruthy()
    const browser = screen.getByRole('region', { name: /^Browser/ })
    expect(
      within(browser).getAllByText(/^as_session=.*; HttpOnly; Secure; SameSite=Lax$/),
    ).toHaveLength(1)
    expect(screen.getByRole('region', { name: /^Resource Server/ })).toBeTruthy()
    // The simulated clock moved while Alice typed and clicked.
    expect(screen.getByText(/^2026-01-01 00:00:\d\d UTC \(\+\d+ s since start\)$/)).toBeTruthy()
    expect(
      screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent?.split(' ')[0]),
    ).toEqual(['Changed', 'Client', 'Authorization', 'Browser', 'Resource'])
  })

  it('lists what this step changed first, each value named with its role', async () => {
    const store = await storeAt(tokensStored)
    renderWithLab(<StatePanel />, store)
    const changes = screen.getByRole('region', { name: 'Changed in this step' })
    const marked = markedKeys()
    const listed = [...changes.querySelectorAll('.ofl-state-row')].map((r) =>
      r.getAttribute('data-key'),
    )
    // Every value marked changed in its role's section, in the same order.
    expect(listed.length).toBeGreaterThan(0)
    expect(listed).toEqual(marked)
    expect(changes.textContent).toMatch(/^Changed in this stepClient: /)
  })

  it('lists no changes when nothing changed', async () => {
    const store = newStore()
    await whenComplete(store)
    renderWithLab(<StatePanel />, store)
    expect(screen.getByText('Nothing changed in this step.')).toBeTruthy()
    expect(screen.queryByRole('region', { name: 'Changed in this step' })).toBeNull()
  })

  it('marks exactly what changed in this step, with the class and a text marker', async () => {
    const store = await storeAt(tokensStored)
    renderWithLab(<StatePanel />, store)
    expect(markedKeys()).toEqual(TOKEN_STEP_CHANGES)
    const access = row('client.access_token')
    expect(within(access).getByText('changed')).toBeTruthy()
    expect(within(row('client.code')).queryByText('changed')).toBeNull()
    expect(row('client.code').classList.contains('ofl-changed')).toBe(false)
    expect(screen.getByText(/marks what this step changed \(7 values\)/)).toBeTruthy()
  })

  it('restores exactly the previous values on Back', async () => {
    const store = await storeAt(tokensStored)
    await act(() => store.getState().back())
    renderWithLab(<StatePanel />, store)
    const panel = screen.getByRole('region', { name: 'State' })
    const before = panel.textContent
    const marked = markedKeys()
    expect(within(row('client.access_token')).getByText('none')).toBeTruthy()
    await act(() => store.getState().next())
    expect(panel.textContent).not.toBe(before)
    await act(() => store.getState().back())
    expect(panel.textContent).toBe(before)
    expect(markedKeys()).toEqual(marked)
  })

  it('shortens tokens, with a button to see the whole value', async () => {
    const store = await storeAt(tokensStored)
    renderWithLab(<StatePanel />, store)
    const idToken = store.getState().steps[store.getState().index]?.snapshot.web.sessions
    const full = Object.values(idToken ?? {})[0]?.tokens?.id_token ?? ''
    expect(full.length).toBeGreaterThan(100)
    expect(screen.queryByText(full)).toBeNull()
    const button = screen.getByRole('button', { name: 'Show all of id_token' })
    expect(button.getAttribute('aria-expanded')).toBe('false')
    await userEvent.setup().click(button)
    expect(screen.getByText(full)).toBeTruthy()
    expect(
      screen.getByRole('button', { name: 'Show less of id_token' }).getAttribute('aria-expanded'),
    ).toBe('true')
  })

  it('says where the single-page app keeps state and code_verifier, and shows them in sessionStorage', async () => {
    const store = await storeAt(
      (s) =>
        Object.keys(s.snapshot.browser.storage['https://spa.example'] ?? {}).includes(
          'code_verifier',
        ),
      { config: { clientType: 'public', scenario: 'public' } },
    )
    renderWithLab(<StatePanel />, store)
    const client = screen.getByRole('region', { name: /^Client/ })
    expect(within(client).getByText(/sessionStorage/)).toBeTruthy()
    const browser = screen.getByRole('region', { name: /^Browser/ })
    expect(within(browser).getByText(/^code_verifier = [\w-]{43}$/)).toBeTruthy()
    expect(
      row('browser.storage.https://spa.example.code_verifier').classList.contains('ofl-changed'),
    ).toBe(true)
  })

  it('renders hostile values as text', async () => {
    const store = await storeAt(tokensStored)
    const evil = '<img src=x onerror=alert(1)>'
    editSnapshotOnScreen(store, (snapshot) => {
      snapshot.browser.url = `https://client.example/${evil}`
      const jar = snapshot.browser.cookies['https://client.example'] ?? {}
      jar.evil = {
        name: 'evil',
        value: evil,
        expiresAt: null,
        httpOnly: false,
        secure: false,
        sameSite: 'None',
        path: '/',
      }
      snapshot.browser.cookies['https://client.example'] = jar
    })
    const { container } = renderWithLab(<StatePanel />, store)
    expect(container.querySelector('img')).toBeNull()
    expect(screen.getAllByText(`https://client.example/${evil}`).length).toBeGreaterThan(0)
    expect(screen.getAllByText(`evil=${evil}; SameSite=None`).length).toBeGreaterThan(0)
  })
})
