// @vitest-environment jsdom
// (jsdom for DOMParser: the SVG is parsed as XML. The exports themselves use no DOM.)
import { beforeAll, describe, expect, it } from 'vitest'
import { CHANNEL_NAMES } from '../../src/flow/views/diagram.ts'
import { defaultConfig, visibleExchanges, type Flow, type Step } from '../../src/flow/index.ts'
import {
  diagramRows,
  exportFileName,
  mermaidText,
  parseCookieHeader,
  parseSetCookie,
  toExchangesDocument,
  toExchangesJson,
  toHar,
  toMermaid,
  toSvg,
  xmlEscape,
  type ExportSource,
} from '../../src/flow/exports/index.ts'
import { lanesOf, stepShape } from '../../src/flow/views/diagram.ts'
import { T0 } from '../protocol/helpers.ts'
import { harProblems } from './harSpec.ts'
import { advanceToEnd, runToEnd, SCENARIO_RUNS } from './helpers.ts'

function at(flow: Flow, index = flow.steps.length - 1): ExportSource {
  return { config: flow.config, steps: flow.steps, index }
}

/** Text with everything that could break Mermaid, SVG or HTML out of its place. */
const HOSTILE = `"quoted" 'single' </svg><script>alert(1)</script> line\nbreak; semi # hash -->> arrow %%{init}%% &amp; \u0000nul`

/** A Mermaid statement: only entity codes may carry `#`, and none of the characters escaped. */
const SAFE = String.raw`(?:[^;#<>%&"\n]|#\d+;)+`
const IDS = '(?:Browser|Client|AS|RS|Attacker)'
const STATEMENT = new RegExp(
  [
    String.raw`^  title ${SAFE}$`,
    String.raw`^  participant ${IDS} as ${SAFE}$`,
    String.raw`^  ${IDS}(?:->>|-->>|--x|--\))${IDS}: ${SAFE}$`,
    String.raw`^  Note over ${IDS}(?:,${IDS})?: ${SAFE}$`,
  ].join('|'),
)

function mermaidLines(text: string): string[] {
  expect(text.endsWith('\n')).toBe(true)
  const lines = text.slice(0, -1).split('\n')
  expect(lines[0]).toBe('sequenceDiagram')
  for (const line of lines.slice(1)) expect(line).toMatch(STATEMENT)
  return lines
}

function parseSvg(text: string): Document {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml')
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0)
  expect(doc.documentElement.localName).toBe('svg')
  expect(doc.documentElement.namespaceURI).toBe('http://www.w3.org/2000/svg')
  return doc
}

