/**
 * The state panel's rows: what each role holds at a step, as label/value text, each marked when
 * it differs from the step before. Pure functions of the world snapshots and the configuration.
 */
import type { ClientState, WorldState } from '../../protocol/index.ts'
import { findScenarioInfo } from '../scenarios/catalog.ts'
import type { FlowConfig } from '../types.ts'
import { formatDuration, formatExpiry, formatInstant, formatTimeOfDay } from './time.ts'

/** The parts of the state panel: the four roles, the attacker (in attacks) and the simulated clock. */
export type StateRole =
  'client' | 'authorization-server' | 'browser' | 'resource-server' | 'attacker' | 'clock'

/** One line of the state panel. */
export interface StateRow {
  role: StateRole
  /** Stable across steps, so a row can be compared with the step before. */
  key: string
  label: string
  /** null when the role holds nothing there (shown as "none"). */
  value: string | null
  /** The value differs from the step before (or the row is new, or was removed). */
  changed: boolean
  /** This step removed it: `value` is what it was. */
  removed: boolean
  /** A long value (a token): shown shortened, with a way to see it whole. */
  long: boolean
}

/** One role's part of the state panel. */
export interface StateSection {
  role: StateRole
  title: string
  /** Which client, or other detail that goes with the title. */
  subtitle: string | null
  /** Where the values live, when that is the lesson (sessionStorage, server-side session). */
  note: string | null
  rows: StateRow[]
}

/** Values longer than this are shown shortened (tokens always are). */
export const LONG_VALUE = 160

/** Tokens longer than this are shown shortened. */
const TOKEN_SHOWN = 60

/** Shortens a long value to its head and tail: `eyJhbGciOiJSUzI1NiIs…WJq1_WHI6FtQ`. */
export function shortenValue(value: string, max = 40): string {
  if (value.length <= max) return value
  const head = Math.ceil(max * 0.6)
  const tail = Math.max(4, max - head - 1)
  return `${value.slice(0, head)}…${value.slice(-tail)}`
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).host
  } catch {
    return origin
  }
}

function idPrefix(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id
}

/** A row before comparison; `cmp` is what decides "changed" (not the clock-relative words). */
interface Draft {
  key: string
  label: string
  value: string | null
  cmp?: string
  /** A token: shortened whatever its length. */
  token?: boolean
}

interface DraftSection {
  role: StateRole
  title: string
  subtitle: string | null
  note: string | null
  rows: Draft[]
}

function clientOf(w: WorldState, config: FlowConfig): ClientState {
  return config.clientType === 'confidential' ? w.web : w.spa
}

function clientSection(w: WorldState, config: FlowConfig): DraftSection {
  const now = w.clock.now
  const spa = config.clientType === 'public'
  const c = clientOf(w, config)
  const session = Object.values(c.sessions)[0] ?? null
  const tokens = session?.tokens ?? null
  const host = hostOf(c.origin)
  const rows: Draft[] = []
  if (!spa) rows.push({ key: 'client.session', label: 'session id', value: session?.sid ?? null })
  rows.push(
    { key: 'client.state', label: 'state', value: session?.state ?? null },
    { key: 'client.code_verifier', label: 'code_verifier', value: session?.code_verifier ?? null },
    {
      key: 'client.code_challenge',
      label: 'code_challenge',
      value: session?.code_challenge ?? null,
    },
    { key: 'client.nonce', label: 'nonce', value: session?.nonce ?? null },
    { key: 'client.code', label: 'code', value: session?.code ?? null },
    {
      key: 'client.access_token',
      label: 'access_token',
      value: tokens?.access_token ?? null,
      token: true,
    },
    { key: 'client.refresh_token', label: 'refresh_token', value: tokens?.refresh_token ?? null },
    { key: 'client.id_token', label: 'id_token', value: tokens?.id_token ?? null, token: true },
    {
      key: 'client.expires',
      label: 'access token expiry',
      value: tokens
        ? `${formatExpiry(tokens.expires_at, now)} (${formatTimeOfDay(tokens.expires_at)})`
        : null,
      cmp: tokens ? String(tokens.expires_at) : '',
    },
    { key: 'client.scope', label: 'granted scope', value: tokens?.scope ?? null },
    {
      key: 'client.user',
      label: 'user (sub)',
      value: session?.user && typeof session.user.sub === 'string' ? session.user.sub : null,
    },
    {
      key: 'client.error',
      label: 'error',
      value: session?.error ? `${session.error.error}: ${session.error.description}` : null,
    },
  )
  return {
    role: 'client',
    title: 'Client',
    subtitle: spa
      ? `${c.client_id}, single-page app on ${host}`
      : `${c.client_id}, web app on ${host}`,
    note: spa
      ? `Runs in the browser: state, code_verifier and nonce live in the browser’s sessionStorage for ${host}; tokens in the page’s memory.`
      : 'Kept on the app’s server, in the session the client_session cookie names: the browser never sees the tokens.',
    rows,
  }
}

