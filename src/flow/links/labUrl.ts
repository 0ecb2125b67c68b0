/**
 * A lab in an address: the scenario, its settings, the step, the seed and the start of simulated
 * time, so a link opens the same step with the same codes, states and verifiers. Read from the
 * page's (or an embed's) query string: anything wrong is left out, with one polite notice in plain
 * text; nothing from the address is ever markup. Written back as the learner moves.
 *
 * | parameter  | value                                              | default            |
 * | ---------- | -------------------------------------------------- | ------------------ |
 * | `scenario` | a scenario id (`pkce-spa`, `mix-up`, …)            | `confidential`     |
 * | `variant`  | `vulnerable` or `defended` (attack scenarios)      | `defended`         |
 * | `step`     | the step on screen, counted from 1                 | 1                  |
 * | `seed`     | 1–64 letters, digits and `.` `_` `-` `:`           | `classroom-1`      |
 * | `t`        | start of simulated time, ISO 8601 (`2026-11-21T09:00:00Z`) | now        |
 * | `client`   | `confidential` or `public`                         | `confidential`     |
 * | `scope`    | space-separated scopes                             | `openid profile photos.read` |
 * | `pkce`, `state`, `oidc`, `refresh`, `revoke` | `on` or `off`    | `on`               |
 * | `signedin` | `on` or `off`: Alice is already signed in at auth.example | `off`         |
 * | `auth`     | `client_secret_basic` or `client_secret_post`      | `client_secret_basic` |
 * | `theme`    | `light`, `dark` or `system`                        | `system`           |
 * | `controls` | `full` or `compact` (embeds)                       | `full`             |
 * | `panels`   | comma-separated panes (`diagram,narration`), see `panels.ts` | all (embeds: `EMBED_PANELS`) |
 * | `height`   | `fill` (the lab fills its host) or `auto` (its natural height; embeds) | `fill` |
 */
import { defaultConfig, normalizeScope } from '../config.ts'
import { PANEL_IDS, isPanelId, type PanelId } from '../panels.ts'
import { findScenarioInfo, isScenarioId } from '../scenarios/catalog.ts'
import type { FlowConfig } from '../types.ts'

export type LinkTheme = 'system' | 'light' | 'dark'
export type LinkControls = 'full' | 'compact'
/**
 * How an embed takes its height: `fill` fills the height its host gives it (panes scroll inside);
 * `auto` takes the lab's natural height, and an iframe tells its parent when that changes.
 */
export type LinkHeight = 'fill' | 'auto'

/** What an address asks for, checked. */
export interface LabLink {
  /** The configuration patch to start with (only what the address set, and valid). */
  config: Partial<FlowConfig>
  /** The step index (from 0) to open at, or null for the first. */
  step: number | null
  theme: LinkTheme | null
  controls: LinkControls | null
  /** The panes to show, each once, in the lab's order; null for the default (the page: all). */
  panels: PanelId[] | null
  height: LinkHeight | null
  /** Plain text (never markup) saying what was ignored, or null. */
  notice: string | null
}

/** The parameters this module reads and writes; others in a query string are left alone. */
export const LINK_PARAMS = [
  'scenario',
  'variant',
  'step',
  'seed',
  't',
  'client',
  'scope',
  'pkce',
  'state',
  'oidc',
  'auth',
  'refresh',
  'revoke',
  'signedin',
  'theme',
  'controls',
  'panels',
  'height',
] as const

/** The on/off parameters, each with the setting it sets. */
const SWITCHES = {
  pkce: 'pkce',
  state: 'state',
  oidc: 'oidc',
  refresh: 'refresh',
  revoke: 'revoke',
  signedin: 'signedIn',
} as const satisfies Record<string, keyof FlowConfig>
type Switch = (typeof SWITCHES)[keyof typeof SWITCHES]

/** Longest query string read at all: a longer one is not a link this page made. */
export const MAX_QUERY = 4096
/** The highest step a link may name (no run comes near it). */
export const MAX_STEP = 999
const MAX_SHOWN = 40
/** Sentences of a notice before the rest are only counted. */
const MAX_NOTICES = 3
const SEED = /^[A-Za-z0-9._:-]{1,64}$/
/** RFC 6749 §3.3 scope-token: printable ASCII but space, `"` and `\`; here at most 64 of them. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,64}$/
/** The most scope names a lab (and its link) carries. */
export const MAX_SCOPES = 16

/**
 * Why a space-separated scope list cannot be the lab's (its link could not carry it: the page
 * opened from that link would run another scope), or null when it can. Plain text, for the field.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export function scopeProblem(scope: string): string | null {
  const names = scope.split(/\s+/).filter(Boolean)
  if (names.length > MAX_SCOPES)
    return `At most ${MAX_SCOPES} scope names: this list has ${names.length}.`
  const bad = names.find((n) => !SCOPE_TOKEN.test(n))
  if (bad === undefined) return null
  if (bad.length > 64) return `A scope name is at most 64 characters: one here has ${bad.length}.`
  return 'A scope name is letters, digits and printable ASCII symbols (RFC 6749 §3.3): no quotes ("), backslashes, or characters outside ASCII.'
}
const EARLIEST = Date.UTC(2000, 0, 1)
const LATEST = Date.UTC(2100, 0, 1)

/** Quotes an untrusted value for a notice: shortened, control characters shown as `�`, plain text. */
export function quote(value: string): string {
  const clean = value.replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/gu, '\uFFFD')
  const chars = [...clean]
  return `“${chars.length > MAX_SHOWN ? `${chars.slice(0, MAX_SHOWN).join('')}…` : clean}”`
}

