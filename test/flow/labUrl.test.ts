import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { defaultConfig, normalizeScope } from '../../src/flow/config.ts'
import {
  LINK_PARAMS,
  MAX_QUERY,
  formatLinkTime,
  labSearch,
  parseLabQuery,
  quote,
  type LinkControls,
  type LinkHeight,
  type LinkTheme,
} from '../../src/flow/links/labUrl.ts'
import { PANEL_IDS } from '../../src/flow/panels.ts'
import { SCENARIO_INFO } from '../../src/flow/scenarios/catalog.ts'
import type { FlowConfig } from '../../src/flow/types.ts'

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0)
/** Longest notice any query may produce: a few sentences, whatever the address holds. */
const MAX_NOTICE = 700

const scopeToken = fc.oneof(
  fc.constantFrom('openid', 'profile', 'photos.read', 'photos.write'),
  fc.stringMatching(/^[\x21\x23-\x5B\x5D-\x7E]{1,64}$/),
)

/** Any configuration the page can be in (what the Settings, the picker and the clock can make). */
const flowConfig: fc.Arbitrary<FlowConfig> = fc
  .record({
    scenario: fc.constantFrom(...SCENARIO_INFO),
    variant: fc.constantFrom('vulnerable' as const, 'defended' as const),
    clientType: fc.constantFrom('confidential' as const, 'public' as const),
    scopes: fc.array(scopeToken, { maxLength: 15 }),
    pkce: fc.boolean(),
    state: fc.boolean(),
    oidc: fc.boolean(),
    authMethod: fc.constantFrom('client_secret_basic' as const, 'client_secret_post' as const),
    refresh: fc.boolean(),
    revoke: fc.boolean(),
    signedIn: fc.boolean(),
    seed: fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/),
    now: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) - 1 }),
  })
  .map(({ scenario, variant, scopes, ...rest }) => ({
    ...rest,
    scenario: scenario.id,
    ...(scenario.variants ? { variant } : {}),
    scope: normalizeScope(scopes.join(' '), rest.oidc),
  }))

/** The configuration a parsed link starts the lab with (what `createLabStore` does with it). */
function opened(search: string): FlowConfig {
  const link = parseLabQuery(search)
  const config = { ...defaultConfig(0), ...link.config }
  return { ...config, scope: normalizeScope(config.scope, config.oidc) }
}

