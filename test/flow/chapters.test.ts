import { beforeAll, describe, expect, it } from 'vitest'
import { chapterAt, chaptersOf, type Chapter } from '../../src/flow/views/chapters.ts'
import { defaultConfig, SCENARIO_INFO, startPreview, type Step } from '../../src/flow/index.ts'
import { T0 } from '../protocol/helpers.ts'
import { SCENARIO_RUNS, stepsToEnd } from './helpers.ts'

const names = (chapters: Chapter[]) => chapters.map((c) => c.name)

/** The chapters as the page makes them: with the scenario's own milestone chapters. */
const chaptersFor = (scenario: string, steps: readonly Step[]) =>
  chaptersOf(steps, SCENARIO_INFO.find((s) => s.id === scenario)?.chapters)

/** The chapter names each run must have, beyond Start and End. */
const EXPECTED: Record<string, string[]> = {
  confidential: ['Sign-in and consent', 'Code', 'Token', 'API call', 'Refresh', 'Revoke'],
  'pkce-spa': ['Sign-in and consent', 'Code', 'Token', 'API call', 'Refresh', 'Revoke'],
  refresh: ['Token', 'Attack', 'API call', 'Time passes', 'Refresh'],
  revoke: ['API call', 'Revoke', 'Refresh', 'Introspection'],
  'consent-denied': ['Sign-in and consent', 'Code'],
  'code-interception': ['Sign-in and consent', 'Code', 'Attack', 'Token'],
  'code-replay': ['Token', 'API call', 'Attack'],
  'csrf-no-state': ['Attack', 'Code'],
  'redirect-uri-tampering': ['Attack', 'Sign-in and consent'],
  'expired-code': ['Code', 'Time passes', 'Token'],
  'mix-up': ['Sign-in and consent', 'Code'],
}

describe.each(SCENARIO_RUNS)('the chapters of %s %s', (scenario, variant) => {
  let steps: Step[]
  let chapters: Chapter[]
  beforeAll(async () => {
    steps = await stepsToEnd({ scenario, variant })
    chapters = chaptersFor(scenario, steps)
  })

  it('cover every step, in order, contiguous and none empty', () => {
    expect(chapters[0]?.start).toBe(0)
    expect(chapters.at(-1)?.end).toBe(steps.length - 1)
    chapters.forEach((c, i) => {
      expect(c.end).toBeGreaterThanOrEqual(c.start)
      if (i > 0) expect(c.start).toBe(chapters[i - 1]!.end + 1)
    })
    for (const step of steps) expect(chapterAt(chapters, step.index)).not.toBeNull()
  })

  it('have short names and unique ids, never the same chapter twice in a row', () => {
    for (const c of chapters) expect(c.name.length).toBeLessThanOrEqual(20)
    expect(new Set(chapters.map((c) => c.id)).size).toBe(chapters.length)
    chapters.forEach((c, i) => {
      if (i > 0) expect(c.name).not.toBe(chapters[i - 1]!.name)
    })
  })

  it('start with Start and finish with End', () => {
    expect(chapters[0]?.name).toBe('Start')
    expect(chapters.at(-1)).toMatchObject({ name: 'End', start: steps.length - 1 })
  })

  it('name the parts the scenario has', () => {
    expect(names(chapters)).toEqual(expect.arrayContaining(EXPECTED[scenario] ?? []))
  })

  it('put every step the attacker acts in into an Attack chapter', () => {
    for (const s of steps) {
      const acts =
        s.kind.type === 'attacker' ||
        (s.kind.type === 'request' && s.from === 'attacker') ||
        (s.kind.type === 'response' && s.to === 'attacker')
      if (acts) expect(chapterAt(chapters, s.index)?.name).toBe('Attack')
    }
  })
})

describe('chapters in detail', () => {
  it('tell the default run’s story in the order it happens', async () => {
    const chapters = chaptersOf(await stepsToEnd())
    expect(names(chapters)).toEqual([
      'Start',
      'Sign-in and consent',
      'Code',
      'Token',
      'API call',
      'Refresh',
      'Revoke',
      'End',
    ])
  })

  it('number a chapter that comes again, and keep the error page in the token’s chapter', async () => {
    const steps = await stepsToEnd({ scenario: 'expired-code' })
    const chapters = chaptersFor('expired-code', steps)
    expect(names(chapters)).toEqual([
      'Start',
      'Sign-in and consent',
      'Code',
      'Time passes',
      'Code',
      'Token',
      'End',
    ])
    expect(chapters.map((c) => c.id)).toEqual([
      'start',
      'signin',
      'code',
      'wait',
      'code-2',
      'token',
      'end',
    ])
    // The client's error page carries (B) but comes after the refused token request.
    const errorPage = steps.find((s) => s.label === '400 error page')!
    expect(chapterAt(chapters, errorPage.index)?.name).toBe('Token')
  })

  it('make the refresh its own chapter, its steps lettered (G) and (H) as RFC 6749 Figure 2 draws them', async () => {
    const steps = await stepsToEnd({ scenario: 'confidential' })
    const chapters = chaptersOf(steps)
    const refreshToken = steps.filter((s) => s.label === 'POST /token')[1]!
    expect(refreshToken.phase).toBe('G')
    expect(steps[refreshToken.index + 1]?.phase).toBe('H')
    expect(chapterAt(chapters, refreshToken.index)?.name).toBe('Refresh')
    // Without milestones (a view of the steps alone) the letters still make it the refresh.
    const shown = steps.map(
      ({ snapshot: _s, boundary: _b, awaiting: _a, progress: _p, ...rest }) => rest,
    )
    expect(chapterAt(chaptersOf(shown), refreshToken.index)?.name).toBe('Refresh')
  })

  it('take a scenario’s own milestones from its folder: revoke’s introspection is a chapter only there', async () => {
    const steps = await stepsToEnd({ scenario: 'revoke' })
    expect(names(chaptersFor('revoke', steps))).toContain('Introspection')
    // The generic milestones alone leave the introspection to its (missing) letter.
    expect(names(chaptersOf(steps))).not.toContain('Introspection')
  })

  it('has no chapters for no steps, and one for the preview alone', () => {
    expect(chaptersOf([])).toEqual([])
    const preview = startPreview(defaultConfig(T0))!
    expect(chaptersOf([preview])).toEqual([{ id: 'start', name: 'Start', start: 0, end: 0 }])
  })

  it('follows the letters of steps that carry no milestones', async () => {
    // Views that show steps without the world's state (ShownStep) have no progress.
    const steps = (
      await stepsToEnd({ scenario: 'confidential', refresh: false, revoke: false })
    ).map(({ snapshot: _s, boundary: _b, awaiting: _a, progress: _p, ...shown }) => shown)
    expect(names(chaptersOf(steps))).toEqual([
      'Start',
      'Sign-in and consent',
      'Code',
      'Token',
      'API call',
      'End',
    ])
  })

  it('finds no chapter outside the run', () => {
    const chapters = [{ id: 'start', name: 'Start', start: 0, end: 2 }]
    expect(chapterAt(chapters, 3)).toBeNull()
    expect(chapterAt(chapters, -1)).toBeNull()
    expect(chapterAt(chapters, Number.NaN)).toBeNull()
  })
})