function authorizationServerSection(w: WorldState): DraftSection {
  const now = w.clock.now
  const as = w.as
  const rows: Draft[] = []
  const pending = Object.values(as.pending)
  rows.push({
    key: 'as.pending',
    label: 'pending requests',
    value: pending.length
      ? `${pending.length} (${[...new Set(pending.map((p) => p.client_id))].join(', ')})`
      : null,
  })

  const sessions = Object.values(as.sessions)
  if (!sessions.length) rows.push({ key: 'as.sessions', label: 'sessions', value: null })
  for (const s of sessions) {
    rows.push({
      key: `as.session.${s.sid}`,
      label: `session ${idPrefix(s.sid)}`,
      value: `${s.sub}, signed in ${formatTimeOfDay(s.authTime * 1000)}, ${formatExpiry(s.expiresAt * 1000, now)}`,
      cmp: `${s.sub}|${s.authTime}|${s.expiresAt}`,
    })
  }

  const codes = Object.values(as.codes)
  if (!codes.length) rows.push({ key: 'as.codes', label: 'codes issued', value: null })
  for (const c of codes) {
    rows.push({
      key: `as.code.${c.code}`,
      label: `code ${idPrefix(c.code)}`,
      value: `for ${c.client_id}, ${formatExpiry(c.expiresAt * 1000, now)}, ${c.used ? 'used' : 'unused'}`,
      cmp: `${c.client_id}|${c.expiresAt}|${c.used}`,
    })
  }

  const access = Object.values(as.accessTokens)
  if (!access.length)
    rows.push({ key: 'as.accessTokens', label: 'access tokens issued', value: null })
  for (const t of access) {
    rows.push({
      key: `as.at.${t.jti}`,
      label: `access token jti ${idPrefix(t.jti)}`,
      value: `scope ${t.scope}, ${formatExpiry(t.expiresAt * 1000, now)}, ${t.revoked ? 'revoked' : 'not revoked'}`,
      cmp: `${t.scope}|${t.expiresAt}|${t.revoked}`,
    })
  }

  const refresh = Object.values(as.refreshTokens)
  if (!refresh.length)
    rows.push({ key: 'as.refreshTokens', label: 'refresh tokens issued', value: null })
  for (const t of refresh) {
    const status = t.revoked ? 'revoked' : t.rotatedAt !== null ? 'rotated (used up)' : 'active'
    rows.push({
      key: `as.rt.${t.token}`,
      label: `refresh token ${idPrefix(t.token)}`,
      value: `for ${t.client_id}, ${status}`,
      cmp: `${t.client_id}|${status}`,
    })
  }

  const grants = Object.values(as.grants)
  if (!grants.length) rows.push({ key: 'as.grants', label: 'grants', value: null })
  for (const g of grants) {
    rows.push({
      key: `as.grant.${g.id}`,
      label: `grant ${idPrefix(g.id)}`,
      value: `${g.client_id} for ${g.sub}, ${g.revoked ? `revoked${g.revokedReason ? ` (${g.revokedReason})` : ''}` : 'active'}`,
    })
  }
  return {
    role: 'authorization-server',
    title: 'Authorization Server',
    subtitle: hostOf(as.issuer),
    note: null,
    rows,
  }
}