describe('a lab link', () => {
  it('gives back the same configuration, step, theme, controls, panels and height, with no notice', () => {
    fc.assert(
      fc.property(
        flowConfig,
        fc.nat({ max: 998 }),
        fc.constantFrom<LinkTheme>('system', 'light', 'dark'),
        fc.constantFrom<LinkControls>('full', 'compact'),
        fc.shuffledSubarray([...PANEL_IDS], { minLength: 1 }),
        fc.constantFrom<LinkHeight>('fill', 'auto'),
        (config, step, theme, controls, panels, height) => {
          const search = labSearch({ config, step, theme, controls, panels, height })
          const link = parseLabQuery(search)
          expect(link.notice).toBeNull()
          expect(opened(search)).toEqual(config)
          expect(link.step ?? 0).toBe(step)
          expect(link.theme ?? 'system').toBe(theme)
          expect(link.controls ?? 'full').toBe(controls)
          // In the lab's own order, whatever order they were given in.
          expect(link.panels).toEqual(PANEL_IDS.filter((id) => panels.includes(id)))
          expect(link.height ?? 'fill').toBe(height)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('keeps every other parameter of the address, and replaces its own', () => {
    fc.assert(
      fc.property(
        flowConfig,
        fc.dictionary(
          fc
            .string({ minLength: 1 })
            .filter((k) => !(LINK_PARAMS as readonly string[]).includes(k)),
          fc.string(),
          { maxKeys: 4 },
        ),
        (config, others) => {
          const before = new URLSearchParams(others)
          before.append('step', '77')
          before.append('scenario', 'mix-up')
          const search = labSearch({ config, step: 2 }, `?${before}`)
          const after = new URLSearchParams(search)
          for (const [k, v] of Object.entries(others)) expect(after.getAll(k)).toEqual([v])
          expect(after.getAll('step')).toEqual(['3'])
          expect(parseLabQuery(search).notice).toBeNull()
          expect(opened(search)).toEqual(config)
        },
      ),
    )
  })

  it('is short for the default flow: only the start time', () => {
    expect(labSearch({ config: defaultConfig(T0) })).toBe('?t=2026-11-21T09:00:00Z')
    expect(
      labSearch({ config: defaultConfig(T0), step: 0, theme: 'system', controls: 'full' }),
    ).toBe('?t=2026-11-21T09:00:00Z')
  })

  it('writes what differs, the step counted from 1, and the variant of an attack', () => {
    const config: FlowConfig = {
      ...defaultConfig(T0 + 1),
      scenario: 'mix-up',
      clientType: 'public',
      pkce: false,
      seed: 'room:42',
    }
    expect(labSearch({ config, step: 8, theme: 'dark', controls: 'compact' })).toBe(
      '?scenario=mix-up&variant=defended&client=public&pkce=off&seed=room:42&t=2026-11-21T09:00:00.001Z&step=9&theme=dark&controls=compact',
    )
  })

  it('carries an empty scope list (OpenID Connect off, every scope removed)', () => {
    const config: FlowConfig = { ...defaultConfig(T0), oidc: false, scope: '' }
    const search = labSearch({ config })
    expect(search).toContain('scope=&')
    expect(parseLabQuery(search).notice).toBeNull()
    expect(opened(search)).toEqual(config)
  })

  it('drops an address too long to be one of its own before adding its parameters', () => {
    const search = labSearch({ config: defaultConfig(T0) }, `?junk=${'x'.repeat(MAX_QUERY)}`)
    expect(search).toBe('?t=2026-11-21T09:00:00Z')
  })

  it('accepts a start time in milliseconds and switches written in other ways', () => {
    const link = parseLabQuery(`t=${T0}&pkce=0&state=false&oidc=no&refresh=1&revoke=YES`)
    expect(link.notice).toBeNull()
    expect(link.config).toEqual({
      now: T0,
      pkce: false,
      state: false,
      oidc: false,
      refresh: true,
      revoke: true,
    })
  })

  it('writes signedin=on only when Alice is already signed in, and reads it back', () => {
    const signedIn: FlowConfig = { ...defaultConfig(T0), signedIn: true }
    const search = labSearch({ config: signedIn })
    expect(search).toBe('?signedin=on&t=2026-11-21T09:00:00Z')
    expect(parseLabQuery(search).notice).toBeNull()
    expect(opened(search)).toEqual(signedIn)
    expect(labSearch({ config: { ...signedIn, signedIn: false } })).not.toContain('signedin')
    expect(parseLabQuery('signedin=1').config).toEqual({ signedIn: true })
    expect(parseLabQuery('signedin=off').config).toEqual({ signedIn: false })
    expect(opened('')).toMatchObject({ signedIn: false })
  })

  it('reads a start time as a date, a date and time with a zone, or milliseconds', () => {
    expect(parseLabQuery('t=2026-11-21').config.now).toBe(Date.UTC(2026, 10, 21))
    expect(parseLabQuery('t=2026-11-21T10:00%2B01:00').config.now).toBe(T0)
    expect(parseLabQuery('t=2026-11-21t09:00:00.000z').config.now).toBe(T0)
    expect(parseLabQuery(`t=${T0}`).config.now).toBe(T0)
  })

  it('takes the first of duplicated parameters', () => {
    const link = parseLabQuery('?scenario=pkce-spa&scenario=mix-up&step=3&step=abc')
    expect(link.config.scenario).toBe('pkce-spa')
    expect(link.step).toBe(2)
    expect(link.notice).toBeNull()
  })

  it('reads step 1 to 999, with spaces around it', () => {
    expect(parseLabQuery('step=1').step).toBe(0)
    expect(parseLabQuery('step=%20999%20').step).toBe(998)
    expect(parseLabQuery('step=0004').step).toBe(3)
  })
})

describe('the panels of a link', () => {
  it('reads a comma-separated list into the lab’s order, each pane once, spaces ignored', () => {
    expect(parseLabQuery('panels=diagram,narration')).toMatchObject({
      panels: ['narration', 'diagram'],
      notice: null,
    })
    expect(parseLabQuery('panels=%20browser%20,,narration,browser,').panels).toEqual([
      'narration',
      'browser',
    ])
    expect(parseLabQuery(`panels=${PANEL_IDS.join(',')}`).panels).toEqual(PANEL_IDS)
  })

  it('leaves the panes to the lab when the link names none', () => {
    expect(parseLabQuery('scenario=pkce-spa').panels).toBeNull()
  })

  it('keeps the panes it knows and names the others in a notice, quoted as text', () => {
    const link = parseLabQuery(
      `?${new URLSearchParams({ panels: 'diagram,<b>x</b>,log,sidebar,diagram,sidebar' })}`,
    )
    expect(link.panels).toEqual(['diagram', 'log'])
    expect(link.notice).toBe(
      'There is no panel called “<b>x</b>”, “sidebar”; choose from narration, diagram, message, browser, state, log.',
    )
  })

  it('quotes only a few unknown names, however many there are', () => {
    const many = Array.from({ length: 500 }, (_, i) => `p${i}`).join(',')
    const link = parseLabQuery(`panels=narration,${many}`)
    expect(link.panels).toEqual(['narration'])
    expect(link.notice).toMatch(/^There is no panel called “p0”, “p1”, “p2”, …; choose from /)
    expect(link.notice?.length).toBeLessThanOrEqual(MAX_NOTICE)
  })

  it('writes the panes in the lab’s order, commas unescaped, and none when given none', () => {
    const config = defaultConfig(T0)
    expect(labSearch({ config, panels: ['log', 'diagram'] })).toBe(
      '?t=2026-11-21T09:00:00Z&panels=diagram,log',
    )
    expect(labSearch({ config, panels: [] })).toBe('?t=2026-11-21T09:00:00Z')
    expect(labSearch({ config, panels: ['nope' as 'log'] })).toBe('?t=2026-11-21T09:00:00Z')
  })
})

describe('the height of a link', () => {
  it('reads fill and auto', () => {
    expect(parseLabQuery('height=auto')).toMatchObject({ height: 'auto', notice: null })
    expect(parseLabQuery('height=%20fill%20')).toMatchObject({ height: 'fill', notice: null })
    expect(parseLabQuery('scenario=oidc').height).toBeNull()
  })

  it('writes only auto (fill is the default)', () => {
    const config = defaultConfig(T0)
    expect(labSearch({ config, height: 'auto' })).toBe('?t=2026-11-21T09:00:00Z&height=auto')
    expect(labSearch({ config, height: 'fill' })).toBe('?t=2026-11-21T09:00:00Z')
  })
})

describe('a hostile or broken address', () => {
  const bad: [string, string, RegExp][] = [
    ['scenario', 'nope', /^There is no scenario called “nope”, so the default flow is shown\.$/],
    ['scenario', '<script>alert(1)</script>', /“<script>alert\(1\)<\/script>”/],
    ['scenario', '<img src=x onerror="alert(1)">', /“<img src=x onerror="alert\(1\)">”/],
    ['scenario', '__proto__', /no scenario called “__proto__”/],
    ['scenario', 'constructor', /no scenario called “constructor”/],
    ['scenario', 'toString', /no scenario called “toString”/],
    ['step', '0', /^“0” is not a step number, so the flow starts at step 1\.$/],
    ['step', '-1', /“-1” is not a step number/],
    ['step', '1e3', /“1e3” is not a step number/],
    ['step', 'abc', /“abc” is not a step number/],
    ['step', '99999', /“99999” is not a step number/],
    ['step', '1000', /“1000” is not a step number/],
    ['step', '4.5', /“4\.5” is not a step number/],
    ['step', '', /“” is not a step number/],
    ['signedin', 'maybe', /^The setting signedin=“maybe” was ignored: use on or off\.$/],
    ['seed', 'a b', /The seed “a b” was ignored/],
    ['seed', 'x'.repeat(65), /The seed “x{40}…” was ignored/],
    ['seed', '"><svg onload=alert(1)>', /The seed “"><svg onload=alert\(1\)>” was ignored/],
    ['seed', '__proto__\u0000', /The seed “__proto__�” was ignored/],
    ['t', 'yesterday', /The start time “yesterday” was ignored/],
    ['t', '1999-12-31T23:59:59Z', /The start time “1999-12-31T23:59:59Z” was ignored/],
    ['t', '2100-01-01T00:00:00Z', /The start time “2100-01-01T00:00:00Z” was ignored/],
    ['t', '9'.repeat(16), /The start time “9{16}” was ignored/],
    ['t', 'NaN', /The start time “NaN” was ignored/],
    ['t', '-1', /The start time “-1” was ignored/],
    ['t', '12', /The start time “12” was ignored/],
    ['t', 'Tuesday 5', /The start time “Tuesday 5” was ignored/],
    // Without a zone it would be each machine's local time: not the same link everywhere.
    ['t', '2026-11-21T09:00:00', /The start time “2026-11-21T09:00:00” was ignored/],
    ['scope', 'openid "profile"', /The scope “openid "profile"” was ignored/],
    ['scope', 'a\\b', /The scope “a\\b” was ignored/],
    ['scope', 's'.repeat(65), /The scope “s{40}…” was ignored/],
    ['scope', Array.from({ length: 17 }, (_, i) => `s${i}`).join(' '), /The scope “s0 s1/],
    ['pkce', 'maybe', /^The setting pkce=“maybe” was ignored: use on or off\.$/],
    ['state', 'javascript:alert(1)', /The setting state=“javascript:alert\(1\)” was ignored/],
    ['oidc', '', /The setting oidc=“” was ignored/],
    ['refresh', 'onn', /The setting refresh=“onn” was ignored/],
    ['revoke', 'data:text/html,<b>x</b>', /revoke=“data:text\/html,<b>x<\/b>”/],
    ['auth', 'none', /The client authentication “none” was ignored/],
    ['auth', 'constructor', /The client authentication “constructor” was ignored/],
    ['client', 'evil', /There is no client called “evil”/],
    ['theme', 'blue', /There is no theme called “blue”; choose light, dark or system\./],
    ['theme', '__proto__', /There is no theme called “__proto__”/],
    ['controls', 'mini', /The controls “mini” were ignored; choose full or compact\./],
    [
      'panels',
      'sidebar',
      /^The panels “sidebar” were ignored \(choose from narration, diagram, message, browser, state, log\), so the default panels are shown\.$/,
    ],
    ['panels', '', /The panels “” were ignored/],
    ['panels', ' , ,', /The panels “, ,” were ignored/],
    ['panels', 'Diagram,NARRATION', /The panels “Diagram,NARRATION” were ignored/],
    ['panels', '<img src=x onerror=alert(1)>', /The panels “<img src=x onerror=alert\(1\)>”/],
    ['panels', '__proto__,constructor', /The panels “__proto__,constructor” were ignored/],
    ['panels', 'x,'.repeat(600), /The panels “(x,){20}…” were ignored/],
    ['height', '500', /^The height “500” was ignored; choose fill or auto\.$/],
    ['height', 'AUTO', /The height “AUTO” was ignored/],
    ['height', '100%', /The height “100%” was ignored/],
    ['height', 'auto;x', /The height “auto;x” was ignored/],
  ]

  it.each(bad)('ignores %s=%j with a notice that quotes it', (name, value, notice) => {
    const link = parseLabQuery(`?${new URLSearchParams([[name, value]])}`)
    expect(link.notice).toMatch(notice)
    expect(link.notice?.length).toBeLessThanOrEqual(MAX_NOTICE)
    expect(link.step).toBeNull()
    expect(link.theme).toBeNull()
    expect(link.controls).toBeNull()
    expect(link.panels).toBeNull()
    expect(link.height).toBeNull()
    expect(link.config).toEqual({})
  })

  it('ignores a variant that is not one, or on a scenario without variants', () => {
    expect(parseLabQuery('scenario=mix-up&variant=evil').notice).toMatch(
      /There is no variant called “evil”; choose vulnerable or defended\./,
    )
    expect(parseLabQuery('scenario=mix-up&variant=evil').config).toEqual({ scenario: 'mix-up' })
    expect(parseLabQuery('variant=vulnerable').notice).toMatch(
      /The variant “vulnerable” was ignored: this scenario has no variants\./,
    )
    // The unknown scenario's notice is enough.
    expect(parseLabQuery('scenario=nope&variant=vulnerable').notice).toBe(
      'There is no scenario called “nope”, so the default flow is shown.',
    )
  })

  it('keeps the good parameters next to the bad ones', () => {
    const link = parseLabQuery('scenario=pkce-spa&step=abc&seed=room-1&theme=%3Cb%3E')
    expect(link.config).toEqual({ scenario: 'pkce-spa', seed: 'room-1' })
    expect(link.step).toBeNull()
    expect(link.theme).toBeNull()
    expect(link.notice).toMatch(/“abc”.*“<b>”/)
  })

  it('reads broken percent-encoding as text, replacing what is not UTF-8', () => {
    expect(parseLabQuery('scenario=%E0%A4%A').notice).toBe(
      'There is no scenario called “\uFFFD%A”, so the default flow is shown.',
    )
    expect(parseLabQuery('scenario=%').notice).toMatch(/no scenario called “%”/)
    expect(parseLabQuery('step=%zz').notice).toMatch(/“%zz” is not a step number/)
    expect(parseLabQuery('%E0%A4%A=1&%=2&%zz=3').notice).toBeNull()
  })

  it('shows control and invisible characters as �, never as themselves', () => {
    const link = parseLabQuery(`?${new URLSearchParams({ seed: 'a\u0000b\u202Ec\u200Bd\nx' })}`)
    expect(link.notice).toMatch(/The seed “a�b�c�d�x” was ignored/)
  })

  it('ignores a megabyte-long address as a whole, with a short notice', () => {
    const huge = 'x'.repeat(1 << 20)
    for (const search of [`?scenario=${huge}`, `?scenario=pkce-spa&step=4&junk=${huge}`, huge]) {
      const link = parseLabQuery(search)
      expect(link).toEqual({
        config: {},
        step: null,
        theme: null,
        controls: null,
        panels: null,
        height: null,
        notice: expect.stringMatching(
          /^The address was too long to be a lab link \([\d,]+ characters\), so it was ignored/,
        ),
      })
      expect(link.notice?.length).toBeLessThanOrEqual(MAX_NOTICE)
    }
  })

  it('adds no property to objects for prototype names', () => {
    const link = parseLabQuery(
      '__proto__=x&constructor=y&prototype=z&scenario=__proto__&__proto__[polluted]=1',
    )
    expect(Object.getPrototypeOf(link.config)).toBe(Object.prototype)
    expect(Object.keys(link.config)).toEqual([])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('never throws and always gives a short plain-text notice, whatever the query', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.constantFrom('<script>alert(1)</script>', '%', '%E0%A4%A', '\u0000', 'on', '5'),
    )
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...LINK_PARAMS, 'junk'), value), { maxLength: 20 }),
        (pairs) => {
          const link = parseLabQuery(`?${new URLSearchParams(pairs)}`)
          if (link.notice !== null) {
            expect(link.notice.length).toBeLessThanOrEqual(MAX_NOTICE)
            expect(link.notice).not.toMatch(/[\p{Cc}\p{Cf}]/u)
          }
          if (link.step !== null) expect(link.step).toBeGreaterThanOrEqual(0)
        },
      ),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 5000 }), (search) => {
        const link = parseLabQuery(search)
        expect(link.notice?.length ?? 0).toBeLessThanOrEqual(MAX_NOTICE)
      }),
    )
  })

  it('says how many more were ignored when there are many, rather than a wall of text', () => {
    const all = new URLSearchParams(LINK_PARAMS.map((p) => [p, `<b>${p}</b>`]))
    const link = parseLabQuery(`?${all}`)
    expect(link.notice?.length).toBeLessThanOrEqual(MAX_NOTICE)
    expect(link.notice).toMatch(/There is no scenario called “<b>scenario<\/b>”/)
    expect(link.notice).toMatch(/\d+ more parameters? (was|were) ignored\.$/)
  })
})

describe('quote', () => {
  it('shortens to 40 characters, counting emoji as one', () => {
    expect(quote('🙂'.repeat(41))).toBe(`“${'🙂'.repeat(40)}…”`)
    expect(quote('🙂'.repeat(40))).toBe(`“${'🙂'.repeat(40)}”`)
  })
})

describe('formatLinkTime', () => {
  it('writes whole seconds without milliseconds', () => {
    expect(formatLinkTime(T0)).toBe('2026-11-21T09:00:00Z')
    expect(formatLinkTime(T0 + 250)).toBe('2026-11-21T09:00:00.250Z')
  })
})
