// @vitest-environment jsdom
// (jsdom for DOMParser: the browser pane's view of a page is checked against the client's state.)
/**
 * Every word true: every scenario of the registry, in each variant, under every combination of
 * the settings a learner can change, run to its end. At every step:
 * - no step's words name a parameter, token or check that no message of the run so far carries;
 * - the lanes, the state, the browser and the ending agree with each other.
 */
import { describe, expect, it } from 'vitest'
import {
  createFlow,
  defaultConfig,
  laneStatusText,
  SCENARIO_INFO,
  type FlowConfig,
  type Step,
} from '../../src/flow/index.ts'
import { scenarioConfig } from '../../src/flow/scenarios/catalog.ts'
import { browserView } from '../../src/flow/views/browser.ts'
import type { Exchange, Role, WorldState } from '../../src/protocol/index.ts'
import { getHeader } from '../../src/protocol/index.ts'
import { parseHtml } from '../../src/ui/MockBrowser/parseHtml.ts'
import { sharedKeys, T0 } from '../protocol/helpers.ts'
import { advanceToEnd } from './helpers.ts'

/** The settings a learner can change, each with both values. */
const SWITCHES = {
  clientType: ['confidential', 'public'],
  pkce: [true, false],
  state: [true, false],
  oidc: [true, false],
  refresh: [true, false],
  revoke: [true, false],
  authMethod: ['client_secret_basic', 'client_secret_post'],
  signedIn: [false, true],
} as const

type Combo = { -readonly [K in keyof typeof SWITCHES]: (typeof SWITCHES)[K][number] }

function combos(): Combo[] {
  let out: Partial<Combo>[] = [{}]
  for (const [key, values] of Object.entries(SWITCHES)) {
    out = out.flatMap((c) => (values as readonly unknown[]).map((v) => ({ ...c, [key]: v })))
  }
  return out as Combo[]
}

/** Every distinct configuration each scenario really runs with, over all combinations. */
function configsOf(id: string, variant: 'vulnerable' | 'defended' | undefined): FlowConfig[] {
  const seen = new Map<string, FlowConfig>()
  for (const c of combos()) {
    const given: FlowConfig = {
      ...defaultConfig(T0),
      scenario: id,
      ...c,
      ...(variant ? { variant } : {}),
    }
    const resolved = scenarioConfig(given)
    if (!resolved) throw new Error(`no scenario ${id}`)
    // The public client has no secret to send: its auth method changes nothing.
    const key = JSON.stringify({
      ...resolved,
      authMethod: resolved.clientType === 'public' ? '-' : resolved.authMethod,
    })
    if (!seen.has(key)) seen.set(key, given)
  }
  return [...seen.values()]
}

// ---------------------------------------------------------------------------------------------
// What the messages of a run carry

function urlsOf(x: Exchange): URL[] {
  const out: URL[] = []
  const add = (raw: string | null, base?: string) => {
    if (!raw) return
    try {
      out.push(new URL(raw, base))
    } catch {
      // not a URL: nothing carried in it
    }
  }
  add(x.request.url)
  if (x.response) add(getHeader(x.response.headers, 'location'), x.request.url)
  return out
}

function jsonKeys(body: string): string[] {
  try {
    const v: unknown = JSON.parse(body)
    return v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : []
  } catch {
    return []
  }
}

/** Every protocol name the exchanges carry: URL parameters, form fields, JSON members, headers. */
function carried(xs: readonly Exchange[]): Set<string> {
  const names = new Set<string>()
  for (const x of xs) {
    for (const u of urlsOf(x)) {
      for (const k of u.searchParams.keys()) names.add(k)
      if (u.pathname === '/userinfo') names.add('userinfo')
    }
    for (const k of new URLSearchParams(x.request.body).keys()) names.add(k)
    for (const k of jsonKeys(x.request.body)) names.add(k)
    for (const [h] of x.request.headers) names.add(h.toLowerCase())
    if (/^basic /i.test(getHeader(x.request.headers, 'authorization') ?? ''))
      names.add('client_secret')
    if (x.response) {
      for (const k of jsonKeys(x.response.body)) names.add(k)
      for (const [h] of x.response.headers) names.add(h.toLowerCase())
    }
  }
  return names
}

/** What the run's app does, as its settings say: a step may name what the app is set to use. */
function uses(world: WorldState) {
  const web = world.web.settings
  const spa = world.spa.settings
  return {
    state: web.useState || spa.useState,
    pkce: web.usePkce || spa.usePkce,
    nonce: web.useNonce || spa.useNonce,
    openid: /\bopenid\b/.test(`${web.scope} ${spa.scope}`),
  }
}

