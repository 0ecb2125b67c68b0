/**
 * Records looked up by a key that comes from outside (a cookie's session id, a `client_id`, a
 * code, a token, a cookie's name, a claim): sessions, pending requests, codes, clients, users,
 * tokens, consents, issuers, cookie jars, storage. They stay plain objects, so a world's state is
 * still JSON and `structuredClone`s into a snapshot; but they are only ever read and written
 * through these three, by own property. Indexing one directly would read `__proto__`,
 * `constructor` or `toString` off Object.prototype, and writing through what it returned would
 * change Object.prototype for the whole page (the host's too, in the web component).
 * `test/protocol/records.test.ts` fails if a state record is indexed directly anywhere in src/.
 */

/** A record keyed by ids from outside: read with `own`, written with `put`, removed with `drop`. */
export type Keyed<T> = Record<string, T>

/** The record's own entry for `key`, or undefined: never an inherited member. */
export function own<T>(record: Keyed<T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
}

/** Sets the record's own entry for `key` (for `__proto__` too: an own entry, not the prototype). */
export function put<T>(record: Keyed<T>, key: string, value: NoInfer<T>): T {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true })
  return value
}

/** The record's own entry for `key`, made with `make` if there is none. */
export function ownOr<T>(record: Keyed<T>, key: string, make: () => NoInfer<T>): T {
  return own(record, key) ?? put(record, key, make())
}

/** Removes the record's own entry for `key`, if it has one. */
export function drop<T>(record: Keyed<T>, key: string): void {
  if (Object.hasOwn(record, key)) delete record[key]
}
