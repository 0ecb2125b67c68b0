// @vitest-environment jsdom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Exchange } from '../../src/protocol/index.ts'
import type { LabStore } from '../../src/store/index.ts'
import { explainField } from '../../src/flow/glossary/fields.ts'
import { Message } from '../../src/ui/Message/Message.tsx'
import { MessagePane } from '../../src/ui/Message/MessagePane.tsx'
import { sameExchange } from '../../src/ui/Message/useSame.ts'
import { T0 } from '../protocol/helpers.ts'
import { selectVisibleExchanges } from '../../src/store/index.ts'
import {
  cleanUpAfterEach,
  newStore,
  renderWithLab,
  storeAt,
  tokenRequest,
  tokenResponse,
  whenComplete,
  spyOnClipboardWrites,
} from './render.tsx'

/** The exchange the step on screen shows, as it is seen then (a request: not answered yet). */
function exchangeOf(store: LabStore): Exchange {
  const state = store.getState()
  const kind = state.steps[state.index]?.kind
  if (!kind || (kind.type !== 'request' && kind.type !== 'response')) throw new Error('no exchange')
  const x = selectVisibleExchanges(state).find((e) => e.id === kind.exchangeId)
  if (!x) throw new Error('no exchange')
  return x
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64')
const EVIL = '<img src=x onerror=alert(1)>'

function exchange(patch: Partial<Exchange> = {}): Exchange {
  return {
    id: 1,
    from: 'client',
    to: 'authorization-server',
    fromOrigin: 'https://client.example',
    channel: 'back',
    request: {
      method: 'POST',
      url: 'https://auth.example/token',
      headers: [['Content-Type', 'application/x-www-form-urlencoded']],
      body: 'grant_type=authorization_code&code=c1',
    },
    response: null,
    sentAt: T0,
    receivedAt: null,
    ...patch,
  }
}

/** The Message view of one exchange, loaded (the JWT checks settle on their own). */
function renderMessage(x: Exchange) {
  return renderWithLab(<Message exchange={x} keys={[]} now={T0} />)
}

function table(name: string | RegExp): HTMLElement {
  return screen.getByRole('table', { name })
}

/** The text a reader sees in an element: without the closed popovers of the names it explains. */
function shown(el: Element | null | undefined): string {
  if (!el) return ''
  const copy = el.cloneNode(true) as Element
  for (const h of copy.querySelectorAll('[hidden]')) h.remove()
  return copy.textContent ?? ''
}

/** A table's rows as [name, value cell text]. */
function rows(t: HTMLElement): [string, string][] {
  return within(t)
    .getAllByRole('row')
    .slice(1)
    .map((r) => [shown(r.querySelector('th')), r.querySelector('td code')?.textContent ?? ''])
}

describe('Message', () => {
  cleanUpAfterEach()

  it('shows the token request: line, headers with Basic decoded, the form body as a table', async () => {
    const store = await storeAt(tokenRequest)
    const x = exchangeOf(store)
    renderWithLab(<Message exchange={x} keys={[]} now={T0} />, store)
    expect(document.querySelector('.ofl-message-line')?.textContent).toBe(
      'POST https://auth.example/token',
    )
    const headers = table('Headers')
    expect(
      within(headers)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Name', 'Value'])
    expect(within(headers).getByRole('rowheader', { name: 'Authorization' })).toBeTruthy()
    const auth = x.request.headers.find(([n]) => n === 'Authorization')?.[1] ?? ''
    const [id, secret] = atob(auth.replace(/^Basic /, '')).split(':')
    const decoded = within(headers).getByText(/^HTTP Basic, decoded/).parentElement as HTMLElement
    expect(within(decoded).getByText('client_id').tagName).toBe('CODE')
    expect(within(decoded).getByText('demo-web-app').tagName).toBe('CODE')
    expect(id).toBe('demo-web-app')
    expect(within(decoded).getByText(secret ?? 'no secret').tagName).toBe('CODE')
    const form = rows(table('Form body'))
    expect(form[0]).toEqual(['grant_type', 'authorization_code'])
    expect(form.map(([n]) => n)).toContain('code_verifier')
    expect(form.find(([n]) => n === 'redirect_uri')?.[1]).toBe('https://client.example/callback')
    // In flight: said plainly, and no Replay until it is answered.
    expect(screen.getByText('Not answered yet: the request is still on its way.')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Replay' })).toBeNull()
    expect(screen.getByRole('button', { name: 'Edit and resend' })).toBeTruthy()
  })

  it('pretty-prints the token response and shows each JWT with its three parts', async () => {
    const store = await storeAt(tokenResponse)
    const x = exchangeOf(store)
    renderWithLab(<Message exchange={x} keys={[]} now={T0} />, store)
    const body = screen.getByRole('heading', { name: 'Body (JSON)' }).closest('div')?.parentElement
    const pre = body?.querySelector('pre')
    const json = JSON.parse(x.response?.body ?? '') as Record<string, unknown>
    expect(shown(pre)).toBe(JSON.stringify(json, null, 2))
    expect(shown(pre)).toMatch(/^\{\n {2}"access_token": "ey/)
    const access = screen.getByRole('article', {
      name: 'Access token in the response, JSON field access_token',
    })
    const token = String(json.access_token)
    const code = access.querySelector('.ofl-jwt-compact')
    expect(code?.textContent).toBe(token)
    expect(
      [...(code?.querySelectorAll('[data-part]') ?? [])].map((p) => [
        p.getAttribute('data-part'),
        p.textContent,
      ]),
    ).toEqual(token.split('.').map((part, i) => [['header', 'payload', 'signature'][i], part]))
    // Without the server's keys, the check says so.
    expect(await within(access).findByText(/^No matching key/)).toBeTruthy()
    expect(screen.getByText(/^The 2 JWTs in this exchange, decoded$/)).toBeTruthy()
  })

  it('copies as curl, a part, a token and the raw message', async () => {
    const store = await storeAt(tokenResponse)
    const x = exchangeOf(store)
    renderWithLab(<Message exchange={x} keys={[]} now={T0} />, store)
    const user = userEvent.setup()
    const writeText = spyOnClipboardWrites()
    await user.click(screen.getByRole('button', { name: 'Copy as curl' }))
    expect(writeText.mock.calls[0]?.[0]).toMatch(/^curl -X 'POST' 'https:\/\/auth\.example\/token'/)
    const copies = screen.getAllByRole('button', { name: 'Copy headers' })
    await user.click(copies[0] as HTMLElement)
    expect(writeText.mock.calls[1]?.[0]).toMatch(
      /^Content-Type: application\/x-www-form-urlencoded\nAccept: application\/json\nAuthorization: Basic [\w=]+$/,
    )
    await user.click(screen.getByRole('button', { name: 'Copy form body' }))
    expect(writeText.mock.calls[2]?.[0]).toMatch(/^grant_type=authorization_code\ncode=/)
    await user.click(screen.getAllByRole('button', { name: 'Copy token' })[0] as HTMLElement)
    expect(writeText.mock.calls[3]?.[0]).toBe(JSON.parse(x.response?.body ?? '').access_token)
    await user.click(screen.getByRole('button', { name: 'Copy raw response' }))
    expect(writeText.mock.calls[4]?.[0]).toMatch(/^HTTP\/1\.1 200 OK\n/)
    const done = screen.getByRole('button', { name: 'Copy raw response' }).parentElement
    expect(within(done as HTMLElement).getByRole('status').textContent).toBe('Copied')
  })

  it('shows a part to select where there is no clipboard', async () => {
    renderMessage(exchange())
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new Error('denied'))
    await userEvent.setup().click(screen.getByRole('button', { name: 'Copy form body' }))
    const box = screen.getByRole<HTMLTextAreaElement>('textbox', { name: /select the text/ })
    expect(box.value).toBe('grant_type=authorization_code\ncode=c1')
  })

  it('reads a redirect: code, state and iss as rows', () => {
    renderMessage(
      exchange({
        from: 'browser',
        channel: 'front',
        request: { method: 'POST', url: 'https://auth.example/authorize', headers: [], body: '' },
        response: {
          status: 302,
          headers: [
            [
              'Location',
              'https://client.example/callback?code=c1&state=s1&iss=https%3A%2F%2Fauth.example',
            ],
          ],
          body: '',
        },
      }),
    )
    expect(screen.getByText('302 Found')).toBeTruthy()
    expect(rows(table('Query parameters of the redirect'))).toEqual([
      ['code', 'c1'],
      ['state', 's1'],
      ['iss', 'https://auth.example'],
    ])
  })

  it('says what is wrong with malformed Basic credentials, and marks a repeated parameter', () => {
    renderMessage(
      exchange({
        request: {
          method: 'POST',
          url: 'https://auth.example/token?a=1&a=2',
          headers: [['Authorization', `Basic ${b64('no-colon-here')}`]],
          body: '',
        },
      }),
    )
    expect(
      within(table('Headers')).getByText(/not valid credentials: no colon between client_id/),
    ).toBeTruthy()
    expect(within(table('Headers')).getByText('invalid_client').tagName).toBe('CODE')
    expect(within(table('Query parameters')).getAllByText('sent more than once')).toHaveLength(2)
  })

  it('shows invalid JSON as sent, and notes an HTML page for the Browser tab', () => {
    renderMessage(
      exchange({
        response: {
          status: 400,
          headers: [['Content-Type', 'application/json']],
          body: '{"error":',
        },
      }),
    )
    expect(screen.getByText('Not valid JSON: shown as it was sent.')).toBeTruthy()
    expect(screen.getAllByText('{"error":')[0]?.tagName).toBe('PRE')
    cleanup()
    renderMessage(
      exchange({
        response: {
          status: 200,
          headers: [['Content-Type', 'text/html']],
          body: '<title>Sign in</title><form></form>',
        },
      }),
    )
    expect(
      screen.getByText(/^An HTML page titled “Sign in”.*the Browser tab shows it/),
    ).toBeTruthy()
    expect(document.querySelector('form')).toBeNull()
  })

  it('keeps markup in every value as text', () => {
    const { container } = renderMessage(
      exchange({
        request: {
          method: 'POST',
          url: `https://auth.example/token?note=${encodeURIComponent(EVIL)}`,
          headers: [
            ['X-Evil', EVIL],
            [
              'Authorization',
              `Basic ${b64(`${encodeURIComponent(EVIL)}:${encodeURIComponent(EVIL)}`)}`,
            ],
            ['Content-Type', 'application/x-www-form-urlencoded'],
          ],
          body: `field=${encodeURIComponent(EVIL)}`,
        },
        response: {
          status: 400,
          headers: [['Content-Type', 'application/json']],
          body: JSON.stringify({ error: 'invalid_request', error_description: EVIL }),
        },
      }),
    )
    expect(container.querySelector('img')).toBeNull()
    expect(rows(table('Query parameters'))).toEqual([['note', EVIL]])
    expect(rows(table('Form body'))).toEqual([['field', EVIL]])
    const headers = screen.getAllByRole('table', { name: 'Headers' })[0] as HTMLElement
    expect(
      within(headers)
        .getAllByText(EVIL)
        .map((e) => e.tagName),
    ).toEqual(['CODE', 'CODE', 'CODE'])
    expect(shown(container)).toContain(`"error_description": "${EVIL}"`)
  })

  it('keeps a very long value whole, in <code> (its CSS breaks it anywhere)', () => {
    const long = 'A'.repeat(5000)
    renderMessage(
      exchange({ request: { ...exchange().request, url: `https://auth.example/t?x=${long}` } }),
    )
    const cell = within(table('Query parameters')).getByText(long)
    expect(cell.tagName).toBe('CODE')
    expect(cell.closest('.ofl-message')).not.toBeNull()
  })
})

describe('MessagePane', () => {
  afterEach(() => cleanup())

  it('shows the exchange of the step on screen, and marks the step it draws', async () => {
    const store = await storeAt(tokenResponse)
    renderWithLab(<MessagePane />, store)
    const pane = screen.getByRole('region', { name: 'Message' })
    expect(pane.getAttribute('data-step')).toBe(String(store.getState().index))
    expect(within(pane).getByText('This step’s message')).toBeTruthy()
    expect(within(pane).getByRole('heading', { level: 2 }).textContent).toBe(
      'POST Client → Authorization Server back channel',
    )
    expect(await within(pane).findByRole('table', { name: 'Form body' })).toBeTruthy()
    expect(within(pane).getByText('200 OK')).toBeTruthy()
  })

  it('on a step that sends nothing, shows the latest exchange so far and says so', async () => {
    const store = newStore()
    await whenComplete(store)
    const { steps } = store.getState()
    const user = steps.find((s) => s.kind.type === 'user' && s.snapshot.exchanges.length > 0)
    if (!user) throw new Error('no user step after an exchange')
    await store.getState().goTo(user.index)
    renderWithLab(<MessagePane />, store)
    const pane = screen.getByRole('region', { name: 'Message' })
    expect(within(pane).getByText('The latest message so far (this step sends none)')).toBeTruthy()
    expect(pane.getAttribute('data-step')).toBe(String(user.index))
    expect(await within(pane).findByRole('heading', { name: 'Request' })).toBeTruthy()
  })

  it('at the end, shows the exchange answered last, not the one sent last', async () => {
    const store = newStore()
    await whenComplete(store)
    const { steps } = store.getState()
    const end = steps.at(-1)
    if (!end) throw new Error('no steps')
    // The sign-out waits on the revocation it sends: the revocation has the higher id, the
    // sign-out the later answer.
    const answered = steps.filter((s) => s.kind.type === 'response').at(-1)?.kind
    if (answered?.type !== 'response') throw new Error('no response step')
    const last = end.snapshot.exchanges.find((x) => x.id === answered.exchangeId)
    const highest = end.snapshot.exchanges.at(-1)
    expect(last?.request.url).toMatch(/\/logout$/)
    expect(highest?.request.url).toMatch(/\/revoke$/)
    await store.getState().goTo(end.index)
    renderWithLab(<MessagePane />, store)
    const pane = screen.getByRole('region', { name: 'Message' })
    await within(pane).findByRole('heading', { name: 'Request' })
    expect(pane.textContent).toMatch(/\/logout/)
    expect(pane.textContent).not.toMatch(/\/revoke/)
  })

  it('says so when nothing has been sent yet, and follows Next', async () => {
    const store = newStore()
    await whenComplete(store)
    await store.getState().goTo(0)
    renderWithLab(<MessagePane />, store)
    const pane = screen.getByRole('region', { name: 'Message' })
    expect(pane.getAttribute('data-step')).toBe('0')
    expect(store.getState().steps[0]?.snapshot.exchanges).toHaveLength(0)
    expect(within(pane).getByText(/^No messages yet/)).toBeTruthy()
    const first = store.getState().steps.findIndex((s) => s.kind.type === 'request')
    await act(() => store.getState().goTo(first))
    await waitFor(() => expect(within(pane).getByText('This step’s message')).toBeTruthy())
    expect(pane.getAttribute('data-step')).toBe(String(first))
  })
})

describe('sameExchange', () => {
  const x = exchange()

  it('is true for a copy, false when anything shown changes', () => {
    expect(sameExchange(x, structuredClone(x))).toBe(true)
    expect(sameExchange(x, { ...x, id: 4 })).toBe(false)
    expect(sameExchange(x, { ...x, channel: 'front' })).toBe(false)
    expect(sameExchange(x, { ...x, request: { ...x.request, body: 'x' } })).toBe(false)
    expect(sameExchange(x, { ...x, request: { ...x.request, method: 'GET' } })).toBe(false)
    expect(
      sameExchange(x, { ...x, request: { ...x.request, url: 'https://auth.example/t' } }),
    ).toBe(false)
    expect(
      sameExchange(x, {
        ...x,
        request: { ...x.request, headers: [...x.request.headers, ['A', 'b']] },
      }),
    ).toBe(false)
    expect(
      sameExchange(x, { ...x, request: { ...x.request, headers: [['Content-Type', 'x']] } }),
    ).toBe(false)
    const answered = { ...x, response: { status: 200, headers: [], body: '' } }
    expect(sameExchange(x, answered)).toBe(false)
    expect(sameExchange(answered, structuredClone(answered))).toBe(true)
    expect(
      sameExchange(answered, { ...answered, response: { status: 400, headers: [], body: '' } }),
    ).toBe(false)
  })
})

describe('explain this field', () => {
  /** The texts an element's aria-describedby points at. */
  function description(el: HTMLElement): string[] {
    const ids = el.getAttribute('aria-describedby')?.split(' ') ?? []
    return ids.map((id) => document.getElementById(id)?.textContent ?? '')
  }

  it('makes every known name a term: what it means, who sets it, who checks it', async () => {
    const user = userEvent.setup()
    renderMessage(
      exchange({
        request: {
          method: 'POST',
          url: 'https://auth.example/token?__proto__=1',
          headers: [['Content-Type', 'application/x-www-form-urlencoded']],
          body: 'grant_type=authorization_code&code=c1&toString=2&constructor=3',
        },
        response: {
          status: 400,
          headers: [
            ['Content-Type', 'application/json'],
            ['Cache-Control', 'no-store'],
          ],
          body: JSON.stringify({ error: 'invalid_grant', expires_in: 1, __proto__x: 1 }),
        },
      }),
    )
    const grant = within(table('Form body')).getByRole('button', { name: 'grant_type' })
    const entry = explainField('form', 'grant_type')
    expect(description(grant)).toEqual([entry?.text, entry?.roles])
    expect(description(grant)[1]).toBe('Set by the client; checked by the authorization server.')
    // A header, a JSON member: explained the same way.
    const headers = screen.getAllByRole('table', { name: 'Headers' })
    expect(
      within(headers[1] as HTMLElement).getByRole('button', { name: 'Cache-Control' }),
    ).toBeTruthy()
    const expires = screen.getByRole('button', { name: 'expires_in' })
    expect(description(expires)[0]).toBe(explainField('json', 'expires_in')?.text)
    await user.click(expires)
    expect(screen.getByRole('link', { name: /^RFC 6749 §5\.1/ }).getAttribute('href')).toBe(
      'https://www.rfc-editor.org/rfc/rfc6749#section-5.1',
    )
    // Names the glossary does not know stay plain code: nothing breaks on Object's own names.
    for (const name of ['__proto__', 'toString', 'constructor', '__proto__x']) {
      expect(screen.queryByRole('button', { name })).toBeNull()
      expect(screen.getByText(name).tagName).toBe('CODE')
    }
  })

  it('shows claims named __proto__ and constructor as plain claims, and nothing breaks (issue 17, item 3)', async () => {
    const store = await storeAt(tokenResponse)
    const x = exchangeOf(store)
    const b64 = (text: string) => btoa(text).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
    const jwt = [
      b64('{"alg":"RS256","__proto__":"h"}'),
      b64('{"__proto__":{"polluted":true},"constructor":"c","toString":1,"sub":"alice"}'),
      'c2ln',
    ].join('.')
    const exchange = { ...x, response: { ...x.response!, body: JSON.stringify({ access_token: jwt, token_type: 'Bearer' }) } }
    renderWithLab(<Message exchange={exchange} keys={[]} now={T0} />, store)
    const token = screen.getByRole('article', { name: /access_token/ })
    for (const name of ['__proto__', 'constructor', 'toString', 'sub'])
      expect(within(token).getAllByText(name, { exact: true }).length).toBeGreaterThan(0)
    expect(within(token).getByText('{"polluted":true}')).toBeTruthy()
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('explains the claims and header parameters of each JWT', async () => {
    const store = await storeAt(tokenResponse)
    renderWithLab(<Message exchange={exchangeOf(store)} keys={[]} now={T0} />, store)
    const access = screen.getByRole('article', {
      name: 'Access token in the response, JSON field access_token',
    })
    const aud = within(access).getByRole('button', { name: 'aud' })
    expect(description(aud)[0]).toBe(explainField('claim', 'aud')?.text)
    expect(within(access).getByRole('button', { name: 'kid' })).toBeTruthy()
    // The short meaning beside the value comes from the same entry.
    expect(
      within(access).getByText('audience: who must accept this token, and no one else'),
    ).toBeTruthy()
  })
})
