/**
 * The simulated world: its state (plain data), its clock and randomness, and the network that
 * routes every request to the party at its origin and records the exchange.
 */
import type { JWK } from 'jose'
import { createKeyCache, generateSigningKey, type SigningKey } from './crypto.ts'
import { copyMessage, createUrlMemo, jsonResponse, originOf, response, type UrlMemo } from './http.ts'
import { randomToken, seedRandom } from './random.ts'
import { startSession } from './authorizationServer.ts'
import { parseSetCookie } from './browser.ts'
import {
  DEMO_CLIENTS,
  ORIGINS,
  SPA_CLIENT_ID,
  WEB_CLIENT_ID,
  type AttackerState,
  type AuthorizationServerSettings,
  type BrowserState,
  type ClientSettings,
  type ResourceServerSettings,
  type WorldState,
} from './state.ts'
import type { Channel, Exchange, HttpRequest, HttpResponse, Role } from './types.ts'
import { own, ownOr, put } from './records.ts'

/** A party on the network: takes a request, always resolves with a response. */
export type Handler = (request: HttpRequest, meta: { from: Role; fromOrigin: string | null }) => Promise<HttpResponse>

/**
 * Replaces a request as it leaves (the learner's edit): gets the request and the exchange it will
 * be recorded as, returns the request actually sent (the same object to leave it unchanged).
 */
export type RequestInterceptor = (request: HttpRequest, meta: { id: number; from: Role; channel: Channel }) => HttpRequest

/** What the network tells listeners: a request left, or its response came back. */
export type NetworkEvent =
  | { type: 'request'; exchange: Exchange }
  | { type: 'response'; exchange: Exchange }

export interface WorldOptions {
  /** Seed of the random generator (default `'oauth-flow-lab'`). */
  seed?: string
  /** Start of the simulated clock, ms since the epoch (required: the protocol layer reads no real clock). */
  now: number
  /** Reuse signing keys (e.g. across tests) instead of generating a new RS256 key. */
  keys?: SigningKey[]
  settings?: WorldSettingsInput
}

/** Settings of each party; every default is the secure choice. */
export interface WorldSettingsInput {
  authorizationServer?: Partial<AuthorizationServerSettings> & {
    /**
     * The username of a user who signed in at the authorization server before the run: the world
     * starts with that sign-in's session there and its `as_session` cookie in the user's browser,
     * so the next authorization request skips the login page. Not a server setting: it is not kept
     * in the server's `settings`.
     */
    signedIn?: string
  }
  resourceServer?: Partial<ResourceServerSettings>
  webClient?: Partial<ClientSettings>
  spaClient?: Partial<ClientSettings>
}

export interface World {
  /** The whole state; replaced wholesale by `restore`. */
  state: WorldState
  /** Simulated time, ms since the epoch. */
  now(): number
  /** Simulated time, whole seconds since the epoch (JWT `NumericDate`). */
  nowSeconds(): number
  /** Moves the simulated clock forward. */
  advance(seconds: number): void
  /** A random base64url token from the seeded generator. */
  randomToken(bytes?: number): string
  /** Sends a request on the network; always resolves. */
  send(from: Role, channel: Channel, request: HttpRequest, fromOrigin?: string | null): Promise<HttpResponse>
  /** Registers the party at an origin. */
  route(origin: string, role: Role, handler: Handler): void
  /** The role of the party at an origin, or null. */
  roleOf(origin: string): Role | null
  importKey(jwk: JWK): Promise<CryptoKey>
  /** What this world's URL helpers remember (its own: two labs share nothing). */
  readonly urls: UrlMemo
  snapshot(): WorldState
  restore(snapshot: WorldState): void
  subscribe(listener: (event: NetworkEvent) => void): () => void
  /** Sets (or with null, removes) the interceptor `send` applies before recording and routing. */
  setInterceptor(interceptor: RequestInterceptor | null): void
}

