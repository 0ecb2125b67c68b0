/**
 * `npm run bench`: performance figures, one line each, as `name: value unit`, and where a figure
 * is compared with the best it could be, `(floor X, ratio Y)` with ratio = value / floor.
 *
 * The bench is a list of sections; each is a function returning rows. A row may carry a budget on
 * its ratio (a minimum, a maximum or both); the script exits 1 when a budget is missed, 0 when all
 * are met. `npm run bench -- headless` runs only the named sections.
 */
import { createLab, generateSigningKey, ORIGINS, type Lab } from '../src/index.ts'
import type { HttpResponse } from '../src/protocol/types.ts'
import { pageRows } from './benchPage.ts'

// ---------------------------------------------------------------------------------------------
// Rows, sections, budgets and the printer

/** Bounds on a row's ratio (value / floor). */
interface Budget {
  min?: number
  max?: number
}

interface Row {
  name: string
  value: number
  unit: string
  /** The best value this figure could have, in the same unit. */
  floor?: number
  /** Bounds on value / floor; needs a floor. */
  budget?: Budget
  /** A short remark printed at the end of the line. */
  note?: string
}

interface Section {
  name: string
  /** What the section measures and how, printed as comment lines before its rows. */
  describe: string[]
  run(): Promise<Row[]>
}

function fmt(n: number): string {
  if (Number.isInteger(n)) return String(n)
  const abs = Math.abs(n)
  return abs >= 100 ? n.toFixed(1) : abs >= 1 ? n.toFixed(2) : n.toPrecision(3)
}

function describeBudget(b: Budget): string {
  const parts = []
  if (b.min !== undefined) parts.push(`ratio ≥ ${b.min}`)
  if (b.max !== undefined) parts.push(`ratio ≤ ${b.max}`)
  return parts.join(' and ')
}

/** Prints a row; says whether its budget (if any) is met. */
function printRow(section: string, row: Row): boolean {
  let line = `${section}.${row.name}: ${fmt(row.value)} ${row.unit}`
  let met = true
  if (row.floor !== undefined) {
    const ratio = row.value / row.floor
    line += ` (floor ${fmt(row.floor)}, ratio ${ratio.toFixed(2)})`
    if (row.budget) {
      met =
        (row.budget.min === undefined || ratio >= row.budget.min) &&
        (row.budget.max === undefined || ratio <= row.budget.max)
      line += ` [budget ${describeBudget(row.budget)}: ${met ? 'met' : 'MISSED'}]`
    }
  } else if (row.budget) {
    line += ' [budget without a floor: MISSED]'
    met = false
  }
  if (row.note) line += `  # ${row.note}`
  console.log(line)
  return met
}

async function main(sections: Section[]): Promise<void> {
  const wanted = process.argv.slice(2)
  const unknown = wanted.filter((w) => !sections.some((s) => s.name === w))
  if (unknown.length > 0) {
    console.error(
      `Unknown section(s): ${unknown.join(', ')}. Known: ${sections.map((s) => s.name).join(', ')}.`,
    )
    process.exitCode = 2
    return
  }
  let missed = 0
  let budgets = 0
  let failed = 0
  for (const section of sections.filter((s) => wanted.length === 0 || wanted.includes(s.name))) {
    for (const line of section.describe) console.log(`# ${section.name}: ${line}`)
    let rows: Row[]
    try {
      rows = await section.run()
    } catch (e) {
      console.log(`# ${section.name}: FAILED: ${e instanceof Error ? e.message : String(e)}`)
      failed++
      continue
    }
    for (const row of rows) {
      if (row.budget) budgets++
      if (!printRow(section.name, row)) missed++
    }
  }
  console.log(
    `# budgets: ${budgets - missed} met, ${missed} missed${failed ? `; ${failed} section(s) failed` : ''}`,
  )
  if (missed > 0 || failed > 0) process.exitCode = 1
}