/** Self-contained and inert: no script, no style sheet, no foreign content, no reference out. */
function expectInert(doc: Document) {
  const all = Array.from(doc.getElementsByTagName('*'))
  expect(all.map((e) => e.localName)).not.toContain('script')
  expect(all.map((e) => e.localName)).not.toContain('foreignObject')
  expect(all.map((e) => e.localName)).not.toContain('style')
  for (const el of all) {
    for (const attr of Array.from(el.attributes)) {
      expect(attr.localName).not.toMatch(/^(href|src|on.*)$/i)
      expect(attr.value).not.toMatch(/url\(|javascript:/i)
    }
  }
}

describe.each(SCENARIO_RUNS)('%s %s, run to the end', (scenario, variant) => {
  let flow: Flow
  beforeAll(async () => {
    flow = await runToEnd({ scenario, ...(variant ? { variant } : {}) })
  })

  it('exports a valid HAR 1.2 log with one entry per exchange, in order', () => {
    const har = toHar(at(flow))
    expect(harProblems(har)).toEqual([])
    // What a file holds is what JSON can say: no undefined, no NaN, the same after a round trip.
    expect(JSON.parse(JSON.stringify(har))).toEqual(har)
    const exchanges = flow.steps.at(-1)?.snapshot.exchanges ?? []
    expect(exchanges.length).toBeGreaterThan(0)
    expect(har.log.entries).toHaveLength(exchanges.length)
    har.log.entries.forEach((e, i) => {
      const x = exchanges[i]
      expect([e.request.method, e.request.url, e._id, e._channel, e._from, e._to]).toEqual([
        x?.request.method,
        x?.request.url,
        x?.id,
        x?.channel,
        x?.from,
        x?.to,
      ])
      expect(e.response.status).toBe(x?.response?.status)
      expect(e.comment).toContain(x ? CHANNEL_NAMES[x.channel] : 'no exchange')
      expect(e.startedDateTime).toBe(new Date(x?.sentAt ?? NaN).toISOString())
    })
    // Simulated time, in the order sent.
    const starts = har.log.entries.map((e) => Date.parse(e.startedDateTime))
    expect(starts).toEqual([...starts].sort((a, b) => a - b))
    expect(starts[0]).toBeGreaterThanOrEqual(T0)
  })

  it('exports the JSON document with every exchange and the run it came from', () => {
    const doc = toExchangesDocument(at(flow))
    expect(doc).toMatchObject({
      format: 'oauth-flow-lab/exchanges',
      version: 1,
      scenario: { id: scenario },
      variant: variant ?? null,
      step: {
        index: flow.steps.length - 1,
        number: flow.steps.length,
        total: flow.steps.length,
        kind: 'end',
      },
      config: { seed: flow.config.seed, start: new Date(T0).toISOString() },
    })
    expect(doc.exchanges.map((x) => x.id)).toEqual(
      flow.steps.at(-1)?.snapshot.exchanges.map((x) => x.id),
    )
    expect(JSON.parse(toExchangesJson(at(flow)))).toEqual(doc)
  })

  it('exports Mermaid with a participant per lane and a line per message, action and note', () => {
    const lines = mermaidLines(toMermaid(at(flow)))
    const lanes = lanesOf(flow.steps)
    expect(lines.filter((l) => l.startsWith('  participant '))).toHaveLength(lanes.length)
    expect(lines.some((l) => l.startsWith('  participant Attacker '))).toBe(
      lanes.includes('attacker'),
    )
    const count = (types: string[], failed = false) =>
      flow.steps.filter((s) => types.includes(s.kind.type) && (s.failed ?? false) === failed).length
    const leaks = flow.steps.filter((s) => stepShape(s).type === 'leak').length
    expect(lines.filter((l) => /^ {2}\w+->>/.test(l))).toHaveLength(count(['request']))
    expect(lines.filter((l) => /^ {2}\w+-->>/.test(l))).toHaveLength(count(['response']))
    // A failed answer ends in a cross; the attacker copying from a lane is a dotted open arrow.
    expect(lines.filter((l) => /^ {2}\w+--x/.test(l))).toHaveLength(count(['response'], true))
    expect(lines.filter((l) => /^ {2}\w+--\)Attacker: /.test(l))).toHaveLength(leaks)
    expect(lines.filter((l) => l.startsWith('  Note over '))).toHaveLength(
      count(['user', 'attacker', 'time', 'end']) - leaks,
    )
  })

  it('draws the mix-up’s lanes in its order and by its names, in Mermaid and in SVG', async () => {
    const source = at(await runToEnd({ scenario: 'mix-up', variant: 'vulnerable' }))
    const participants = mermaidLines(toMermaid(source)).filter((l) =>
      l.startsWith('  participant '),
    )
    expect(participants).toEqual([
      '  participant Browser as Browser',
      '  participant Client as Client',
      '  participant AS as Authorization Server',
      '  participant Attacker as evil-as.example',
      '  participant RS as Resource Server',
    ])
    const heads = Array.from(parseSvg(toSvg(source)).querySelectorAll('text'), (t) => t.textContent)
    const order = [
      'Browser',
      'Client',
      'Authorization Server',
      'evil-as.example',
      'Resource Server',
    ]
    const places = order.map((name) => heads.indexOf(name))
    expect(places.every((i) => i >= 0)).toBe(true)
    expect([...places].sort((a, b) => a - b)).toEqual(places)
  })

  it('exports a well-formed, self-contained SVG with a row per message', () => {
    const svg = toSvg(at(flow))
    const doc = parseSvg(svg)
    expectInert(doc)
    const root = doc.documentElement
    expect(root.getAttribute('viewBox')).toBe(
      `0 0 ${root.getAttribute('width')} ${root.getAttribute('height')}`,
    )
    expect(root.firstElementChild?.localName).toBe('title')
    const rows = diagramRows(at(flow))
    const groups = Array.from(root.children).filter(
      (g) => g.localName === 'g' && g.firstElementChild?.localName === 'title',
    )
    expect(groups).toHaveLength(rows.length)
    // Back-channel and direct arrows are dashed, front-channel ones solid.
    rows.forEach((row, i) => {
      if (row.type !== 'message') return
      const line = groups[i]?.getElementsByTagName('line')[0]
      expect(line?.hasAttribute('stroke-dasharray')).toBe(row.channel !== 'front')
    })
  })
})

