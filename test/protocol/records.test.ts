/**
 * Keyed records (issue 17): an id from outside never reads or writes Object.prototype, and no
 * module indexes a world's keyed record directly (the check that keeps it so).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { drop, own, ownOr, put, type Keyed } from '../../src/protocol/records.ts'

const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype']

describe('own, put, ownOr, drop', () => {
  it.each(PROTO_NAMES)('treat %s as a key like any other', (name) => {
    const record: Keyed<{ v: number }> = {}
    expect(own(record, name)).toBeUndefined()
    put(record, name, { v: 1 })
    expect(own(record, name)).toEqual({ v: 1 })
    expect(Object.keys(record)).toEqual([name])
    // The record's own prototype and Object.prototype are untouched.
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype)
    expect(Object.hasOwn(Object.prototype, 'v')).toBe(false)
    // A snapshot (structuredClone) and JSON keep it as an own entry.
    expect(own(structuredClone(record), name)).toEqual({ v: 1 })
    expect(own(JSON.parse(JSON.stringify(record)) as typeof record, name)).toEqual({ v: 1 })
    drop(record, name)
    expect(own(record, name)).toBeUndefined()
    expect(ownOr(record, name, () => ({ v: 2 }))).toEqual({ v: 2 })
    expect(ownOr(record, name, () => ({ v: 3 }))).toEqual({ v: 2 })
  })
})

/** The world's keyed records (src/protocol/state.ts) and other records looked up by outside ids. */
const KEYED =
  /\b(clients|resources|users|sessions|pending|codes|grants|accessTokens|refreshTokens|consents|issuers|cookies|storage|SCOPES|jar)(\?\.)?\[/

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = resolve(dir, e.name)
    if (e.isDirectory()) return sources(path)
    return /\.tsx?$/.test(e.name) ? [path] : []
  })
}

describe('no keyed record is indexed directly', () => {
  const root = resolve(import.meta.dirname, '../..')

  it('anywhere in src/: each goes through own, put, ownOr or drop', () => {
    const direct = sources(resolve(root, 'src')).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${relative(root, file)}:${i + 1}` }))
        // Type declarations (`Record<string, …>` fields) and comments are not lookups.
        .filter(({ line }) => KEYED.test(line) && !/^\s*(\*|\/\/)/.test(line))
        .map(({ line, at }) => `${at}: ${line.trim()}`),
    )
    expect(direct).toEqual([])
  })

  it('would catch one', () => {
    expect(KEYED.test('const s = client().sessions[sid]')).toBe(true)
    expect(KEYED.test('return client.issuers?.[issuer]')).toBe(true)
    expect(KEYED.test('const s = own(client().sessions, sid)')).toBe(false)
  })
})