function parseSwitch(value: string): boolean | null {
  const v = value.toLowerCase()
  if (v === 'on' || v === '1' || v === 'true' || v === 'yes') return true
  if (v === 'off' || v === '0' || v === 'false' || v === 'no') return false
  return null
}

/**
 * ISO 8601 as `Date.parse` reads it the same everywhere: a date (UTC), or a date and time with `Z`
 * or an offset (without one it would be local time, and the link would differ between machines).
 * Anything else `Date.parse` guesses at (`-1`, `12`, `Tuesday 5`) is not a time.
 */
const ISO_TIME =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/i

/** Reads a start time: ISO 8601, or milliseconds since the epoch; null if neither or out of range. */
function parseTime(value: string): number | null {
  const ms = /^\d{1,15}$/.test(value)
    ? Number(value)
    : ISO_TIME.test(value)
      ? Date.parse(value)
      : NaN
  return Number.isFinite(ms) && ms >= EARLIEST && ms < LATEST ? ms : null
}

/** A start time as the shortest ISO 8601 text (no milliseconds when whole seconds). */
export function formatLinkTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}

/** Reads a lab from a query string (`?…` or without the `?`). Never throws. */
export function parseLabQuery(search: string): LabLink {
  const out: LabLink = {
    config: {},
    step: null,
    theme: null,
    controls: null,
    panels: null,
    height: null,
    notice: null,
  }
  if (search.length > MAX_QUERY) {
    out.notice = `The address was too long to be a lab link (${search.length.toLocaleString('en')} characters), so it was ignored and the default flow is shown.`
    return out
  }
  let params: URLSearchParams
  try {
    params = new URLSearchParams(search)
  } catch {
    return { ...out, notice: 'The address could not be read, so the default flow is shown.' }
  }
  const notices: string[] = []
  const get = (name: string) => {
    const v = params.get(name)
    return v === null ? null : v.trim()
  }
  const { config } = out

  const id = get('scenario')
  if (id !== null) {
    const found = findScenarioInfo(id)
    if (found && isScenarioId(found.id)) config.scenario = found.id
    else notices.push(`There is no scenario called ${quote(id)}, so the default flow is shown.`)
  }
  const variant = get('variant')
  if (variant !== null && (id === null || config.scenario)) {
    const scenario = findScenarioInfo(config.scenario ?? 'confidential')
    if (!scenario?.variants) {
      notices.push(`The variant ${quote(variant)} was ignored: this scenario has no variants.`)
    } else if (variant === 'vulnerable' || variant === 'defended') {
      config.variant = variant
    } else {
      notices.push(
        `There is no variant called ${quote(variant)}; choose vulnerable or defended. The defended one is shown.`,
      )
    }
  }

  const step = get('step')
  if (step !== null) {
    const n = /^\d{1,4}$/.test(step) ? Number(step) : NaN
    if (n >= 1 && n <= MAX_STEP) out.step = n - 1
    else notices.push(`${quote(step)} is not a step number, so the flow starts at step 1.`)
  }

  const seed = get('seed')
  if (seed !== null) {
    if (SEED.test(seed)) config.seed = seed
    else
      notices.push(
        `The seed ${quote(seed)} was ignored: a seed is 1 to 64 letters, digits, dots, dashes, colons or underscores.`,
      )
  }

  const t = get('t')
  if (t !== null) {
    const ms = parseTime(t)
    if (ms !== null) config.now = ms
    else
      notices.push(
        `The start time ${quote(t)} was ignored: use a date and time such as 2026-11-21T09:00:00Z. The clock starts now.`,
      )
  }

  const client = get('client')
  if (client !== null) {
    if (client === 'confidential' || client === 'public') config.clientType = client
    else notices.push(`There is no client called ${quote(client)}; choose confidential or public.`)
  }

  const scope = params.get('scope')
  if (scope !== null) {
    // Empty is a choice too: every scope removed, OpenID Connect off.
    if (scopeProblem(scope) === null) config.scope = scope.split(/\s+/).filter(Boolean).join(' ')
    else notices.push(`The scope ${quote(scope)} was ignored: it is not a list of scope names.`)
  }

  for (const [name, key] of Object.entries(SWITCHES)) {
    const v = get(name)
    if (v === null) continue
    const b = parseSwitch(v)
    if (b !== null) config[key satisfies Switch] = b
    else notices.push(`The setting ${name}=${quote(v)} was ignored: use on or off.`)
  }

  const auth = get('auth')
  if (auth !== null) {
    if (auth === 'client_secret_basic' || auth === 'client_secret_post') config.authMethod = auth
    else
      notices.push(
        `The client authentication ${quote(auth)} was ignored: use client_secret_basic or client_secret_post.`,
      )
  }

  const theme = get('theme')
  if (theme !== null) {
    if (theme === 'light' || theme === 'dark' || theme === 'system') out.theme = theme
    else notices.push(`There is no theme called ${quote(theme)}; choose light, dark or system.`)
  }

  const controls = get('controls')
  if (controls !== null) {
    if (controls === 'full' || controls === 'compact') out.controls = controls
    else notices.push(`The controls ${quote(controls)} were ignored; choose full or compact.`)
  }

  const panels = get('panels')
  if (panels !== null) {
    const { known, unknown } = readPanels(panels)
    if (known.length > 0) out.panels = known
    const choose = `choose from ${PANEL_IDS.join(', ')}`
    if (known.length === 0)
      notices.push(
        `The panels ${quote(panels)} were ignored (${choose}), so the default panels are shown.`,
      )
    else if (unknown.length > 0)
      notices.push(
        `There is no panel called ${unknown.map(quote).slice(0, MAX_NOTICES).join(', ')}${unknown.length > MAX_NOTICES ? ', …' : ''}; ${choose}.`,
      )
  }

  const height = get('height')
  if (height !== null) {
    if (height === 'fill' || height === 'auto') out.height = height
    else notices.push(`The height ${quote(height)} was ignored; choose fill or auto.`)
  }

  // A link with everything wrong gets a few sentences, not a wall of text.
  const more = notices.length - MAX_NOTICES
  out.notice = notices.length
    ? [
        ...notices.slice(0, MAX_NOTICES),
        ...(more > 0 ? [`${more} more parameter${more > 1 ? 's were' : ' was'} ignored.`] : []),
      ].join(' ')
    : null
  return out
}

