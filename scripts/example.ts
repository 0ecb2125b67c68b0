// The headless API in one page: alice signs in to the public client (PKCE), the code is redeemed,
// the API is called, and the code is refused when used again. Run with `npm run example`.
import assert from 'node:assert/strict'
import { createLab, s256Challenge } from '../src/index.ts'

const lab = await createLab({ seed: 'classroom-1' })
const client = lab.clients.public
const random = (bytes: number) =>
  Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('base64url')

// 1. The authorization request: state, and the S256 challenge of a verifier kept here.
const verifier = random(32)
const state = random(16)
const url = new URL(`${lab.issuer}/authorize`)
url.search = new URLSearchParams({
  response_type: 'code',
  client_id: client.client_id,
  redirect_uri: client.redirect_uri,
  scope: 'openid profile photos.read',
  state,
  code_challenge: await s256Challenge(verifier),
  code_challenge_method: 'S256',
}).toString()

// 2. The simulated browser signs in, allows, and stops at the redirect back to the client.
const redirect = await lab.browser.authorize(url.toString(), {
  username: 'alice',
  password: 'wonderland',
  consent: 'allow',
})
const callback = new URL(redirect).searchParams
assert.equal(callback.get('state'), state)
const code = callback.get('code') ?? ''

// 3. Redeem the code with the verifier: a public client sends its client_id and no secret.
const redeem = () =>
  lab.fetch(`${lab.issuer}/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: client.redirect_uri,
      client_id: client.client_id,
      code_verifier: verifier,
    }),
  })
const tokens = await redeem()
assert.equal(tokens.status, 200)
const { access_token } = (await tokens.json()) as { access_token: string }

// 4. Call the API with the access token.
const api = await lab.fetch('https://api.example/photos', {
  headers: { Authorization: `Bearer ${access_token}` },
})
assert.equal(api.status, 200)

// 5. Ten minutes later, the same code is refused: codes are single-use and short-lived.
lab.clock.advance(601)
const replay = await redeem()
assert.equal(replay.status, 400)
assert.equal(((await replay.json()) as { error: string }).error, 'invalid_grant')

// Every request on the simulated network, in the order it was sent.
for (const { request, response, from, to, channel } of lab.exchanges) {
  console.log(
    `${request.method} ${request.url} → ${response?.status}  (${from} → ${to}, ${channel})`,
  )
}