/** A browser with nothing in it yet: no cookies, no storage, a blank page. */
export function emptyBrowserState(): BrowserState {
  return { cookies: {}, storage: {}, url: 'about:blank', page: null, history: [], pendingRedirect: null, loading: null }
}

/** The attacker before any scenario: nothing stolen, nothing planted, its own empty browser. */
export function initialAttackerState(): AttackerState {
  return {
    plantedUrl: null,
    stolenCodes: [],
    stolenTokens: [],
    browser: emptyBrowserState(),
    evilAs: { issuer: ORIGINS.maliciousAuthorizationServer, victimClientId: 'demo-web-app' },
  }
}

/** Creates an empty world with its registrations, keys and defaults. */
export async function createWorldState(options: WorldOptions): Promise<WorldState> {
  const seed = options.seed ?? 'oauth-flow-lab'
  const random = seedRandom(seed)
  const keys = options.keys ?? [await generateSigningKey(`key-${randomToken(random, 6)}`)]
  const s = options.settings ?? {}
  const webSecret = randomToken(random, 24)
  const resourceSecret = randomToken(random, 24)
  // Drawn from a generator of its own, so the main sequence (codes, states, verifiers) is the
  // same as in a world without the attacker.
  const evilIssuedSecret = randomToken(seedRandom(`${seed}/evil-as`), 24)
  const clientDefaults: ClientSettings = {
    useState: true,
    usePkce: true,
    useNonce: true,
    checkIss: true,
    scope: 'openid profile photos.read',
    authMethod: 'client_secret_basic',
  }
  const now = options.now
  const { signedIn, ...asSettings } = s.authorizationServer ?? {}
  const state: WorldState = {
    version: 1,
    seed,
    clock: { now, startedAt: now },
    random,
    keys,
    as: {
      issuer: ORIGINS.authorizationServer,
      settings: {
        redirectUriMatching: 'exact',
        requirePkceForPublicClients: true,
        rotateRefreshTokens: true,
        singleUseCodes: true,
        ...asSettings,
      },
      clients: {
        [WEB_CLIENT_ID]: {
          ...structuredClone(DEMO_CLIENTS.confidential),
          client_secret: webSecret,
          // Registered with the method the app is set to use (RFC 7591 §2).
          token_endpoint_auth_method: s.webClient?.authMethod ?? clientDefaults.authMethod,
        },
        [SPA_CLIENT_ID]: structuredClone(DEMO_CLIENTS.public),
      },
      resources: { 'https://api.example': { id: 'https://api.example', secret: resourceSecret } },
      users: {
        alice: {
          sub: 'alice-7c9e',
          username: 'alice',
          password: 'wonderland',
          name: 'Alice Liddell',
          given_name: 'Alice',
          family_name: 'Liddell',
        },
        // The attacker's own, perfectly ordinary account (login CSRF signs the victim into it).
        mallory: {
          sub: 'mallory-13f0',
          username: 'mallory',
          password: 'evil-twin',
          name: 'Mallory Moriarty',
          given_name: 'Mallory',
          family_name: 'Moriarty',
        },
      },
      sessions: {},
      pending: {},
      codes: {},
      grants: {},
      accessTokens: {},
      refreshTokens: {},
      consents: {},
    },
    rs: {
      settings: { tokenValidation: 'local', ...s.resourceServer },
      resourceId: 'https://api.example',
      resourceSecret,
      jwks: null,
      jwksFetchedAt: null,
      photos: [
        { id: 'p1', title: 'White Rabbit at dusk', owner: 'alice-7c9e' },
        { id: 'p2', title: 'Tea party, long table', owner: 'alice-7c9e' },
        { id: 'p3', title: 'Cheshire grin', owner: 'alice-7c9e' },
      ],
      lastValidation: null,
    },
    web: {
      client_id: 'demo-web-app',
      client_secret: webSecret,
      origin: ORIGINS.webClient,
      redirect_uri: `${ORIGINS.webClient}/callback`,
      settings: { ...clientDefaults, ...s.webClient },
      jwks: null,
      sessions: {},
      // A second registration, at a server the attacker runs, only when the settings ask for it:
      // the setting of the mix-up attack.
      issuers: s.webClient?.otherIssuers?.includes(ORIGINS.maliciousAuthorizationServer)
        ? {
            [ORIGINS.maliciousAuthorizationServer]: {
              issuer: ORIGINS.maliciousAuthorizationServer,
              authorization_endpoint: `${ORIGINS.maliciousAuthorizationServer}/authorize`,
              token_endpoint: `${ORIGINS.maliciousAuthorizationServer}/token`,
              client_id: 'demo-web-app',
              client_secret: evilIssuedSecret,
            },
          }
        : {},
    },
    spa: {
      client_id: 'demo-spa',
      client_secret: null,
      origin: ORIGINS.spaClient,
      redirect_uri: `${ORIGINS.spaClient}/callback`,
      settings: { ...clientDefaults, ...s.spaClient },
      jwks: null,
      sessions: {},
    },
    browser: emptyBrowserState(),
    attacker: initialAttackerState(),
    exchanges: [],
    nextId: 1,
  }
  if (signedIn !== undefined) signInEarlier(state, signedIn, seed)
  return state
}