function browserSection(w: WorldState): DraftSection {
  const b = w.browser
  const rows: Draft[] = [
    {
      key: 'browser.url',
      label: 'address bar',
      value: b.url && b.url !== 'about:blank' ? b.url : null,
    },
  ]
  let cookies = 0
  for (const [origin, jar] of Object.entries(b.cookies)) {
    for (const c of Object.values(jar)) {
      cookies++
      const flags = [
        c.httpOnly ? 'HttpOnly' : null,
        c.secure ? 'Secure' : null,
        `SameSite=${c.sameSite}`,
      ]
      rows.push({
        key: `browser.cookie.${origin}.${c.name}`,
        label: `cookie (${hostOf(origin)})`,
        value: [`${c.name}=${c.value}`, ...flags.filter(Boolean)].join('; '),
      })
    }
  }
  if (!cookies) rows.push({ key: 'browser.cookies', label: 'cookies', value: null })
  let items = 0
  for (const [origin, store] of Object.entries(b.storage)) {
    for (const [k, v] of Object.entries(store)) {
      items++
      rows.push({
        key: `browser.storage.${origin}.${k}`,
        label: `sessionStorage (${hostOf(origin)})`,
        value: `${k} = ${v}`,
      })
    }
  }
  if (!items) rows.push({ key: 'browser.storage', label: 'sessionStorage', value: null })
  return { role: 'browser', title: 'Browser', subtitle: 'Alice’s user-agent', note: null, rows }
}

function resourceServerSection(w: WorldState): DraftSection {
  const rs = w.rs
  const v = rs.lastValidation
  const rows: Draft[] = [
    {
      key: 'rs.mode',
      label: 'token check',
      value:
        rs.settings.tokenValidation === 'local'
          ? 'local: verifies the JWT’s signature and claims itself'
          : 'introspection: asks the authorization server (RFC 7662)',
    },
    {
      key: 'rs.last',
      label: 'last validation',
      value: v ? `${v.outcome}, ${v.status}, ${v.method} ${v.path}` : null,
      cmp: v ? `${v.at}|${v.outcome}|${v.status}|${v.method}|${v.path}` : '',
    },
    {
      key: 'rs.reason',
      label: 'reason',
      value: v?.reason ?? null,
      cmp: v ? `${v.at}|${v.reason}` : '',
    },
    {
      key: 'rs.jwks',
      label: 'JWKS',
      value: rs.jwks
        ? `cached (${rs.jwks.keys.length} key${rs.jwks.keys.length === 1 ? '' : 's'})${rs.jwksFetchedAt !== null ? `, fetched ${formatTimeOfDay(rs.jwksFetchedAt)}` : ''}`
        : 'not fetched yet',
    },
  ]
  return {
    role: 'resource-server',
    title: 'Resource Server',
    subtitle: hostOf(rs.resourceId),
    note: null,
    rows,
  }
}

