/**
 * The moves scenarios add to the world: the attacker's (through `createAttacker`'s actions and
 * its notes) and requests the demo clients make that their pages do not offer (UserInfo,
 * introspection, revoking the refresh token alone).
 */
import {
  BrowserFlowError,
  ORIGINS,
  buildTokenEndpointRequest,
  s256Challenge,
  type Attacker,
  type Browser,
  type HttpRequest,
  type World,
} from '../../protocol/index.ts'
import { withQuery } from '../../protocol/http.ts'
import { FlowError } from './errors.ts'
import { attackerNotes, clientSessionOf, hasCode } from '../scenarios/helpers.ts'
import type { AttackerMove, ClientOp, FlowConfig } from '../types.ts'
import { own } from '../../protocol/records.ts'

/** Moves that send requests: their steps are the exchanges; the others are steps of their own. */
export const NETWORK_MOVES: ReadonlySet<AttackerMove> = new Set<AttackerMove>([
  'obtain-own-code',
  'redeem-code',
  'call-api',
  'replay-refresh-token',
  'inject-stolen-code',
])

/** The demo client a URL at its redirect URI (or a look-alike of it) belongs to. */
function clientIdFor(world: World, url: string): string | null {
  let host: string
  try {
    host = new URL(url).host
  } catch {
    return null
  }
  for (const c of Object.values(world.state.as.clients)) {
    const registered = c.redirect_uris.map((r) => new URL(r).host)
    if (registered.some((h) => host === h || host.startsWith(`${h}.`))) return c.client_id
  }
  return null
}

/** Records a code the attacker copied out of a URL. */
function steal(world: World, url: string | null | undefined): void {
  if (!hasCode(url)) return
  const u = new URL(url)
  world.state.attacker.stolenCodes.push({
    code: u.searchParams.get('code') ?? '',
    state: u.searchParams.get('state'),
    url,
    via: 'redirect',
    code_verifier: null,
    client_id: clientIdFor(world, url),
    at: world.now(),
  })
}

/**
 * Performs one of the attacker's moves.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4
 */
export async function performAttackerMove(
  world: World,
  attacker: Attacker,
  config: FlowConfig,
  move: AttackerMove,
): Promise<void> {
  const st = world.state.attacker
  const notes = attackerNotes(world.state)
  switch (move) {
    case 'obtain-own-code':
      try {
        // Mallory also allows photos.write: whatever the victim adds later lands in her account.
        await attacker.obtainOwnCode('demo-web-app', {
          scope: 'openid profile photos.read photos.write',
        })
      } catch (e) {
        // The steps show what the server answered; the scenario goes on without a forged link.
        if (!(e instanceof BrowserFlowError)) throw e
      }
      return
    case 'plant-forged-callback':
      attacker.plant(st.browser.pendingRedirect)
      return
    case 'craft-authorization-request': {
      const spa = config.clientType === 'public'
      const clientId = spa ? world.state.spa.client_id : world.state.web.client_id
      const lookalike = spa ? ORIGINS.attackerSpaLookalike : ORIGINS.attackerWebLookalike
      // Its own PKCE pair: the code will be bound to a challenge the attacker can answer.
      const verifier = world.randomToken(32)
      const state = world.randomToken(16)
      const url = withQuery(
        `${ORIGINS.authorizationServer}/authorize`,
        [
          ['response_type', 'code'],
          ['client_id', clientId],
          ['redirect_uri', `${lookalike}/callback`],
          ['scope', 'openid profile photos.read'],
          ['state', state],
          ['code_challenge', await s256Challenge(verifier)],
          ['code_challenge_method', 'S256'],
        ],
        'set',
        world.urls,
      )
      notes.code_verifier = verifier
      notes.client_id = clientId
      attacker.plant(url)
      return
    }
    case 'intercept-code':
      steal(world, world.state.browser.pendingRedirect)
      return
    case 'copy-code':
      steal(
        world,
        [...world.state.browser.history].reverse().find((u) => hasCode(u)),
      )
      return
    case 'copy-refresh-token': {
      const rt = clientSessionOf(world.state, config)?.tokens?.refresh_token
      if (rt) {
        notes.refresh_token = rt
        notes.client_id =
          config.clientType === 'public' ? world.state.spa.client_id : world.state.web.client_id
      }
      return
    }
    case 'redeem-code': {
      const stolen = st.stolenCodes.at(-1)
      if (!stolen) return
      const clientId = stolen.client_id ?? notes.client_id ?? world.state.spa.client_id
      const u = new URL(stolen.url)
      // The token request must repeat the redirect_uri the code was issued for.
      const redirectUri =
        stolen.via === 'redirect'
          ? `${u.origin}${u.pathname}`
          : own(world.state.as.clients, clientId)?.redirect_uris[0]
      await attacker.redeemCode(stolen.code, {
        client_id: clientId,
        redirect_uri: redirectUri,
        code_verifier: notes.code_verifier ?? stolen.code_verifier ?? undefined,
      })
      return
    }
    case 'call-api': {
      const stolen = st.stolenTokens.at(-1)
      if (stolen) await attacker.callApi(stolen.access_token)
      return
    }
    case 'replay-refresh-token': {
      const rt = notes.refresh_token
      if (rt)
        await attacker.refresh(rt, { client_id: notes.client_id ?? world.state.spa.client_id })
      return
    }
    case 'inject-stolen-code': {
      const stolen = st.stolenCodes.at(-1)
      // The code came from the honest server: its iss is the one the app's own sign-in expects.
      if (stolen) await attacker.injectCode(stolen.code, { iss: ORIGINS.authorizationServer })
      return
    }
    default: {
      const never: never = move
      throw new FlowError('FLOW_ILLEGAL_STEP', `unknown attacker move ${JSON.stringify(never)}`)
    }
  }
}

/**
 * Sends a request the client makes on its own: from the web app's server (back channel) or from
 * the SPA's page code (front channel, CORS).
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export async function performClientOp(
  world: World,
  browser: Browser,
  config: FlowConfig,
  op: ClientOp,
): Promise<void> {
  const confidential = config.clientType === 'confidential'
  const client = confidential ? world.state.web : world.state.spa
  const tokens = clientSessionOf(world.state, config)?.tokens
  if (!tokens) return
  const send = async (request: HttpRequest) => {
    if (confidential) await world.send('client', 'back', request, ORIGINS.webClient)
    else await browser.pageFetch(request)
  }
  switch (op) {
    case 'userinfo':
      await send({
        method: 'GET',
        url: `${ORIGINS.authorizationServer}/userinfo`,
        headers: [
          ['Authorization', `Bearer ${tokens.access_token}`],
          ['Accept', 'application/json'],
        ],
        body: '',
      })
      return
    case 'introspect':
      await send(
        buildTokenEndpointRequest(client, '/introspect', {
          token: tokens.access_token,
          token_type_hint: 'access_token',
        }),
      )
      return
    case 'revoke-refresh-token':
      // Only the refresh token: the app keeps its access token, to show what revocation does not do.
      if (tokens.refresh_token)
        await send(
          buildTokenEndpointRequest(client, '/revoke', {
            token: tokens.refresh_token,
            token_type_hint: 'refresh_token',
          }),
        )
      return
    default: {
      const never: never = op
      throw new FlowError('FLOW_ILLEGAL_STEP', `unknown client request ${JSON.stringify(never)}`)
    }
  }
}