describe('a request still waiting for its response', () => {
  let flow: Flow
  let request: Step
  beforeAll(async () => {
    flow = await runToEnd({ scenario: 'pkce-spa' })
    const found = flow.steps.find((s) => s.kind.type === 'request' && s.label === 'POST /token')
    if (!found) throw new Error('no token request')
    request = found
  })

  it('is in the HAR with status 0, no content and a comment saying it is pending', () => {
    const har = toHar(at(flow, request.index))
    expect(harProblems(har)).toEqual([])
    expect(har.log.entries).toHaveLength(visibleExchanges(flow.steps, request.index).length)
    const last = har.log.entries.at(-1)
    expect(last?.request).toMatchObject({ method: 'POST', url: 'https://auth.example/token' })
    expect(last?.response).toMatchObject({
      status: 0,
      statusText: '',
      content: { size: 0 },
      redirectURL: '',
    })
    expect(last?.response.comment).toMatch(/no response yet/i)
    expect(last?.comment).toMatch(/waiting for the response/)
    expect(last?.timings).toEqual({ send: 0, wait: 0, receive: 0 })
    // The form body, as text and as fields.
    expect(last?.request.postData?.mimeType).toBe('application/x-www-form-urlencoded')
    expect(last?.request.postData?.params?.map((p) => p.name)).toContain('code_verifier')
    // Every answered exchange before it has its response.
    expect(har.log.entries.slice(0, -1).every((e) => e.response.status > 0)).toBe(true)
  })

  it('is in the JSON with a null response and received time', () => {
    const doc = toExchangesDocument(at(flow, request.index))
    expect(doc.exchanges.at(-1)).toMatchObject({ response: null, receivedAt: null })
    expect(doc.step).toMatchObject({ index: request.index, kind: 'request', label: 'POST /token' })
  })

  it('is drawn as far as it got: the request, not yet its response', () => {
    const lines = mermaidLines(toMermaid(at(flow, request.index)))
    expect(lines.at(-1)).toMatch(
      /^ {2}Client->>AS: \d+\. POST \/token \(direct request from the page\)$/,
    )
  })

  it('names the file after the scenario and the step on screen', () => {
    expect(exportFileName(at(flow, request.index), 'har')).toBe(
      `oauth-flow-lab-pkce-spa-step-${request.index + 1}.har`,
    )
  })
})

describe('a run not computed yet', () => {
  it('exports empty but valid files', () => {
    const source: ExportSource = { config: defaultConfig(T0), steps: [], index: 0 }
    expect(harProblems(toHar(source))).toEqual([])
    expect(toHar(source).log.entries).toEqual([])
    expect(toExchangesDocument(source).exchanges).toEqual([])
    expect(
      mermaidLines(toMermaid(source)).filter((l) => l.startsWith('  participant ')),
    ).toHaveLength(4)
    expectInert(parseSvg(toSvg(source)))
  })

  it('keeps an out-of-range step index inside the run', async () => {
    const flow = await runToEnd()
    expect(toExchangesDocument({ ...at(flow), index: 9999 }).step.index).toBe(flow.steps.length - 1)
    expect(toExchangesDocument({ ...at(flow), index: -3 }).step.index).toBe(0)
    expect(toHar({ ...at(flow), index: Number.NaN }).log.entries).toEqual([])
  })
})

