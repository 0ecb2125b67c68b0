import { describe, expect, it } from 'vitest'
import { parseLabQuery } from '../../src/flow/links/labUrl.ts'
import { EMBED_PARAMS, embedQuery, paramsFromAttributes } from '../../src/embed/params.ts'

const attrs = (values: Record<string, string>) => ({
  getAttribute: (name: string) => (Object.hasOwn(values, name) ? (values[name] ?? null) : null),
})

describe('embed settings', () => {
  it('use the names of the URL parameters', () => {
    expect(EMBED_PARAMS).toEqual([
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
    ])
  })

  it('become the query string a link would have (step a number, switches on/off)', () => {
    const query = embedQuery({
      scenario: 'pkce-spa',
      step: 4,
      pkce: false,
      theme: 'dark',
      controls: 'compact',
    })
    expect(query).toBe('scenario=pkce-spa&step=4&pkce=off&theme=dark&controls=compact')
    const link = parseLabQuery(query)
    expect(link).toMatchObject({ step: 3, theme: 'dark', controls: 'compact', notice: null })
    expect(link.config).toMatchObject({ scenario: 'pkce-spa', pkce: false })
  })

  it('carry signedin as the page’s link does, from a prop or an attribute', () => {
    expect(embedQuery({ signedin: true })).toBe('signedin=on')
    expect(parseLabQuery(embedQuery({ signedin: true })).config).toEqual({ signedIn: true })
    expect(parseLabQuery(embedQuery({ signedin: false })).config).toEqual({ signedIn: false })
    const el = attrs({ signedin: '1', scenario: 'pkce-spa' })
    expect(parseLabQuery(embedQuery(paramsFromAttributes(el))).config).toEqual({
      scenario: 'pkce-spa',
      signedIn: true,
    })
  })

  it('read attributes by those names and nothing else', () => {
    const el = attrs({
      scenario: 'oidc',
      step: '2',
      onclick: 'alert(1)',
      class: 'x',
      style: 'color:red',
    })
    expect(paramsFromAttributes(el)).toEqual({ scenario: 'oidc', step: '2' })
  })

  it('leave out missing, null and non-finite values; ignore values of the wrong kind', () => {
    const weird = {
      scenario: undefined,
      seed: null,
      step: Number.POSITIVE_INFINITY,
      scope: {},
    } as never
    const query = embedQuery(weird)
    expect(query).toBe('step=NaN')
    expect(parseLabQuery(query).notice).toContain('is not a step number')
  })

  it('get a plain-text notice for markup, and it is quoted, not kept', () => {
    const link = parseLabQuery(
      embedQuery(
        paramsFromAttributes(
          attrs({ scenario: '<img src=x onerror=alert(1)>', theme: '"><script>' }),
        ),
      ),
    )
    expect(link.config.scenario).toBeUndefined()
    expect(link.theme).toBeNull()
    expect(link.notice).toContain('There is no scenario called “<img src=x onerror=alert(1)>”')
  })

  it('cut a value too long to be honest, so it is ignored with its own notice', () => {
    const query = embedQuery({ scenario: 'a'.repeat(100_000), step: 2 })
    expect(query.length).toBeLessThan(200)
    const link = parseLabQuery(query)
    expect(link.step).toBe(1)
    expect(link.notice).toMatch(/^There is no scenario called “a{40}…”/)
  })

  it('keep a long but honest scope list', () => {
    const scope = Array.from({ length: 16 }, (_, i) => `scope.${i}.${'x'.repeat(50)}`).join(' ')
    const link = parseLabQuery(embedQuery({ scope }))
    expect(link.config.scope).toBe(scope)
  })
})
