/**
 * Interoperability: a standard, spec-strict OAuth 2.0 / OpenID Connect client library
 * (oauth4webapi) completes the whole flow against the simulated world, with `lab.fetch` as its
 * only transport. The lab runs on the real clock, because the library checks `iat` and `exp`
 * against its own.
 */
import * as oauth from 'oauth4webapi'
import { describe, expect, it } from 'vitest'
import { createLab, type Lab } from '../../src/index.ts'
import { sharedKeys } from './helpers.ts'

const ISSUER = new URL('https://auth.example')
const API = new URL('https://api.example/photos')
const ALICE = 'alice-7c9e'
const SCOPE = 'openid profile photos.read'

type Variant = 'client_secret_basic' | 'client_secret_post' | 'none'

interface Party {
  lab: Lab
  as: oauth.AuthorizationServer
  client: oauth.Client
  auth: oauth.ClientAuth
  redirectUri: string
  /** Every option bag the library takes: route its requests into the simulated network. */
  opts: { [oauth.customFetch]: Transport }
}

type Transport = (url: string, init: oauth.CustomFetchOptions<string, unknown>) => Promise<Response>

/** `lab.fetch` in the shape of the library's `customFetch` hook. */
function transport(lab: Lab): Transport {
  return (url, init) => lab.fetch(url, init as RequestInit)
}

/** A lab on the real clock and an oauth4webapi client configured from the issuer's metadata. */
async function setUp(variant: Variant): Promise<Party> {
  const lab = await createLab({ seed: `interop-${variant}`, keys: await sharedKeys() })
  const opts = { [oauth.customFetch]: transport(lab) }
  const as = await oauth.processDiscoveryResponse(
    ISSUER,
    await oauth.discoveryRequest(ISSUER, opts),
  )
  if (variant === 'none') {
    const c = lab.clients.public
    return {
      lab,
      as,
      client: { client_id: c.client_id, token_endpoint_auth_method: 'none' },
      auth: oauth.None(),
      redirectUri: c.redirect_uri,
      opts,
    }
  }
  const c = lab.clients.confidential
  return {
    lab,
    as,
    client: { client_id: c.client_id, token_endpoint_auth_method: variant },
    auth:
      variant === 'client_secret_basic'
        ? oauth.ClientSecretBasic(c.client_secret)
        : oauth.ClientSecretPost(c.client_secret),
    redirectUri: c.redirect_uri,
    opts,
  }
}

/**
 * The authorization code flow as the library's documentation writes it: PKCE, state and nonce
 * from the library, the browser through login and consent, then the code redeemed and the
 * ID token validated (claims by processAuthorizationCodeResponse, signature against the JWKS).
 */
async function signIn(p: Party, tamper: { expectedNonce?: string } = {}) {
  const codeVerifier = oauth.generateRandomCodeVerifier()
  const codeChallenge = await oauth.calculatePKCECodeChallenge(codeVerifier)
  const state = oauth.generateRandomState()
  const nonce = oauth.generateRandomNonce()
  if (!p.as.authorization_endpoint) throw new Error('no authorization_endpoint in the metadata')
  const url = new URL(p.as.authorization_endpoint)
  url.searchParams.set('client_id', p.client.client_id)
  url.searchParams.set('redirect_uri', p.redirectUri)
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('scope', SCOPE)
  url.searchParams.set('code_challenge', codeChallenge)
  url.searchParams.set('code_challenge_method', 'S256')
  url.searchParams.set('state', state)
  url.searchParams.set('nonce', nonce)

  const redirect = new URL(await p.lab.browser.authorize(url.toString()))
  const params = oauth.validateAuthResponse(p.as, p.client, redirect, state)
  const tokenResponse = await oauth.authorizationCodeGrantRequest(
    p.as,
    p.client,
    p.auth,
    params,
    p.redirectUri,
    codeVerifier,
    p.opts,
  )
  const tokens = await oauth.processAuthorizationCodeResponse(p.as, p.client, tokenResponse, {
    expectedNonce: tamper.expectedNonce ?? nonce,
    requireIdToken: true,
  })
  await oauth.validateApplicationLevelSignature(p.as, tokenResponse, p.opts)
  const claims = oauth.getValidatedIdTokenClaims(tokens)
  if (!claims) throw new Error('no validated ID token claims')
  return { tokens, claims, redirect }
}

/** Whether a refused call surfaced as the library's OAuth error with this `error` code. */
async function oauthError(promise: Promise<unknown>): Promise<{ error: string; status: number }> {
  try {
    await promise
  } catch (e) {
    if (e instanceof oauth.ResponseBodyError) return { error: e.error, status: e.status }
    throw e
  }
  throw new Error('expected the call to fail with an OAuth error response')
}