/**
 * The protocol words a step may say, each with what makes saying it true: a message of the run
 * carries it, or the app is set to use it. Negated mentions ("no state", "without PKCE") are
 * allowed: see `affirmed`.
 */
const VOCABULARY: {
  word: RegExp
  needs: (names: Set<string>, app: ReturnType<typeof uses>) => boolean
}[] = [
  { word: /\bstate\b(?! pane)/, needs: (n, app) => n.has('state') || app.state },
  { word: /\bnonce\b/i, needs: (n, app) => n.has('nonce') || app.nonce },
  {
    word: /\bcode_challenge\b|\bSHA-256\b/,
    needs: (n, app) => n.has('code_challenge') || app.pkce,
  },
  {
    word: /\bcode_verifier\b|\bPKCE verifier\b/,
    needs: (n, app) => n.has('code_verifier') || n.has('code_challenge') || app.pkce,
  },
  { word: /\bID token\b|\bid_token\b/, needs: (n, app) => n.has('id_token') || app.openid },
  { word: /\bUserInfo\b/, needs: (n) => n.has('userinfo') },
  { word: /\bclient_secret\b|\bits secret\b/, needs: (n) => n.has('client_secret') },
  { word: /\biss\b(?! check| parameter)/, needs: (n) => n.has('iss') || n.has('access_token') },
  { word: /\brefresh(?:_| )token\b/i, needs: (n) => n.has('refresh_token') },
]

/**
 * The sentence parts that affirm something: a part that says "no", "not", "without", "never",
 * "unless" or "would" (what did not happen, or what a setting would change) is left out.
 */
function affirmed(text: string): string {
  return text
    .split(/(?<=[.;:!?—(),])\s+|\s+—\s+/)
    .filter(
      (part) =>
        !/\b(no|not|nothing|without|never|unless|would|could|cannot|can’t|if|whether|instead|switch|Without|No|Press|try)\b/.test(
          part,
        ),
    )
    .join(' ')
}

/**
 * A step's words that name what no message of the run carries. The whole run counts, not only
 * the messages so far: a step may say what comes next ("the nonce must come back in the ID token").
 */
function untrue(
  step: Step,
  run: readonly Exchange[] = step.snapshot.exchanges,
  world: WorldState = step.snapshot,
): string[] {
  const names = carried(run)
  const app = uses(world)
  const text = affirmed([step.title, step.narration, step.more ?? ''].join(' — '))
  return VOCABULARY.filter((v) => v.word.test(text) && !v.needs(names, app)).map(
    (v) => `${String(v.word)} in “${text}”`,
  )
}

// ---------------------------------------------------------------------------------------------
// Agreement between the lanes, the state, the browser and the ending

function sessions(world: WorldState) {
  return [...Object.values(world.web.sessions), ...Object.values(world.spa.sessions)]
}

function disagreements(step: Step, attack: boolean): string[] {
  const out: string[] = []
  const world = step.snapshot
  const say = (what: string) => out.push(`step ${step.index + 1} (${step.title}): ${what}`)
  for (const [role, status] of Object.entries(step.statuses) as [Role, Step['statuses'][Role]][]) {
    // A lane that takes part in the step is never idle.
    if (step.active.includes(role) && status.kind === 'idle') say(`${role} takes part but is Idle`)
    // Tokens held means the state holds them.
    if (
      status.kind === 'got' &&
      status.params.what === 'stored-tokens' &&
      !sessions(world).some((s) => s.tokens)
    )
      say(`${role} says “${laneStatusText(status)}” but no client session holds tokens`)
    // The checks a lane makes are the ones its settings make.
    if (status.kind === 'check-callback') {
      const settings = world.web.settings
      const expected = [
        ...(settings.useState ? ['state'] : []),
        ...(settings.checkIss ? ['iss'] : []),
      ]
      if (JSON.stringify(status.params.checks) !== JSON.stringify(expected))
        say(
          `${role} checks ${status.params.checks.join(', ')}; its settings say ${expected.join(', ')}`,
        )
    }
    // A copied refresh token shown as live is live.
    if (status.kind === 'holds' && status.params.what === 'refresh-token') {
      const rt = world.attacker.browser.storage['https://attacker.example']?.refresh_token ?? ''
      if (world.as.refreshTokens[rt]?.revoked)
        say('the attacker lane holds a refresh token the server has revoked')
    }
  }
  // The browser pane agrees with the client: a failed sign-in is not shown beside loaded photos.
  const view = browserView(world, parseHtml)
  if (view.type === 'html') {
    const shown = JSON.stringify(view.app)
    const spa = Object.values(world.spa.sessions)[0]
    if (shown.includes('Sign-in did not complete') && spa?.tokens)
      say('the SPA says “Sign-in did not complete” while it holds tokens')
    if (shown.includes('Signed in as') && !spa?.tokens)
      say('the SPA says “Signed in as” without tokens')
  }
  if (step.kind.type === 'end') {
    // A success ending: no attacker holds tokens that worked, and the page on screen is no error.
    if (step.kind.outcome === 'success' && world.attacker.stolenTokens.length > 0)
      say('a success ending while the attacker holds stolen tokens')
    if (!attack && step.kind.outcome === 'success' && (world.browser.page?.status ?? 200) >= 400)
      say(`a success ending on a ${world.browser.page?.status} page`)
    if (Boolean(step.kind.attack) !== attack)
      say('the ending does not know whether an attacker took part')
    // A flow that completed got the app its tokens.
    const tokens = world.exchanges.some(
      (x) =>
        x.from === 'client' && x.response?.status === 200 && /"access_token"/.test(x.response.body),
    )
    if (!attack && step.kind.outcome === 'success' && !tokens)
      say('a success ending, but the app never got tokens')
  }
  return out
}

