import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../src/flow/config.ts'
import { registrationOf } from '../../src/flow/views/registration.ts'
import { resolveScenario, SCENARIO_INFO } from '../../src/flow/scenarios/index.ts'
import { createWorldState } from '../../src/protocol/index.ts'
import { sharedKeys, T0 } from '../protocol/helpers.ts'

describe('the registration card', () => {
  it('shows the web app with its secret on its server and client_secret_basic', () => {
    expect(registrationOf(defaultConfig(T0))).toEqual({
      at: 'auth.example',
      clientType: 'confidential',
      client_name: 'Demo Photo App',
      client_id: 'demo-web-app',
      secret: { type: 'server', host: 'client.example' },
      redirect_uris: ['https://client.example/callback'],
      scopes: ['openid', 'profile', 'photos.read', 'photos.write'],
      token_endpoint_auth_method: 'client_secret_basic',
    })
  })

  it('shows the method the web app is set to use', () => {
    const r = registrationOf({ ...defaultConfig(T0), authMethod: 'client_secret_post' })
    expect(r.token_endpoint_auth_method).toBe('client_secret_post')
  })

  it('shows the SPA with no secret and none', () => {
    expect(registrationOf({ ...defaultConfig(T0), clientType: 'public' })).toMatchObject({
      clientType: 'public',
      client_id: 'demo-spa',
      secret: { type: 'none' },
      redirect_uris: ['https://spa.example/callback'],
      token_endpoint_auth_method: 'none',
    })
  })

  it('follows the scenario’s client, whatever the configuration said', () => {
    expect(registrationOf({ ...defaultConfig(T0), scenario: 'pkce-spa' }).client_id).toBe(
      'demo-spa',
    )
  })

  describe('for every scenario', () => {
    for (const scenario of SCENARIO_INFO) {
      it(`${scenario.id}: says what the world registers`, async () => {
        const given = { ...defaultConfig(T0), scenario: scenario.id }
        const { config, settings } = await resolveScenario(given)
        const world = await createWorldState({
          seed: 's',
          now: T0,
          keys: await sharedKeys(),
          settings,
        })
        const card = registrationOf(given)
        const registered = world.as.clients[card.client_id]
        expect(registered).toBeDefined()
        expect(card.client_name).toBe(registered!.client_name)
        expect(card.redirect_uris).toEqual(registered!.redirect_uris)
        expect(card.scopes.join(' ')).toBe(registered!.scope)
        expect(card.token_endpoint_auth_method).toBe(registered!.token_endpoint_auth_method)
        expect(card.secret.type === 'server').toBe(registered!.client_secret !== undefined)
        expect(card.clientType).toBe(config.clientType)
      })
    }
  })
})
