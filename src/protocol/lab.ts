/**
 * The headless API: a whole simulated world behind one object, for tests, scripts, docs and
 * standard OAuth client libraries (through `lab.fetch`).
 */
import { createAttacker, createAttackerSite, createMaliciousAuthorizationServer, type Attacker } from './attacker.ts'
import { createAuthorizationServer } from './authorizationServer.ts'
import { createBrowser, type Browser } from './browser.ts'
import type { SigningKey } from './crypto.ts'
import { fromFetchRequest, toFetchResponse } from './http.ts'
import { createResourceServer } from './resourceServer.ts'
import { createSpaApp, createSpaHost, type SpaApp } from './spaClient.ts'
import { ORIGINS, type WorldState } from './state.ts'
import type { Exchange } from './types.ts'
import { createWebClient } from './webClient.ts'
import { createWorld, createWorldState, initialAttackerState, isTime, snapshotProblem, type World, type WorldSettingsInput } from './world.ts'

export interface LabOptions {
  /** Seed of the world's randomness: the same seed and actions give the same codes and states. */
  seed?: string
  /** Start of the simulated clock (default: the real time now, so client libraries agree on `exp`). */
  now?: number | Date
  /** Signing keys to reuse; by default a new RS256 key is generated. */
  keys?: SigningKey[]
  /** Settings of each party; the defaults are the secure ones. */
  settings?: WorldSettingsInput
  /** Start from a snapshot (`lab.snapshot()`) instead of a new world. */
  state?: WorldState
}

export interface Lab {
  /** `fetch()` into the simulated network, as a server-side client would; never follows redirects, always resolves. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
  readonly issuer: string
  readonly clients: {
    confidential: { client_id: string; client_secret: string; redirect_uri: string }
    public: { client_id: string; redirect_uri: string }
  }
  readonly user: { username: string; password: string }
  readonly browser: Browser
  /** The public client's code, running in the simulated browser. */
  readonly spa: SpaApp
  /** The attacker's actions and its own browser (its sites answer on the network whether used or not). */
  readonly attacker: Attacker
  readonly clock: { now(): number; advance(seconds: number): void }
  /** Every recorded exchange, in the order the requests were sent. */
  readonly exchanges: readonly Exchange[]
  readonly world: World
  snapshot(): WorldState
  restore(snapshot: WorldState): void
}

/** Wires the parties of a world onto its network. */
export function assembleWorld(state: WorldState): { world: World; browser: Browser; spa: SpaApp; attacker: Attacker } {
  // A state saved before the attacker existed gets an idle one.
  state.attacker ??= initialAttackerState()
  const world = createWorld(state)
  world.route(ORIGINS.authorizationServer, 'authorization-server', createAuthorizationServer(world))
  world.route(ORIGINS.resourceServer, 'resource-server', createResourceServer(world))
  world.route(ORIGINS.webClient, 'client', createWebClient(world))
  world.route(ORIGINS.spaClient, 'client', createSpaHost())
  const site = createAttackerSite(world)
  world.route(ORIGINS.attacker, 'attacker', site)
  world.route(ORIGINS.attackerWebLookalike, 'attacker', site)
  world.route(ORIGINS.attackerSpaLookalike, 'attacker', site)
  world.route(ORIGINS.maliciousAuthorizationServer, 'attacker', createMaliciousAuthorizationServer(world))
  const browser = createBrowser(world)
  const spa = createSpaApp(world, browser)
  const attacker = createAttacker(world)
  return { world, browser, spa, attacker }
}

/**
 * Creates a lab: the demo world of DESIGN.md, ready to use.
 * @example
 * const lab = await createLab({ seed: 'classroom-1' })
 * const url = await lab.browser.authorize(authorizationUrl)
 */
export async function createLab(options: LabOptions = {}): Promise<Lab> {
  // The one place the protocol layer reads the real clock: the default start of simulated time,
  // so that real client libraries checking `exp` and `iat` agree with the world.
  // eslint-disable-next-line no-restricted-properties
  const start = options.now === undefined ? Date.now() : options.now instanceof Date ? options.now.getTime() : options.now
  if (!isTime(start))
    throw new RangeError(`LAB_INVALID_NOW: now must be a valid Date or ms since the epoch, not ${String(options.now)}`)
  const why = options.state === undefined ? null : snapshotProblem(options.state)
  if (why !== null) throw new TypeError(`WORLD_INVALID_SNAPSHOT: ${why}`)
  const state =
    options.state !== undefined
      ? structuredClone(options.state)
      : await createWorldState({ seed: options.seed, now: start, keys: options.keys, settings: options.settings })
  const { world, browser, spa, attacker } = assembleWorld(state)
  const web = () => world.state.web
  return {
    async fetch(input, init) {
      let request
      try {
        request = await fromFetchRequest(input, init)
      } catch (e) {
        return new Response(`Bad request: ${e instanceof Error ? e.message : String(e)}`, {
          status: 400,
          headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        })
      }
      const res = await world.send('client', 'back', request)
      return toFetchResponse(res, request.url)
    },
    issuer: ORIGINS.authorizationServer,
    get clients() {
      return {
        confidential: { client_id: web().client_id, client_secret: web().client_secret ?? '', redirect_uri: web().redirect_uri },
        public: { client_id: world.state.spa.client_id, redirect_uri: world.state.spa.redirect_uri },
      }
    },
    user: { username: 'alice', password: 'wonderland' },
    browser,
    spa,
    attacker,
    clock: {
      now: () => world.now(),
      advance: (seconds) => world.advance(seconds),
    },
    get exchanges() {
      return world.state.exchanges
    },
    world,
    snapshot: () => world.snapshot(),
    restore: (s) => world.restore(s),
  }
}