describe('a standard OAuth client library (oauth4webapi) against the simulated world', () => {
  it('discovers the issuer metadata through lab.fetch, at both well-known addresses', async () => {
    const lab = await createLab({ keys: await sharedKeys() })
    const opts = { [oauth.customFetch]: transport(lab) }
    for (const algorithm of ['oidc', 'oauth2'] as const) {
      const res = await oauth.discoveryRequest(ISSUER, { ...opts, algorithm })
      const as = await oauth.processDiscoveryResponse(ISSUER, res)
      expect(as.issuer).toBe('https://auth.example')
      expect(as.authorization_endpoint).toBe('https://auth.example/authorize')
      expect(as.token_endpoint).toBe('https://auth.example/token')
      expect(as.code_challenge_methods_supported).toEqual(['S256'])
      expect(as.authorization_response_iss_parameter_supported).toBe(true)
    }
    expect(lab.exchanges.map((e) => new URL(e.request.url).pathname)).toEqual([
      '/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server',
    ])
  })

  const variants: { variant: Variant; who: string }[] = [
    { variant: 'client_secret_basic', who: 'the confidential client with HTTP Basic' },
    { variant: 'client_secret_post', who: 'the confidential client with client_secret_post' },
    { variant: 'none', who: 'the public client (no secret, PKCE)' },
  ]

  describe.each(variants)('$who', ({ variant }) => {
    it('signs alice in: the redirect carries iss and state, the ID token validates with its nonce', async () => {
      const p = await setUp(variant)
      const { tokens, claims, redirect } = await signIn(p)
      expect(redirect.searchParams.get('iss')).toBe('https://auth.example')
      expect(tokens.token_type).toBe('bearer')
      expect(tokens.scope).toBe(SCOPE)
      expect(tokens.expires_in).toBe(3600)
      expect(typeof tokens.refresh_token).toBe('string')
      expect(claims.iss).toBe('https://auth.example')
      expect(claims.sub).toBe(ALICE)
      expect(claims.aud).toBe(p.client.client_id)
      const sent = p.lab.exchanges.find((e) => e.request.url === 'https://auth.example/token')
      const authz = sent?.request.headers.find(([n]) => n.toLowerCase() === 'authorization')
      const body = new URLSearchParams(sent?.request.body)
      if (variant === 'client_secret_basic') expect(authz?.[1]).toMatch(/^Basic /)
      else expect(authz).toBeUndefined()
      expect(body.has('client_secret')).toBe(variant === 'client_secret_post')
    })

    it('calls the photos API with the access token and gets alice’s photos', async () => {
      const p = await setUp(variant)
      const { tokens } = await signIn(p)
      const res = await oauth.protectedResourceRequest(
        tokens.access_token,
        'GET',
        API,
        undefined,
        undefined,
        p.opts,
      )
      expect(res.status).toBe(200)
      const body = (await res.json()) as { owner: string; photos: { id: string; title: string }[] }
      expect(body.owner).toBe(ALICE)
      expect(body.photos.map((x) => x.id)).toEqual(['p1', 'p2', 'p3'])
    })

    it('issues an RFC 9068 access token that the library validates as a resource server would', async () => {
      const p = await setUp(variant)
      const { tokens } = await signIn(p)
      const request = new Request(API, {
        headers: { Authorization: `Bearer ${tokens.access_token}` },
      })
      const claims = await oauth.validateJwtAccessToken(
        p.as,
        request,
        'https://api.example',
        p.opts,
      )
      expect(claims.sub).toBe(ALICE)
      expect(claims.client_id).toBe(p.client.client_id)
      expect(claims.scope).toBe(SCOPE)
    })

    it('answers userinfo for the subject of the ID token', async () => {
      const p = await setUp(variant)
      const { tokens, claims } = await signIn(p)
      const res = await oauth.userInfoRequest(p.as, p.client, tokens.access_token, p.opts)
      const info = await oauth.processUserInfoResponse(p.as, p.client, claims.sub, res)
      expect(info.sub).toBe(ALICE)
      expect(info.name).toBe('Alice Liddell')
      expect(info.preferred_username).toBe('alice')
    })

    it('rotates the refresh token, and refuses the old one with invalid_grant', async () => {
      const p = await setUp(variant)
      const { tokens } = await signIn(p)
      const first = tokens.refresh_token
      if (!first) throw new Error('no refresh token')
      const refreshed = await oauth.processRefreshTokenResponse(
        p.as,
        p.client,
        await oauth.refreshTokenGrantRequest(p.as, p.client, p.auth, first, p.opts),
      )
      expect(typeof refreshed.refresh_token).toBe('string')
      expect(refreshed.refresh_token).not.toBe(first)
      expect(refreshed.access_token).not.toBe(tokens.access_token)
      expect(refreshed.scope).toBe(SCOPE)

      const reuse = await oauthError(
        oauth
          .refreshTokenGrantRequest(p.as, p.client, p.auth, first, p.opts)
          .then((res) => oauth.processRefreshTokenResponse(p.as, p.client, res)),
      )
      expect(reuse).toEqual({ error: 'invalid_grant', status: 400 })
    })

    it('introspects the access token as active, and as inactive once it is revoked', async () => {
      const p = await setUp(variant)
      const { tokens } = await signIn(p)
      // A confidential client may introspect its own tokens; for the public client's tokens the
      // introspection caller is the protected resource (RFC 7662 §2.1), with its own credentials.
      const rs = p.lab.world.state.rs
      const caller =
        variant === 'none'
          ? {
              client: { client_id: rs.resourceId },
              auth: oauth.ClientSecretBasic(rs.resourceSecret),
            }
          : { client: p.client, auth: p.auth }
      const introspect = async () =>
        oauth.processIntrospectionResponse(
          p.as,
          caller.client,
          await oauth.introspectionRequest(
            p.as,
            caller.client,
            caller.auth,
            tokens.access_token,
            p.opts,
          ),
        )

      const before = await introspect()
      expect(before.active).toBe(true)
      expect(before.sub).toBe(ALICE)
      expect(before.client_id).toBe(p.client.client_id)
      expect(before.scope).toBe(SCOPE)
      expect(before.token_type).toBe('Bearer')

      const revoked = await oauth.processRevocationResponse(
        await oauth.revocationRequest(p.as, p.client, p.auth, tokens.access_token, p.opts),
      )
      expect(revoked).toBeUndefined()
      const after = await introspect()
      expect(after).toEqual({ active: false })
    })

    it('revokes the refresh token, after which refreshing fails with invalid_grant', async () => {
      const p = await setUp(variant)
      const { tokens } = await signIn(p)
      const rt = tokens.refresh_token
      if (!rt) throw new Error('no refresh token')
      await oauth.processRevocationResponse(
        await oauth.revocationRequest(p.as, p.client, p.auth, rt, {
          ...p.opts,
          additionalParameters: { token_type_hint: 'refresh_token' },
        }),
      )
      const refused = await oauthError(
        oauth
          .refreshTokenGrantRequest(p.as, p.client, p.auth, rt, p.opts)
          .then((res) => oauth.processRefreshTokenResponse(p.as, p.client, res)),
      )
      expect(refused).toEqual({ error: 'invalid_grant', status: 400 })
      // RFC 7009 §2.1: revoking a refresh token also ends the access tokens of the same grant.
      const res = await oauth.userInfoRequest(p.as, p.client, tokens.access_token, p.opts)
      expect(res.status).toBe(401)
      const failure = await oauth
        .processUserInfoResponse(p.as, p.client, ALICE, res)
        .then(() => null)
        .catch((e: unknown) => e)
      expect(failure).toBeInstanceOf(oauth.WWWAuthenticateChallengeError)
      const [challenge] = (failure as oauth.WWWAuthenticateChallengeError).cause
      expect(challenge?.scheme).toBe('bearer')
      expect(challenge?.parameters.error).toBe('invalid_token')
    })
  })

  it('refuses introspection by the public client, which cannot authenticate', async () => {
    const p = await setUp('none')
    const { tokens } = await signIn(p)
    const res = await oauth.introspectionRequest(
      p.as,
      p.client,
      p.auth,
      tokens.access_token,
      p.opts,
    )
    expect(res.status).toBe(401)
    expect(((await res.clone().json()) as { error?: string }).error).toBe('invalid_client')
    const failure = await oauth
      .processIntrospectionResponse(p.as, p.client, res)
      .then(() => null)
      .catch((e: unknown) => e)
    // The 401 says how to authenticate (RFC 9110 §15.5.2): the library reads the challenge.
    expect(failure).toBeInstanceOf(oauth.WWWAuthenticateChallengeError)
    expect((failure as oauth.WWWAuthenticateChallengeError).cause[0]?.scheme).toBe('basic')
  })

  it('really validates the ID token: the library refuses one whose nonce is not the expected one', async () => {
    const p = await setUp('client_secret_basic')
    const failure = await signIn(p, { expectedNonce: oauth.generateRandomNonce() }).catch(
      (e: unknown) => e,
    )
    expect(failure).toBeInstanceOf(oauth.OperationProcessingError)
    expect((failure as oauth.OperationProcessingError).code).toBe(oauth.JWT_CLAIM_COMPARISON)
  })
})