function attackerSection(w: WorldState, config: FlowConfig): DraftSection {
  const a = w.attacker
  const rows: Draft[] = []
  if (!a.stolenCodes.length)
    rows.push({ key: 'attacker.codes', label: 'stolen codes', value: null })
  a.stolenCodes.forEach((c, i) => {
    rows.push({
      key: `attacker.code.${i}`,
      label: `stolen code ${idPrefix(c.code)}`,
      value: `${c.code}, ${c.via === 'redirect' ? 'from a redirect' : 'from a token request'} to ${hostOf(c.url)}${c.code_verifier ? ', with its code_verifier' : ''}`,
    })
  })
  if (!a.stolenTokens.length)
    rows.push({ key: 'attacker.tokens', label: 'stolen tokens', value: null })
  a.stolenTokens.forEach((t, i) => {
    rows.push({
      key: `attacker.at.${i}`,
      label: `stolen access_token (${t.grant_type})`,
      value: t.access_token,
      token: true,
    })
    if (t.refresh_token)
      rows.push({ key: `attacker.rt.${i}`, label: 'stolen refresh_token', value: t.refresh_token })
  })
  rows.push({ key: 'attacker.planted', label: 'planted URL', value: a.plantedUrl })
  const lane = findScenarioInfo(config.scenario)?.attackerLane
  const host = lane ? hostOf(lane.origin) : 'attacker.example'
  return {
    role: 'attacker',
    title: 'Attacker',
    subtitle: host,
    note: 'What the attacker holds: not part of the protocol, but the lesson.',
    rows,
  }
}

function clockSection(w: WorldState): DraftSection {
  const { now, startedAt } = w.clock
  const elapsed = Math.max(0, Math.round((now - startedAt) / 1000))
  return {
    role: 'clock',
    title: 'Simulated clock',
    subtitle: null,
    note: null,
    rows: [
      {
        key: 'clock.now',
        label: 'simulated time',
        value: `${formatInstant(now)} (+${elapsed === 0 ? '0 min' : formatDuration(elapsed)} since start)`,
      },
    ],
  }
}

function isLong(r: Draft): boolean {
  const n = r.value?.length ?? 0
  return r.token ? n > TOKEN_SHOWN : n > LONG_VALUE
}

function draftSections(w: WorldState, config: FlowConfig): DraftSection[] {
  const sections = [
    clockSection(w),
    clientSection(w, config),
    authorizationServerSection(w),
    browserSection(w),
    resourceServerSection(w),
  ]
  if (findScenarioInfo(config.scenario)?.attack) sections.push(attackerSection(w, config))
  return sections
}

/**
 * The state panel at a step: each role's variables, each row marked `changed` when it differs from
 * the step before (`prev`; nothing is marked at the first step). What this step removed (a cookie,
 * a sessionStorage item) stays listed once, marked `removed`, with the value it had.
 */
export function stateSections(
  snapshot: WorldState,
  prev: WorldState | undefined | null,
  config: FlowConfig,
): StateSection[] {
  const before = prev ? draftSections(prev, config) : null
  return draftSections(snapshot, config).map((s, i) => {
    const old = before?.[i]?.rows ?? null
    const oldByKey = new Map((old ?? []).map((r) => [r.key, r]))
    const rows: StateRow[] = s.rows.map((r) => {
      const o = oldByKey.get(r.key)
      return {
        role: s.role,
        key: r.key,
        label: r.label,
        value: r.value,
        changed: old ? !o || (o.cmp ?? o.value ?? '') !== (r.cmp ?? r.value ?? '') : false,
        removed: false,
        long: isLong(r),
      }
    })
    if (old) {
      const present = new Set(rows.map((r) => r.key))
      old.forEach((o, j) => {
        if (present.has(o.key) || o.value === null) return
        // Keep it where it was: after the nearest earlier row that is still listed.
        let at = 0
        for (let k = j - 1; k >= 0; k--) {
          const idx = rows.findIndex((r) => r.key === old[k]?.key)
          if (idx >= 0) {
            at = idx + 1
            break
          }
        }
        rows.splice(at, 0, {
          role: s.role,
          key: o.key,
          label: o.label,
          value: o.value,
          changed: true,
          removed: true,
          long: isLong(o),
        })
      })
    }
    return { role: s.role, title: s.title, subtitle: s.subtitle, note: s.note, rows }
  })
}

/** The state panel's rows at a step, flat. */
export function stateRows(
  snapshot: WorldState,
  prev: WorldState | undefined | null,
  config: FlowConfig,
): StateRow[] {
  return stateSections(snapshot, prev, config).flatMap((s) => s.rows)
}