async function runOf(config: FlowConfig): Promise<readonly Step[]> {
  const flow = await advanceToEnd(
    await createFlow(config, await sharedKeys()),
    JSON.stringify(config),
  )
  return flow.steps
}

type Case = readonly [id: string, variant: 'vulnerable' | 'defended' | undefined, attack: boolean]
const CASES: Case[] = SCENARIO_INFO.flatMap((s): Case[] =>
  s.variants
    ? (['vulnerable', 'defended'] as const).map((v): Case => [s.id, v, s.attack])
    : [[s.id, undefined, s.attack]],
)

describe.each(CASES)(
  'every word true: %s %s, under every combination of the settings',
  (id, variant, attack) => {
    it('says only what the messages carry, and the lanes, state, browser and ending agree', async () => {
      const configs = configsOf(id, variant)
      expect(configs.length).toBeGreaterThan(0)
      const problems: string[] = []
      for (const config of configs) {
        const steps = await runOf(config)
        const where = `${id}${variant ? ` ${variant}` : ''} ${JSON.stringify({ ...config, now: undefined, seed: undefined })}`
        const last = steps.at(-1)
        if (!last) throw new Error('no steps')
        for (const step of steps) {
          for (const p of untrue(step, last.snapshot.exchanges, last.snapshot))
            problems.push(`${where} step ${step.index + 1}: ${p}`)
          for (const p of disagreements(step, attack)) problems.push(`${where} ${p}`)
          // Short steps: at most 60 words before "More" (endings may run longer).
          const words = step.narration.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length
          if (step.kind.type !== 'end' && words > 60)
            problems.push(`${where} step ${step.index + 1}: ${words} words`)
        }
      }
      expect(problems.slice(0, 20)).toEqual([])
    }, 240_000)
  },
)

describe('the checks themselves', () => {
  it('catch a step that names what nothing carries, and let a negation pass', () => {
    const off = { useState: false, usePkce: false, useNonce: false, scope: 'photos.read' }
    const step = {
      title: 'T',
      narration: 'The browser delivers code, state and iss.',
      more: undefined,
      snapshot: { exchanges: [], web: { settings: off }, spa: { settings: off } },
    } as unknown as Step
    expect(untrue(step).length).toBeGreaterThan(0)
    const negated = {
      ...step,
      narration: 'No state: nothing ties the answer to this browser.',
    } as Step
    expect(untrue(negated)).toEqual([])
  })

  it('catch lanes that contradict the state', () => {
    const world = {
      web: { sessions: {}, settings: { useState: true, checkIss: true } },
      spa: { sessions: {} },
      attacker: { stolenTokens: [], browser: { storage: {} } },
      as: { refreshTokens: {} },
      browser: { page: null, loading: null },
    } as unknown as WorldState
    const step = {
      index: 15,
      title: 'Token response',
      kind: { type: 'response', exchangeId: 1 },
      active: ['client', 'authorization-server'],
      statuses: {
        browser: { kind: 'idle' },
        client: { kind: 'got', params: { what: 'stored-tokens' } },
        'authorization-server': { kind: 'idle' },
        'resource-server': { kind: 'idle' },
        attacker: { kind: 'idle' },
      },
      snapshot: world,
    } as unknown as Step
    const found = disagreements(step, false)
    expect(found.some((p) => p.includes('authorization-server takes part but is Idle'))).toBe(true)
    expect(found.some((p) => p.includes('no client session holds tokens'))).toBe(true)
  })
})
