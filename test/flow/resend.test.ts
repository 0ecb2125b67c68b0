import { describe, expect, it } from 'vitest'
import { createFlow, defaultConfig, type Flow, type Step } from '../../src/flow/index.ts'
import type { Exchange, HttpRequest } from '../../src/protocol/index.ts'
import { T0, sharedKeys } from '../protocol/helpers.ts'
import { advanceToEnd, runToEnd } from './helpers.ts'

function exchangeOf(flow: Flow, match: (x: Exchange) => boolean): Exchange {
  const x = flow.steps.at(-1)?.snapshot.exchanges.find(match)
  if (!x) throw new Error('no such exchange')
  return x
}

const isToken = (x: Exchange) => x.request.url === 'https://auth.example/token'
const isAuthorize = (x: Exchange) => x.request.url.startsWith('https://auth.example/authorize')

function withForm(request: HttpRequest, name: string, value: string): HttpRequest {
  const form = new URLSearchParams(request.body)
  form.set(name, value)
  return { ...request, body: form.toString() }
}

function responseStep(flow: Flow, id: number): Step | undefined {
  return flow.steps.find((s) => s.kind.type === 'response' && s.kind.exchangeId === id)
}

describe('flow.resend (Edit and resend)', () => {
  it('sends the edited token request in place of the original; the flow follows the refusal', async () => {
    const flow = await runToEnd()
    const token = exchangeOf(flow, isToken)
    const count = flow.steps.length
    await flow.resend(token.id, withForm(token.request, 'code_verifier', 'x'.repeat(43)))
    const request = flow.steps.find(
      (s) => s.kind.type === 'request' && s.kind.exchangeId === token.id,
    )
    expect(request?.edited).toBe(true)
    expect(request?.narration).toMatch(/^Edited by you: /)
    const answer = responseStep(flow, token.id)
    expect(answer?.title).toBe('The token request is refused: invalid_grant')
    const sent = exchangeOf(flow, (x) => x.id === token.id)
    expect(sent.request.body).toContain(`code_verifier=${'x'.repeat(43)}`)
    expect(sent.response?.status).toBe(400)
    await advanceToEnd(flow)
    expect(flow.steps.at(-1)?.kind).toEqual({ type: 'end', outcome: 'failure' })
    expect(flow.steps.length).toBeLessThan(count)
    // Only that one step is marked.
    expect(flow.steps.filter((s) => s.edited)).toHaveLength(1)
  })

  it('an edited redirect_uri at the authorization request gets the error page', async () => {
    const flow = await runToEnd()
    const auth = exchangeOf(flow, isAuthorize)
    const url = new URL(auth.request.url)
    url.searchParams.set('redirect_uri', 'https://evil.example/cb')
    await flow.resend(auth.id, { ...auth.request, url: url.toString() })
    const sent = exchangeOf(flow, (x) => x.id === auth.id)
    expect(sent.response?.status).toBe(400)
    expect(sent.response?.body).toContain('Invalid redirect_uri')
    expect(responseStep(flow, auth.id)?.title).toBe('The authorization server shows an error page')
  })

  it('unchanged, resending gives the same run again', async () => {
    const flow = await runToEnd()
    const titles = flow.steps.map((s) => s.title)
    const token = exchangeOf(flow, isToken)
    await flow.resend(token.id, token.request)
    await advanceToEnd(flow)
    expect(flow.steps.map((s) => s.title.replace(/^Edited by you: /, ''))).toEqual(titles)
  })

  it('rejects an unknown exchange', async () => {
    const flow = await runToEnd()
    await expect(
      flow.resend(999, { method: 'GET', url: 'https://x.example/', headers: [], body: '' }),
    ).rejects.toThrow(/FLOW_ILLEGAL_STEP|no request step/)
  })
})

describe('flow.replay', () => {
  it('sends the token request again after the end: the used code is refused, and the flow ends again', async () => {
    const flow = await runToEnd()
    const token = exchangeOf(flow, isToken)
    const before = flow.steps.length
    const added = await flow.replay(token.id)
    expect(added.map((s) => s.kind.type)).toEqual(['request', 'response', 'end'])
    expect(added[0]?.replayed).toBe(true)
    expect(added[0]?.narration).toMatch(/^Sent again by you: /)
    expect(added[0]?.from).toBe('client')
    expect(added[0]?.channel).toBe('back')
    expect(added[1]?.title).toBe('The token request is refused: invalid_grant')
    expect(flow.steps.length).toBe(before + 3)
    expect(flow.ended()).toBe(true)
  })

  it('can be undone by rewinding, and a replay can itself be edited', async () => {
    const flow = await runToEnd()
    const end = flow.steps.length - 1
    const token = exchangeOf(flow, isToken)
    const [req] = await flow.replay(token.id)
    if (req?.kind.type !== 'request') throw new Error('no request step')
    const id = req.kind.exchangeId
    await flow.resend(id, withForm(token.request, 'code', 'nope'))
    expect(flow.steps.find((s) => s.edited)?.kind).toEqual({ type: 'request', exchangeId: id })
    flow.rewind(end)
    expect(flow.steps.length).toBe(end + 1)
    expect(flow.world.state.exchanges.some((x) => x.id === id)).toBe(false)
  })

  it('only from a clean step', async () => {
    const flow = await createFlow(defaultConfig(T0), await sharedKeys())
    await expect(flow.replay(1)).rejects.toThrow(/no exchange/)
  })
})
