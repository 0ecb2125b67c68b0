/**
 * Seeded randomness: the same seed and the same actions give the same codes, states and
 * verifiers. The generator's whole state is four numbers kept in the world, so a snapshot
 * carries it. Not a CSPRNG — this is a teaching world, and its secrets are meant to be seen.
 */

/** The generator's state: four unsigned 32-bit integers (sfc32). */
export type RandomState = [number, number, number, number]

/** Hashes a seed string into the generator's initial state (cyrb128). */
export function seedRandom(seed: string): RandomState {
  let h1 = 1779033703
  let h2 = 3144134277
  let h3 = 1013904242
  let h4 = 2773480762
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i)
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067)
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233)
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213)
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179)
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067)
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233)
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213)
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179)
  h1 ^= h2 ^ h3 ^ h4
  h2 ^= h1
  h3 ^= h1
  h4 ^= h1
  const state: RandomState = [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0]
  for (let i = 0; i < 12; i++) nextUint32(state)
  return state
}

/** Advances the state in place and returns the next unsigned 32-bit integer (sfc32). */
export function nextUint32(s: RandomState): number {
  const t = (((s[0] + s[1]) >>> 0) + s[3]) >>> 0
  s[3] = (s[3] + 1) >>> 0
  s[0] = s[1] ^ (s[1] >>> 9)
  s[1] = (s[2] + (s[2] << 3)) >>> 0
  s[2] = ((s[2] << 21) | (s[2] >>> 11)) >>> 0
  s[2] = (s[2] + t) >>> 0
  return t
}

/** `n` random bytes. */
export function randomBytes(s: RandomState, n: number): Uint8Array {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i += 4) {
    let v = nextUint32(s)
    for (let j = 0; j < 4 && i + j < n; j++) {
      out[i + j] = v & 0xff
      v >>>= 8
    }
  }
  return out
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** base64url without padding. @see https://www.rfc-editor.org/rfc/rfc4648#section-5 */
export function base64url(bytes: Uint8Array): string {
  // Three bytes make four characters; a last one or two bytes (zero-filled) make two or three,
  // and the characters past the data are dropped (no padding).
  const a = BASE64URL
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0)
    out += a[n >>> 18]! + a[(n >>> 12) & 63]! + a[(n >>> 6) & 63]! + a[n & 63]!
  }
  return out.slice(0, Math.ceil((bytes.length * 4) / 3))
}

/** A random token of `bytes` bytes of entropy, base64url-encoded (32 bytes → 43 characters). */
export function randomToken(s: RandomState, bytes = 32): string {
  return base64url(randomBytes(s, bytes))
}