/** How long before the run the user signed in, when the run starts signed in. */
export const EARLIER_SIGN_IN_SECONDS = 20 * 60

/**
 * What an earlier sign-in at the authorization server left behind: its session (the login form's
 * own `startSession`), and the `as_session` cookie its `Set-Cookie` put in the user's browser jar
 * (read as the browser reads it). The session id comes from a generator of its own, so the run's
 * codes, states and verifiers are the same as in a run that starts signed out.
 */
function signInEarlier(state: WorldState, username: string, seed: string): void {
  const user = own(state.as.users, username)
  if (!user) throw new RangeError(`WORLD_UNKNOWN_USER: no user "${username}" to sign in`)
  const at = state.clock.now - EARLIER_SIGN_IN_SECONDS * 1000
  const sid = randomToken(seedRandom(`${seed}/earlier-sign-in`), 24)
  const { setCookie } = startSession(state.as, user.sub, sid, Math.floor(at / 1000))
  const cookie = parseSetCookie(setCookie, at)
  if (cookie) put(ownOr(state.browser.cookies, ORIGINS.authorizationServer, () => ({})), cookie.name, cookie)
}

/** Wraps a world state with its clock, randomness and network. */
/** The latest instant a JavaScript Date can hold (ms since the epoch): the clock stops short of it. */
const MAX_TIME = 8.64e15

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** A number of ms since the epoch that a Date can hold. */
export const isTime = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= MAX_TIME

/**
 * Why a value cannot be a world's state (a snapshot to restore), or null when it has the state's
 * shape: what `restore` and `createLab({ state })` check before using it, so a bad snapshot is
 * refused with a reason instead of breaking the world later.
 */
export function snapshotProblem(s: unknown): string | null {
  if (!isObject(s)) return 'a snapshot is an object (from lab.snapshot())'
  if (s.version !== 1) return `version ${JSON.stringify(s.version) ?? String(s.version)} is not 1`
  if (typeof s.seed !== 'string') return 'seed is not a string'
  if (!isObject(s.clock) || !isTime(s.clock.now) || !isTime(s.clock.startedAt))
    return 'clock.now and clock.startedAt are not instants a Date can hold'
  if (!Array.isArray(s.random) || s.random.length !== 4 || !s.random.every((n) => Number.isInteger(n)))
    return 'random is not the generator’s four whole numbers'
  for (const part of ['as', 'rs', 'web', 'spa', 'browser'] as const)
    if (!isObject(s[part])) return `${part} is not an object`
  if (s.attacker !== undefined && !isObject(s.attacker)) return 'attacker is not an object'
  if (!Array.isArray(s.keys)) return 'keys is not a list'
  if (!Array.isArray(s.exchanges)) return 'exchanges is not a list'
  if (!Number.isSafeInteger(s.nextId) || (s.nextId as number) < 0) return 'nextId is not a whole number'
  return null
}

