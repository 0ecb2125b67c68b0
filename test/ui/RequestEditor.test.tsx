// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { selectStep } from '../../src/store/index.ts'
import { HttpLog } from '../../src/ui/HttpLog/HttpLog.tsx'
import { newStore, renderWithLab, storeAt, tokenRequest, whenComplete } from './render.tsx'

/** Opens the log line of the token request (the current one) and its editor. */
async function openEditor(user: ReturnType<typeof userEvent.setup>) {
  const line = screen
    .getAllByRole('button', { expanded: false })
    .find((b) => b.textContent?.includes('/token'))
  if (!line) throw new Error('no /token line')
  await user.click(line)
  // The details (with the editor) load on first opening: on a loaded machine that takes a while.
  await user.click(
    await screen.findByRole('button', { name: 'Edit and resend' }, { timeout: 10_000 }),
  )
  return screen.findByRole('form', { name: 'Edit and resend' })
}

describe('RequestEditor in the HTTP log', () => {
  afterEach(() => cleanup())

  it('shows the request’s method, headers and form body as editable rows', async () => {
    const store = await storeAt(tokenRequest)
    renderWithLab(<HttpLog />, store)
    const user = userEvent.setup()
    const form = await openEditor(user)
    const f = within(form)
    expect((f.getByRole('textbox', { name: 'Method' }) as HTMLInputElement).value).toBe('POST')
    expect((f.getByRole('textbox', { name: 'Method' }) as HTMLInputElement).readOnly).toBe(true)
    const headers = f.getByRole('group', { name: 'Headers' })
    expect(
      (within(headers).getByRole('textbox', { name: 'Value of Content-Type' }) as HTMLInputElement)
        .value,
    ).toBe('application/x-www-form-urlencoded')
    const body = f.getByRole('group', { name: 'Form body' })
    expect(
      (within(body).getByRole('textbox', { name: 'Value of grant_type' }) as HTMLInputElement)
        .value,
    ).toBe('authorization_code')
    expect(within(body).getByRole('textbox', { name: 'Value of code_verifier' })).toBeTruthy()
    expect(
      within(f.getByRole('group', { name: 'Query parameters' })).getByText('None.'),
    ).toBeTruthy()
    // The first editable field has focus; add and remove rows.
    expect(document.activeElement?.tagName).toBe('INPUT')
    await user.click(within(body).getByRole('button', { name: 'Add a form field' }))
    expect(document.activeElement).toBe(
      within(body).getByRole('textbox', { name: 'Name of form field 5' }),
    )
    await user.click(within(body).getByRole('button', { name: 'Remove form field 5' }))
    expect(within(body).queryByRole('textbox', { name: 'Name of form field 5' })).toBeNull()
    // Cancel closes it and gives focus back.
    await user.click(f.getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('form', { name: 'Edit and resend' })).toBeNull()
  })

  it('never cuts a header name: the name column fits the longest name', async () => {
    const store = await storeAt(tokenRequest)
    renderWithLab(<HttpLog />, store)
    const user = userEvent.setup()
    const form = await openEditor(user)
    const headers = within(form).getByRole('group', { name: 'Headers' })
    const names = within(headers).getAllByRole<HTMLInputElement>('textbox', {
      name: /^Name of header/,
    })
    const auth = names.find((n) => n.value.startsWith('Author'))
    expect(auth?.value).toBe('Authorization')
    // The input is as wide as its name, and every row's name column as wide as the longest.
    expect(auth?.size).toBeGreaterThanOrEqual('Authorization'.length + 1)
    const list = auth?.closest('.ofl-editor-list') as HTMLElement
    const longest = Math.max(...names.map((n) => n.value.length))
    expect(Number(list.style.getPropertyValue('--ofl-editor-name-ch'))).toBe(longest + 1)
    // A longer name typed in widens it.
    await user.click(within(headers).getByRole('button', { name: 'Add a header' }))
    await user.keyboard('X-A-Very-Long-Header-Name-Indeed')
    expect(Number(list.style.getPropertyValue('--ofl-editor-name-ch'))).toBe(33)
  })

  it('sending an edited code_verifier ends with the token response 400 invalid_grant', async () => {
    const store = await storeAt(tokenRequest)
    const at = store.getState().index
    renderWithLab(<HttpLog />, store)
    const user = userEvent.setup()
    const form = await openEditor(user)
    const verifier = within(form).getByRole('textbox', { name: 'Value of code_verifier' })
    await user.clear(verifier)
    await user.type(verifier, 'wrong-verifier-wrong-verifier-wrong-verifier')
    await user.click(within(form).getByRole('button', { name: 'Send' }))
    // Send lands on the server's answer at once; the edited request is the step before it.
    await waitFor(() => expect(store.getState().index).toBe(at + 1))
    expect(store.getState().steps[at]?.edited).toBe(true)
    await whenComplete(store)
    const step = selectStep(store.getState())
    expect(step?.title).toBe('The token request is refused: invalid_grant')
    const x = step?.snapshot.exchanges.find(
      (e) => step.kind.type === 'response' && e.id === step.kind.exchangeId,
    )
    expect(x?.response?.status).toBe(400)
    expect(x?.request.body).toContain('code_verifier=wrong-verifier-wrong-verifier-wrong-verifier')
    // The log line shows the status. (Every name in the open message is a button too, so each
    // look through the buttons takes a while on a loaded machine.)
    await waitFor(
      () =>
        expect(
          screen
            .getAllByRole('button')
            .some((b) => b.textContent?.includes('/token') && b.textContent.includes('400')),
        ).toBe(true),
      { timeout: 5_000 },
    )
  })

  it('Replay sends an answered request again now', async () => {
    const store = newStore()
    await whenComplete(store)
    await store.getState().last()
    const end = store.getState().index
    renderWithLab(<HttpLog />, store)
    const user = userEvent.setup()
    const line = screen
      .getAllByRole('button')
      .find((b) => b.textContent?.includes('POST') && b.textContent.includes('/token'))
    if (!line) throw new Error('no /token line')
    await user.click(line)
    const replay = screen.getByRole('button', { name: 'Replay' })
    expect(replay.getAttribute('aria-describedby')).toBeTruthy()
    await user.click(replay)
    await waitFor(() => expect(selectStep(store.getState())?.replayed).toBe(true))
    expect(store.getState().index).toBe(end + 1)
  })
})