/**
 * The panes a `panels` value names: comma-separated, spaces around a name ignored, each pane once,
 * in the lab's own order (`panels=browser,diagram` and `diagram,browser` are the same lab).
 */
function readPanels(value: string): { known: PanelId[]; unknown: string[] } {
  const named = new Set<PanelId>()
  const unknown: string[] = []
  for (const part of value.split(',')) {
    const name = part.trim()
    if (!name) continue
    if (isPanelId(name)) named.add(name)
    else if (!unknown.includes(name)) unknown.push(name)
  }
  return { known: PANEL_IDS.filter((id) => named.has(id)), unknown }
}

/** What a link carries: the lab's configuration, the step on screen and, for embeds, the look. */
export interface LinkState {
  config: FlowConfig
  /** Step index, from 0. */
  step?: number
  theme?: LinkTheme
  controls?: LinkControls
  /** The panes, written as given (none written when absent or empty). */
  panels?: readonly PanelId[]
  /** Written only when `auto` (`fill` is the default). */
  height?: LinkHeight
}

/**
 * The query string for a lab: every setting that differs from the defaults, the seed when not the
 * default, the start time and the step. Other parameters of `search` are kept.
 */
export function labSearch(state: LinkState, search = ''): string {
  const params = new URLSearchParams(search.length > MAX_QUERY ? '' : search)
  for (const name of LINK_PARAMS) params.delete(name)
  const { config } = state
  const base = defaultConfig(0)
  const scenario = findScenarioInfo(config.scenario)
  if (scenario && scenario.id !== 'confidential') params.set('scenario', scenario.id)
  if (scenario?.variants) params.set('variant', config.variant ?? 'defended')
  if (config.clientType !== base.clientType) params.set('client', config.clientType)
  if (normalizeScope(config.scope, config.oidc) !== normalizeScope(base.scope, config.oidc))
    params.set('scope', normalizeScope(config.scope, config.oidc))
  // Each only when it differs from the default: `signedin=on` only when signed in.
  for (const [name, key] of Object.entries(SWITCHES))
    if (config[key] !== base[key]) params.set(name, config[key] ? 'on' : 'off')
  if (config.authMethod !== base.authMethod) params.set('auth', config.authMethod)
  if (config.seed !== base.seed) params.set('seed', config.seed)
  params.set('t', formatLinkTime(config.now))
  if (state.step !== undefined && state.step > 0) params.set('step', String(state.step + 1))
  if (state.theme && state.theme !== 'system') params.set('theme', state.theme)
  if (state.controls && state.controls !== 'full') params.set('controls', state.controls)
  if (state.panels?.length) {
    const names = PANEL_IDS.filter((id) => state.panels?.includes(id))
    if (names.length) params.set('panels', names.join(','))
  }
  if (state.height === 'auto') params.set('height', 'auto')
  const out = queryText(params)
  return out ? `?${out}` : ''
}

/**
 * A query string (without `?`) as people read it: `:` (in times) and `,` (between panes) are left as they are,
 * which a query may carry unescaped (RFC 3986 §3.4).
 */
export function queryText(params: URLSearchParams): string {
  return params.toString().replace(/%3A/gi, ':').replace(/%2C/gi, ',')
}