// ---------------------------------------------------------------------------------------------
// Timing helpers

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** Runs `fn` `count` times in a row and returns the mean ms per run. */
async function timeBatch(count: number, fn: () => Promise<void>): Promise<number> {
  const start = performance.now()
  for (let i = 0; i < count; i++) await fn()
  return (performance.now() - start) / count
}

// ---------------------------------------------------------------------------------------------
// Section "headless": complete flows through the simulated world vs. their cryptography alone

const FLOWS = 200
const WARMUP = 20
const BATCH = 10

/**
 * The cryptography one complete flow performs, counted by reading the code path (and checked
 * against an instrumented flow before timing):
 * - SHA-256: PKCE at the client (buildAuthorizationUrl) and at the server (token endpoint), and
 *   at_hash on issue (issueTokens) and on check (validateIdToken), at the code exchange and at the
 *   refresh: 1 + 1 + 2 + 2.
 * - RS256 sign: access token and ID token, at the code exchange and at the refresh (issueTokens).
 * - RS256 verify: the ID token by the client at the exchange and at the refresh (validateIdToken),
 *   the access token by the resource server on the one API call (validateLocally).
 * - Public key import: none once warm: the verifiers are cached per JWKS (`localKeySet`) and the
 *   private key per world (`world.importKey`). Key generation is not part of a flow.
 */
const OPS_PER_FLOW = { digest: 6, sign: 4, verify: 3, importKey: 0 } as const
type Op = keyof typeof OPS_PER_FLOW
const OP_NAMES: Record<Op, string> = {
  digest: 'sha256',
  sign: 'rs256_sign',
  verify: 'rs256_verify',
  importKey: 'public_key_import',
}