/** Why a value cannot be sent as a request, or null when it is an HttpRequest. */
export function requestProblem(r: unknown): string | null {
  if (!isObject(r)) return 'a request is an object { method, url, headers, body }'
  if (typeof r.method !== 'string' || r.method === '') return 'method is not a string'
  if (typeof r.url !== 'string') return 'url is not a string'
  if (
    !Array.isArray(r.headers) ||
    !r.headers.every(
      (h) => Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && typeof h[1] === 'string',
    )
  )
    return 'headers is not a list of [name, value] string pairs'
  if (typeof r.body !== 'string') return 'body is not a string'
  return null
}

export function createWorld(initial: WorldState): World {
  const routes = new Map<string, { role: Role; handler: Handler }>()
  const listeners = new Set<(event: NetworkEvent) => void>()
  const importKey = createKeyCache()
  let interceptor: RequestInterceptor | null = null
  const emit = (event: NetworkEvent) => {
    for (const l of listeners) {
      try {
        l(event)
      } catch {
        // a listener's fault is not the network's
      }
    }
  }

  const world: World = {
    state: initial,
    now: () => world.state.clock.now,
    nowSeconds: () => Math.floor(world.state.clock.now / 1000),
    advance(seconds) {
      const to = world.state.clock.now + Math.round(seconds * 1000)
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || !isTime(to)) {
        throw new RangeError(
          `CLOCK_INVALID_ADVANCE: cannot advance the clock by ${String(seconds)} seconds (a finite, non-negative number that keeps the clock within a Date's range)`,
        )
      }
      world.state.clock.now = to
    },
    randomToken: (bytes = 32) => randomToken(world.state.random, bytes),
    route(origin, role, handler) {
      routes.set(origin, { role, handler })
    },
    roleOf: (origin) => routes.get(origin)?.role ?? null,
    importKey,
    urls: createUrlMemo(),
    snapshot: () => structuredClone(world.state),
    restore(snapshot) {
      const why = snapshotProblem(snapshot)
      if (why !== null) throw new TypeError(`WORLD_INVALID_SNAPSHOT: ${why}; the world is unchanged`)
      world.state = structuredClone(snapshot)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    setInterceptor(next) {
      interceptor = next
    },
    async send(from, channel, given, fromOrigin = null) {
      // Not a request at all: answered here, as a network refuses a malformed message; nothing is recorded.
      const malformed = requestProblem(given)
      if (malformed !== null)
        return response(400, [['Content-Type', 'text/plain; charset=utf-8']], `Bad request: ${malformed}.`)
      const request = interceptor ? interceptor(copyMessage(given), { id: world.state.nextId, from, channel }) : given
      const origin = originOf(request.url, world.urls)
      const route = origin === null ? undefined : routes.get(origin)
      const exchange: Exchange = {
        id: world.state.nextId++,
        from,
        to: route?.role ?? null,
        fromOrigin,
        channel,
        request: copyMessage(request),
        response: null,
        sentAt: world.now(),
        receivedAt: null,
      }
      const state = world.state
      state.exchanges.push(exchange)
      emit({ type: 'request', exchange })
      let res: HttpResponse
      if (!route) {
        res = response(
          502,
          [['Content-Type', 'text/plain; charset=utf-8']],
          `Bad gateway: nothing answers at ${origin ?? JSON.stringify(request.url)} in the simulated network.`,
        )
      } else {
        try {
          res = await route.handler(request, { from, fromOrigin })
        } catch (e) {
          res = jsonResponse(500, {
            error: 'server_error',
            error_description: `The server met an unexpected fault: ${e instanceof Error ? e.message : String(e)}`,
          })
        }
      }
      exchange.response = copyMessage(res)
      exchange.receivedAt = world.now()
      emit({ type: 'response', exchange })
      return res
    },
  }
  return world
}