describe('attack scenarios', () => {
  it('names the variant in the file name and the HAR, and marks the attacker’s exchanges', async () => {
    const flow = await runToEnd({ scenario: 'code-interception', variant: 'vulnerable' })
    expect(exportFileName(at(flow), 'svg')).toBe(
      `oauth-flow-lab-code-interception-vulnerable-step-${flow.steps.length}.svg`,
    )
    const har = toHar(at(flow))
    expect(har.log.pages[0]?.title).toContain('(vulnerable)')
    expect(
      har.log.entries.some((e) => e._from === 'attacker' && e.comment.startsWith('Attacker → ')),
    ).toBe(true)
    const mermaid = toMermaid(at(flow))
    expect(mermaid).toMatch(
      /^ {2}Browser--\)Attacker: \d+\. Attacker copies: intercepts the code$/m,
    )
  })

  it('draws a refused answer with a cross and the attacker’s copying as a dotted arrow', async () => {
    const flow = await runToEnd({ scenario: 'code-interception', variant: 'defended' })
    const refused = flow.steps.find((s) => s.to === 'attacker' && s.failed)!
    const mermaid = toMermaid(at(flow))
    expect(mermaid).toContain(
      `  AS--xAttacker: ${refused.index + 1}. 400 invalid_grant (back channel, failed)\n`,
    )
    // Only failed answers get a cross.
    expect(mermaid.match(/--x/g)).toHaveLength(flow.steps.filter((s) => s.failed).length)

    const doc = parseSvg(toSvg(at(flow)))
    const groups = Array.from(doc.documentElement.children).filter(
      (g) => g.localName === 'g' && g.firstElementChild?.localName === 'title',
    )
    const rows = diagramRows(at(flow))
    const failedAt = rows.findIndex((r) => r.step === refused)
    const failedRow = groups[failedAt]!
    expect(failedRow.firstElementChild?.textContent).toContain('failed: 400')
    // A cross for a head, not a triangle, in the attacker's red.
    expect(failedRow.getElementsByTagName('polygon')).toHaveLength(0)
    expect(failedRow.getElementsByTagName('path')[0]?.getAttribute('stroke')).toBe('#b91c1c')
    expect(failedRow.getElementsByTagName('line')[0]?.getAttribute('stroke')).toBe('#b91c1c')
    // A successful answer keeps its triangle and its channel's colour.
    const ok = rows.findIndex((r) => r.type === 'message' && !r.failed && !r.attacker)
    expect(groups[ok]!.getElementsByTagName('polygon')).toHaveLength(1)
    expect(groups[ok]!.getElementsByTagName('path')).toHaveLength(0)

    const leakAt = rows.findIndex((r) => r.type === 'leak')
    expect(rows[leakAt]).toMatchObject({ from: 'browser', to: 'attacker' })
    const leak = groups[leakAt]!
    expect(leak.firstElementChild?.textContent).toContain('the attacker copies from the Browser')
    const line = leak.getElementsByTagName('line')[0]!
    expect(line.getAttribute('stroke-dasharray')).toBe('2 4')
    expect(Number(line.getAttribute('x2'))).toBeGreaterThan(Number(line.getAttribute('x1')))
    // The legend names both marks, since this run has both.
    expect(doc.documentElement.textContent).toContain('failed (an error answer)')
    expect(doc.documentElement.textContent).toContain('the attacker copies from a lane')
  })

  it('has no failure or leak marks in the legend of a run without them', async () => {
    const flow = await runToEnd({ scenario: 'confidential' })
    const svg = toSvg(at(flow))
    expect(svg).not.toContain('failed (an error answer)')
    expect(svg).not.toContain('the attacker copies from a lane')
    expect(toMermaid(at(flow))).not.toMatch(/--x|--\)/)
  })
})

describe('cookies', () => {
  it('reads the cookies a request sends', () => {
    expect(parseCookieHeader('a=1; b=x=y;  ; c')).toEqual([
      { name: 'a', value: '1' },
      { name: 'b', value: 'x=y' },
      { name: 'c', value: '' },
    ])
  })

  it('reads a Set-Cookie with its attributes, Max-Age counted from the response’s simulated time', () => {
    expect(
      parseSetCookie('sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=60', T0),
    ).toEqual({
      name: 'sid',
      value: 'abc',
      path: '/',
      secure: true,
      httpOnly: true,
      expires: new Date(T0 + 60_000).toISOString(),
    })
    expect(parseSetCookie('sid=; Max-Age=0', T0)?.expires).toBe(new Date(T0).toISOString())
    expect(
      parseSetCookie('x=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Domain=.auth.example', T0),
    ).toEqual({
      name: 'x',
      value: '1',
      domain: 'auth.example',
      expires: '2026-10-21T07:28:00.000Z',
    })
    expect(parseSetCookie('x=1; Expires=not a date; Max-Age=soon', T0)).toEqual({
      name: 'x',
      value: '1',
    })
    expect(parseSetCookie('no-equals-sign', T0)).toBeNull()
    expect(parseSetCookie('=value', T0)).toBeNull()
  })

  it('puts the session cookies of the default run in the HAR', async () => {
    const flow = await runToEnd()
    const entries = toHar(at(flow)).log.entries
    const set = entries.flatMap((e) => e.response.cookies.map((c) => c.name))
    const sent = entries.flatMap((e) => e.request.cookies.map((c) => c.name))
    expect(set.length).toBeGreaterThan(0)
    expect(sent.length).toBeGreaterThan(0)
    for (const name of sent) expect(set).toContain(name)
  })
})

