import { describe, expect, it } from 'vitest'
import {
  MESSAGE_SOURCE,
  acceptCommand,
  announcementTargets,
  originsNotice,
  parseAllowedOrigins,
  readCommand,
  shouldPost,
} from '../../src/embed/messages.ts'

describe('parseAllowedOrigins', () => {
  it('reads exact origins, comma- or space-separated, with or without a trailing slash', () => {
    expect(
      parseAllowedOrigins('https://docs.example, https://b.example/ http://localhost:8080'),
    ).toEqual(['https://docs.example', 'https://b.example', 'http://localhost:8080'])
  })

  it('is empty without the parameter or with nothing in it', () => {
    expect(parseAllowedOrigins(null)).toEqual([])
    expect(parseAllowedOrigins('')).toEqual([])
    expect(parseAllowedOrigins(' , ,')).toEqual([])
  })

  it.each([
    ['*'],
    ['https://*.example'],
    ['null'],
    ['https://docs.example/path'],
    ['https://docs.example/?q=1'],
    ['https://docs.example/#x'],
    ['https://user:pw@docs.example'],
    ['javascript:alert(1)'],
    ['data:text/html,hi'],
    ['file:///etc/passwd'],
    ['docs.example'],
    ['https://DOCS.example'],
    ['<script>alert(1)</script>'],
  ])('leaves out %s (never widened to anything)', (value) => {
    expect(parseAllowedOrigins(value)).toEqual([])
  })

  it('keeps the good ones next to bad ones, once each, at most 16', () => {
    expect(
      parseAllowedOrigins('*,https://a.example,https://a.example,https://a.example/x'),
    ).toEqual(['https://a.example'])
    const many = Array.from({ length: 40 }, (_, i) => `https://h${i}.example`).join(',')
    expect(parseAllowedOrigins(many)).toHaveLength(16)
  })
})

describe('readCommand', () => {
  it('reads next, back and goTo (step from 1)', () => {
    expect(readCommand({ source: MESSAGE_SOURCE, type: 'next' })).toEqual({ type: 'next' })
    expect(readCommand({ source: MESSAGE_SOURCE, type: 'back' })).toEqual({ type: 'back' })
    expect(readCommand({ source: MESSAGE_SOURCE, type: 'goTo', step: 4 })).toEqual({
      type: 'goTo',
      step: 4,
    })
  })

  it.each(['light', 'dark', 'system'] as const)('reads setTheme %s', (theme) => {
    expect(readCommand({ source: MESSAGE_SOURCE, type: 'setTheme', theme })).toEqual({
      type: 'setTheme',
      theme,
    })
    // Extra fields are ignored, as for the other commands.
    expect(readCommand({ source: MESSAGE_SOURCE, type: 'setTheme', theme, x: 1 })).toEqual({
      type: 'setTheme',
      theme,
    })
  })

  it.each([
    ['a string', 'next'],
    ['JSON text', JSON.stringify({ source: MESSAGE_SOURCE, type: 'next' })],
    ['null', null],
    ['a number', 42],
    ['an array', [MESSAGE_SOURCE, 'next']],
    ['another source', { source: 'react-devtools', type: 'next' }],
    ['no source', { type: 'next' }],
    ['an unknown type', { source: MESSAGE_SOURCE, type: 'reset' }],
    ['a type of the wrong kind', { source: MESSAGE_SOURCE, type: ['next'] }],
    ['goTo without a step', { source: MESSAGE_SOURCE, type: 'goTo' }],
    ['goTo step 0', { source: MESSAGE_SOURCE, type: 'goTo', step: 0 }],
    ['goTo a step as text', { source: MESSAGE_SOURCE, type: 'goTo', step: '4' }],
    ['goTo a fraction', { source: MESSAGE_SOURCE, type: 'goTo', step: 2.5 }],
    ['goTo NaN', { source: MESSAGE_SOURCE, type: 'goTo', step: Number.NaN }],
    ['goTo a huge step', { source: MESSAGE_SOURCE, type: 'goTo', step: 1e12 }],
    ['a huge string', 'x'.repeat(1_000_000)],
    ['setTheme without a theme', { source: MESSAGE_SOURCE, type: 'setTheme' }],
    ['setTheme an unknown theme', { source: MESSAGE_SOURCE, type: 'setTheme', theme: 'blue' }],
    ['setTheme in capitals', { source: MESSAGE_SOURCE, type: 'setTheme', theme: 'DARK' }],
    ['setTheme with spaces', { source: MESSAGE_SOURCE, type: 'setTheme', theme: ' dark' }],
    ['setTheme markup', { source: MESSAGE_SOURCE, type: 'setTheme', theme: '<b>dark</b>' }],
    ['setTheme a list', { source: MESSAGE_SOURCE, type: 'setTheme', theme: ['dark'] }],
    [
      'setTheme an object',
      { source: MESSAGE_SOURCE, type: 'setTheme', theme: { toString: (): string => 'dark' } },
    ],
    ['setTheme a prototype name', { source: MESSAGE_SOURCE, type: 'setTheme', theme: '__proto__' }],
  ])('ignores %s', (_name, data) => {
    expect(readCommand(data)).toBeNull()
  })
})