function expectStatus(res: HttpResponse | null, status: number, what: string): HttpResponse {
  if (!res || res.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${res?.status ?? 'no request'}`)
  }
  return res
}

/**
 * One complete flow, from login to revoke, as the user clicks through it in the simulated
 * browser: the confidential web client redeems the code, validates the ID token and calls the
 * API at its callback; then the user refreshes the token and signs out (which revokes).
 */
async function completeFlow(lab: Lab): Promise<void> {
  // A fresh visitor: without auth.example's session cookie, every flow signs in again.
  lab.world.state.browser.cookies = {}
  const b = lab.browser
  expectStatus(await b.navigate(`${ORIGINS.webClient}/login`), 302, 'GET /login')
  expectStatus(await b.followRedirect(), 200, 'GET /authorize (login page)')
  const login = { username: 'alice', password: 'wonderland' }
  expectStatus(await b.submit('login-form', login), 200, 'POST /login (consent page)')
  const allow = { name: 'decision', value: 'allow' }
  expectStatus(await b.submit('consent-form', {}, allow), 303, 'POST /consent')
  const home = expectStatus(await b.followRedirect(), 200, 'GET /callback')
  if (!home.body.includes('<ul id="photos">')) {
    throw new Error('the callback did not load the photos')
  }
  const refreshed = expectStatus(await b.submit('refresh-form'), 200, 'POST /refresh')
  if (!refreshed.body.includes('Token refreshed')) throw new Error('the refresh did not succeed')
  expectStatus(await b.submit('logout-form'), 200, 'POST /logout')
  const last = lab.exchanges.at(-1)
  if (!last?.request.url.endsWith('/revoke') || last.response?.status !== 200) {
    throw new Error('signing out did not revoke the tokens')
  }
}

/** Counts the calls to `crypto.subtle` methods while `fn` runs, and the ms spent awaiting them. */
async function instrumentSubtle(
  fn: () => Promise<void>,
): Promise<{ counts: Record<string, number>; msInCrypto: number }> {
  const subtle = crypto.subtle as unknown as Record<
    string,
    (...args: unknown[]) => Promise<unknown>
  >
  const names = Object.getOwnPropertyNames(Object.getPrototypeOf(subtle) as object).filter(
    (n) => n !== 'constructor' && typeof subtle[n] === 'function',
  )
  const counts: Record<string, number> = {}
  let msInCrypto = 0
  for (const n of names) {
    const original = subtle[n]!
    subtle[n] = async (...args: unknown[]) => {
      counts[n] = (counts[n] ?? 0) + 1
      const start = performance.now()
      try {
        return await original.apply(crypto.subtle, args)
      } finally {
        msInCrypto += performance.now() - start
      }
    }
  }
  try {
    await fn()
  } finally {
    for (const n of names) delete subtle[n]
  }
  return { counts, msInCrypto }
}

type Bytes = Uint8Array<ArrayBuffer>

interface Jws {
  /** The whole compact JWS (what at_hash hashes). */
  token: Bytes
  /** `header.payload`, what the signature covers. */
  input: Bytes
  signature: Bytes
}

/** What a flow's cryptography works on, taken from a real flow in the lab. */
interface Material {
  verifier: Bytes
  /** The code exchange's tokens, then the refresh's. */
  issued: { accessToken: Jws; idToken: Jws }[]
}

function jws(token: string): Jws {
  const enc = new TextEncoder()
  const [h = '', p = '', s = ''] = token.split('.')
  return {
    token: enc.encode(token),
    input: enc.encode(`${h}.${p}`),
    signature: new Uint8Array(Buffer.from(s, 'base64url')),
  }
}

function materialFromLastFlow(lab: Lab): Material {
  const tokenCalls = lab.exchanges.filter(
    (x) => x.from === 'client' && x.request.url.endsWith('/token') && x.response?.status === 200,
  )
  const [exchange, refresh] = tokenCalls.slice(-2)
  const verifier = new URLSearchParams(exchange?.request.body).get('code_verifier')
  if (!exchange || !refresh || !verifier) throw new Error('no complete flow to take tokens from')
  const issued = [exchange, refresh].map((x) => {
    const body = JSON.parse(x.response?.body ?? '{}') as { access_token: string; id_token: string }
    return { accessToken: jws(body.access_token), idToken: jws(body.id_token) }
  })
  return { verifier: new TextEncoder().encode(verifier), issued }
}

const RS256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const

/** Exactly the cryptographic operations of one complete flow (OPS_PER_FLOW), in their order. */
async function cryptoOnlyFlow(privateKey: CryptoKey, publicKey: CryptoKey, m: Material) {
  const subtle = crypto.subtle
  const verify = async (t: Jws) => {
    if (!(await subtle.verify(RS256, publicKey, t.signature, t.input))) throw new Error('bad signature')
  }
  await subtle.digest('SHA-256', m.verifier) // client: code_challenge
  await subtle.digest('SHA-256', m.verifier) // server: PKCE check
  for (const [i, { accessToken, idToken }] of m.issued.entries()) {
    await subtle.sign(RS256, privateKey, accessToken.input) // server: access token
    await subtle.digest('SHA-256', accessToken.token) // server: at_hash
    await subtle.sign(RS256, privateKey, idToken.input) // server: ID token
    await verify(idToken) // client: ID token
    await subtle.digest('SHA-256', accessToken.token) // client: at_hash check
    if (i === 0) await verify(accessToken) // resource server: the API call after the exchange
  }
}

const headless: Section = {
  name: 'headless',
  describe: [
    'complete flows (login → consent → code → ID token → API → refresh → revoke) through the',
    '  simulated browser and the confidential web client, against the same flows’ cryptography alone',
    `  (crypto.subtle in a loop); one lab, one RS256 key (generated once: not part of a flow);`,
    `  ${FLOWS} flows after ${WARMUP} warm-up, interleaved batches of ${BATCH}, median ms per flow;`,
    '  ops per flow are read from the code and checked against the crypto.subtle calls of a flow',
  ],
  async run() {
    const t0 = performance.now()
    const key = await generateSigningKey('bench-key')
    const keyGenerationMs = performance.now() - t0
    const lab = await createLab({ seed: 'bench', keys: [key] })

    for (let i = 0; i < WARMUP; i++) await completeFlow(lab)
    // Check the count read from the code against one instrumented flow (warm: JWKS cached).
    const exchangesBefore = lab.exchanges.length
    const { counts } = await instrumentSubtle(() => completeFlow(lab))
    const exchangesPerFlow = lab.exchanges.length - exchangesBefore
    const expected: Record<string, number> = { ...OPS_PER_FLOW }
    const names = new Set([...Object.keys(counts), ...Object.keys(expected)])
    const differ = [...names].filter((n) => (counts[n] ?? 0) !== (expected[n] ?? 0))
    if (differ.length > 0) {
      const detail = differ.map(
        (n) => `${n} counted ${counts[n] ?? 0}, expected ${expected[n] ?? 0}`,
      )
      throw new Error(`a flow's crypto.subtle calls differ from OPS_PER_FLOW: ${detail.join('; ')}`)
    }
    // Where a complete flow's time goes: awaiting crypto.subtle, or anything else (an
    // instrumented run, apart from the timed ones).
    const start = performance.now()
    const { msInCrypto } = await instrumentSubtle(async () => {
      for (let i = 0; i < BATCH; i++) await completeFlow(lab)
    })
    const msAwaitingCrypto = msInCrypto / BATCH
    const msOutsideCrypto = (performance.now() - start) / BATCH - msAwaitingCrypto

    const material = materialFromLastFlow(lab)
    const privateKey = await crypto.subtle.importKey('jwk', key.privateJwk, RS256, false, ['sign'])
    const publicKey = await crypto.subtle.importKey('jwk', key.publicJwk, RS256, false, ['verify'])
    const cryptoFlow = () => cryptoOnlyFlow(privateKey, publicKey, material)
    for (let i = 0; i < WARMUP; i++) await cryptoFlow()

    // Interleaved batches, so drift (CPU clock, GC) falls on both alike.
    const complete: number[] = []
    const cryptoOnly: number[] = []
    for (let done = 0; done < FLOWS; done += BATCH) {
      complete.push(await timeBatch(BATCH, () => completeFlow(lab)))
      cryptoOnly.push(await timeBatch(BATCH, cryptoFlow))
    }
    const msComplete = median(complete)
    const msCrypto = median(cryptoOnly)

    return [
      {
        name: 'complete_flows',
        value: 1000 / msComplete,
        unit: 'flows/s',
        floor: 1000 / msCrypto,
        // The ≥ 0.5 budget belongs to the performance issue; until then it is reported, not enforced.
        note: 'floor: crypto-only flows/s; target ratio ≥ 0.5 (not yet enforced)',
      },
      { name: 'complete_ms_per_flow', value: msComplete, unit: 'ms' },
      { name: 'crypto_only_flows', value: 1000 / msCrypto, unit: 'flows/s' },
      { name: 'crypto_only_ms_per_flow', value: msCrypto, unit: 'ms' },
      ...(Object.keys(OPS_PER_FLOW) as Op[]).map((op) => ({
        name: `ops_per_flow.${OP_NAMES[op]}`,
        value: OPS_PER_FLOW[op],
        unit: 'ops',
      })),
      {
        name: 'complete_ms_awaiting_crypto',
        value: msAwaitingCrypto,
        unit: 'ms',
        note: 'per flow, instrumented run',
      },
      {
        name: 'complete_ms_outside_crypto',
        value: msOutsideCrypto,
        unit: 'ms',
        note: 'per flow, instrumented run: the simulated world, jose, GC',
      },
      { name: 'exchanges_per_flow', value: exchangesPerFlow, unit: 'requests' },
      {
        name: 'key_generation',
        value: keyGenerationMs,
        unit: 'ms',
        note: 'once per lab, not part of a flow',
      },
    ]
  },
}

const page: Section = {
  name: 'page',
  describe: [
    'the built page against the floor (../shared/bench/floor: React, react-dom, zustand and',
    '  framer-motion LazyMotion + m), both built with this Vite and measured in one Chromium run',
  ],
  run: pageRows,
}

await main([headless, page])
