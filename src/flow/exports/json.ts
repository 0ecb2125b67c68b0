/**
 * The exchanges seen at a step as a JSON document of the lab's own, with the scenario, its
 * settings and the step: a stable shape (`format` and `version` say which) for scripts and notes.
 */
import type { Channel, HeaderList, Role } from '../../protocol/index.ts'
import { reasonPhrase } from '../../protocol/reasonPhrase.ts'
import type { FlowConfig, StepKind, Variant } from '../types.ts'
import { visibleExchanges } from '../views/visible.ts'
import { CREATOR, isoTime, scenarioTitle, stepOnScreen, type ExportSource } from './source.ts'

/** One exchange as it was seen at the step: a request, and its response once it came back. */
export interface ExportedExchange {
  /** The exchange's id in the run (ids follow the order requests were sent). */
  id: number
  from: Role
  /** null when nothing answers at the request's origin (the network answered 502). */
  to: Role | null
  /** `front`: through the browser; `back`: server to server. */
  channel: Channel
  /** The sender's origin when it is a server or a page, else null. */
  fromOrigin: string | null
  /** Simulated time the request was sent, ISO 8601. */
  sentAt: string
  /** Simulated time the response came back, ISO 8601; null while it is still on its way. */
  receivedAt: string | null
  request: { method: string; url: string; headers: HeaderList; body: string }
  /** null while the request is still on its way at this step. */
  response: { status: number; statusText: string; headers: HeaderList; body: string } | null
  /** The learner edited the request before it was sent (Edit and resend). */
  edited: boolean
  /** The learner sent the request again from the log (Replay). */
  replayed: boolean
}

/**
 * `format: 'oauth-flow-lab/exchanges'`, `version: 1`. Within a version, fields are only ever
 * added, never renamed, removed or given another meaning. Headers are `[name, value]` pairs in wire
 * order, bodies are text, times are the simulated clock's.
 */
export interface ExchangesDocument {
  format: 'oauth-flow-lab/exchanges'
  version: 1
  generator: { name: string; version: string }
  scenario: { id: string; title: string }
  /** The attack's side for a scenario with variants, else null. */
  variant: Variant | null
  /** The settings the run used: the same seed, start and settings give the same exchanges. */
  config: {
    clientType: FlowConfig['clientType']
    scope: string
    pkce: boolean
    state: boolean
    oidc: boolean
    authMethod: FlowConfig['authMethod']
    refresh: boolean
    revoke: boolean
    /** Alice already had a session at auth.example when the run started. */
    signedIn: boolean
    seed: string
    /** Start of simulated time, ISO 8601. */
    start: string
  }
  /** The step on screen when the file was made. */
  step: {
    /** 0-based. */
    index: number
    /** 1-based, as the lab shows it and the `step` URL parameter takes it. */
    number: number
    /** Steps computed so far (the whole run once it is computed to its end). */
    total: number
    kind: StepKind['type']
    title: string
    label: string
  }
  /** Every exchange seen at that step, in the order the requests were sent. */
  exchanges: ExportedExchange[]
}

/**
 * The exchanges seen at the step on screen, with the scenario, variant, settings and step, as an
 * `oauth-flow-lab/exchanges` version 1 document.
 */
export function toExchangesDocument(source: ExportSource): ExchangesDocument {
  const { config } = source
  const step = stepOnScreen(source)
  const index = step?.index ?? 0
  const marks = new Map<number, { edited: boolean; replayed: boolean }>()
  for (const s of source.steps.slice(0, index + 1))
    if (s.kind.type === 'request')
      marks.set(s.kind.exchangeId, { edited: s.edited === true, replayed: s.replayed === true })
  return {
    format: 'oauth-flow-lab/exchanges',
    version: 1,
    generator: { name: CREATOR.name, version: CREATOR.version },
    scenario: { id: config.scenario, title: scenarioTitle(config) },
    variant: config.variant ?? null,
    config: {
      clientType: config.clientType,
      scope: config.scope,
      pkce: config.pkce,
      state: config.state,
      oidc: config.oidc,
      authMethod: config.authMethod,
      refresh: config.refresh,
      revoke: config.revoke,
      signedIn: config.signedIn,
      seed: config.seed,
      start: isoTime(config.now),
    },
    step: {
      index,
      number: index + 1,
      total: source.steps.length,
      kind: step?.kind.type ?? 'start',
      title: step?.title ?? '',
      label: step?.label ?? '',
    },
    exchanges: (step ? visibleExchanges(source.steps, index) : []).map((x) => ({
      id: x.id,
      from: x.from,
      to: x.to,
      channel: x.channel,
      fromOrigin: x.fromOrigin,
      sentAt: isoTime(x.sentAt),
      receivedAt: x.response && x.receivedAt !== null ? isoTime(x.receivedAt) : null,
      request: {
        method: x.request.method,
        url: x.request.url,
        headers: x.request.headers.map(([n, v]): [string, string] => [n, v]),
        body: x.request.body,
      },
      response: x.response
        ? {
            status: x.response.status,
            statusText: reasonPhrase(x.response.status),
            headers: x.response.headers.map(([n, v]): [string, string] => [n, v]),
            body: x.response.body,
          }
        : null,
      edited: marks.get(x.id)?.edited ?? false,
      replayed: marks.get(x.id)?.replayed ?? false,
    })),
  }
}

/** The document as the file's text: two-space indented JSON and a final newline. */
export function toExchangesJson(source: ExportSource): string {
  return `${JSON.stringify(toExchangesDocument(source), null, 2)}\n`
}