describe('acceptCommand', () => {
  const parent = { name: 'the parent window' }
  const other = { name: 'another window' }
  const allowed = ['https://docs.example']
  const next = { source: MESSAGE_SOURCE, type: 'next' }

  /** What the lab (framed by `parent`, allowing `allowed`) makes of `data` from `origin`, `source`. */
  const fromWindow = (origin: string, source: unknown, data: unknown) =>
    acceptCommand({ origin, source, data }, parent, allowed)

  it('obeys the parent from an allowed origin', () => {
    expect(fromWindow('https://docs.example', parent, next)).toEqual({
      type: 'next',
    })
  })

  it('ignores the parent from an origin that is not allowed', () => {
    expect(fromWindow('https://evil.example', parent, next)).toBeNull()
    expect(fromWindow('null', parent, next)).toBeNull()
  })

  it('ignores an allowed origin that is not the parent (another frame or a popup)', () => {
    expect(fromWindow('https://docs.example', other, next)).toBeNull()
  })

  it('obeys nobody when the embedder allowed no origin, or when not framed', () => {
    expect(
      acceptCommand({ origin: 'https://docs.example', source: parent, data: next }, parent, []),
    ).toBeNull()
    expect(
      acceptCommand({ origin: 'https://docs.example', source: null, data: next }, null, allowed),
    ).toBeNull()
  })

  it('obeys setTheme from the allowed parent only', () => {
    const dark = { source: MESSAGE_SOURCE, type: 'setTheme', theme: 'dark' }
    expect(fromWindow('https://docs.example', parent, dark)).toEqual({
      type: 'setTheme',
      theme: 'dark',
    })
    expect(fromWindow('https://evil.example', parent, dark)).toBeNull()
    expect(fromWindow('https://docs.example', other, dark)).toBeNull()
  })

  it('ignores malformed data from the allowed parent, and never throws', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom')
        },
      },
    )
    expect(fromWindow('https://docs.example', parent, hostile)).toBeNull()
    expect(
      fromWindow('https://docs.example', parent, {
        source: MESSAGE_SOURCE,
        type: 'goTo',
        step: -1,
      }),
    ).toBeNull()
  })
})

describe('announcementTargets', () => {
  it('posts anywhere when the address gives no origins (the messages carry public step titles)', () => {
    expect(announcementTargets([], null)).toEqual(['*'])
    expect(announcementTargets([], 'https://docs.example')).toEqual(['*'])
  })

  it('posts nothing when origins was given with no valid entry: never widened to anywhere', () => {
    for (const value of ['*', 'null', '', 'https://*.example', 'javascript:alert(1)']) {
      const allowed = parseAllowedOrigins(value)
      expect(allowed).toEqual([])
      expect(announcementTargets(allowed, null, true)).toEqual([])
      expect(announcementTargets(allowed, 'https://docs.example', true)).toEqual([])
      expect(originsNotice(value, allowed)).toContain('names no origin this lab can use')
    }
  })

  it('says nothing about origins that name a usable one, or that were not given', () => {
    expect(originsNotice(null, [])).toBeNull()
    expect(originsNotice('*,https://a.example', parseAllowedOrigins('*,https://a.example'))).toBeNull()
    // A long value is cut in the notice, and quoted as text.
    expect(originsNotice('<b>'.repeat(100), [])).toContain(`(“${'<b>'.repeat(100).slice(0, 80)}…”)`)
  })

  it('posts to the parent only when its origin is known and allowed', () => {
    expect(
      announcementTargets(['https://a.example', 'https://b.example'], 'https://b.example'),
    ).toEqual(['https://b.example'])
    expect(announcementTargets(['https://a.example'], 'https://evil.example')).toEqual([])
  })

  it('posts to each allowed origin when the browser does not say which the parent is', () => {
    expect(announcementTargets(['https://a.example', 'https://b.example'], null)).toEqual([
      'https://a.example',
      'https://b.example',
    ])
  })
})

describe('shouldPost (the frame’s height, for its parent)', () => {
  it('never posts when the frame fills the height its parent gives it', () => {
    expect(shouldPost(null, 640, 'fill')).toBe(false)
    expect(shouldPost(640, 2400, 'fill')).toBe(false)
  })

  it('posts the first height with height=auto', () => {
    expect(shouldPost(null, 640, 'auto')).toBe(true)
    expect(shouldPost(null, 0.5, 'auto')).toBe(true)
  })

  it('posts a change of 1 px or more, up or down', () => {
    expect(shouldPost(640, 641, 'auto')).toBe(true)
    expect(shouldPost(640, 639, 'auto')).toBe(true)
    expect(shouldPost(640, 1200, 'auto')).toBe(true)
  })

  it('ignores the same height and sub-pixel changes', () => {
    expect(shouldPost(640, 640, 'auto')).toBe(false)
    expect(shouldPost(640, 640.99, 'auto')).toBe(false)
    expect(shouldPost(640, 639.01, 'auto')).toBe(false)
  })

  it.each([0, -10, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'ignores a height that is not one (%s)',
    (next) => {
      expect(shouldPost(null, next, 'auto')).toBe(false)
      expect(shouldPost(640, next, 'auto')).toBe(false)
    },
  )

  it('ignores a mode that is not auto', () => {
    expect(shouldPost(null, 640, 'Auto' as 'auto')).toBe(false)
  })
})