describe('hostile text', () => {
  it('mermaidText writes every special character as an entity code, on one line', () => {
    expect(mermaidText('a;b#c')).toBe('a#59;b#35;c')
    expect(mermaidText('x -->> y')).toBe('x --#62;#62; y')
    expect(mermaidText('<br/>"&')).toBe('#60;br/#62;#34;#38;')
    expect(mermaidText('200 {access_token…}')).toBe('200 {access_token…}')
    expect(mermaidText('one\ntwo\r\nthree')).toBe('one two three')
    expect(mermaidText('')).toBe('…')
    expect(mermaidText('#59;')).toBe('#35;59#59;')
  })

  it('xmlEscape escapes markup and drops what XML cannot hold', () => {
    expect(xmlEscape(`<a href="x">&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;',
    )
    expect(xmlEscape('a\u0000b\u0008c\u000bd\ufffe\ud800e')).toBe('abcde')
    expect(xmlEscape('tab\tnew\nline 😀')).toBe('tab\tnew\nline 😀')
  })

  /** The run with hostile words in every kind of row the diagram draws. */
  async function hostileSource(): Promise<ExportSource> {
    const flow = await runToEnd({ scenario: 'refresh', variant: 'vulnerable' })
    const steps = flow.steps.map((s): Step => {
      switch (s.kind.type) {
        case 'request':
        case 'response':
        case 'user':
        case 'attacker':
          return { ...s, label: `${s.label} ${HOSTILE}` }
        case 'time':
        case 'end':
          return { ...s, title: `${s.title} ${HOSTILE}` }
        default:
          return s
      }
    })
    expect(steps.some((s) => s.kind.type === 'time')).toBe(true)
    expect(steps.some((s) => s.kind.type === 'attacker')).toBe(true)
    return { config: flow.config, steps, index: steps.length - 1 }
  }

  it('stays text in Mermaid: every line is still one statement', async () => {
    const source = await hostileSource()
    const text = toMermaid(source)
    const lines = mermaidLines(text)
    expect(lines).toHaveLength(1 + 1 + lanesOf(source.steps).length + diagramRows(source).length)
    expect(text).not.toContain('<script>')
    expect(text).not.toContain('</svg>')
    expect(text).not.toContain('%%')
  })

  it('stays text in the SVG: no script element, and the words read back as they were', async () => {
    const source = await hostileSource()
    const doc = parseSvg(toSvg(source))
    expectInert(doc)
    expect(doc.getElementsByTagName('script')).toHaveLength(0)
    // The row titles hold the whole label, as text, on one line.
    const titles = Array.from(doc.getElementsByTagName('title'), (t) => t.textContent ?? '')
    const flat = HOSTILE.replaceAll('\n', ' ').replaceAll('\u0000', ' ')
    expect(titles.some((t) => t.includes(flat))).toBe(true)
  })

  it('goes through an edited request sent for real: a hostile method and header', async () => {
    const flow = await runToEnd()
    const token = flow.steps
      .at(-1)
      ?.snapshot.exchanges.find((x) => x.request.url === 'https://auth.example/token')
    if (!token) throw new Error('no token request')
    await flow.resend(token.id, {
      ...token.request,
      method: 'POST;#</svg><script>',
      headers: [...token.request.headers, ['X-Note', `"</svg><script>alert(1)</script>;#-->>`]],
    })
    await advanceToEnd(flow)
    const source = at(flow)
    const har = toHar(source)
    expect(harProblems(har)).toEqual([])
    const edited = har.log.entries.find((e) => e._id === token.id)
    expect(edited?._edited).toBe(true)
    expect(edited?.comment).toContain('edited by the learner')
    expect(edited?.request.method).toBe('POST;#</svg><script>')
    expect(edited?.request.headers).toContainEqual({
      name: 'X-Note',
      value: `"</svg><script>alert(1)</script>;#-->>`,
    })
    const doc = parseSvg(toSvg(source))
    expectInert(doc)
    expect(Array.from(doc.getElementsByTagName('text'), (t) => t.textContent).join(' ')).toContain(
      'POST;#</svg><script>',
    )
    const lines = mermaidLines(toMermaid(source))
    expect(lines.join('\n')).toContain('POST#59;#35;#60;/svg#62;#60;script#62; /token (edited)')
    expect(
      JSON.parse(toExchangesJson(source)).exchanges.find((x: { id: number }) => x.id === token.id)
        .edited,
    ).toBe(true)
  })
})
