import type { JWK } from 'jose'
import { useEffect, useId, useMemo, useState } from 'react'
import {
  checkJwtSignature,
  decodeJwtParts,
  explainClaims,
  explainHeader,
  jwtKind,
  type ClaimLine,
  type JwtOccurrence,
  type SignatureCheck,
} from '../../flow/views/jwt.ts'
import { FieldName } from './FieldName.tsx'
import { CopyButton } from './MessageActions.tsx'

export interface JwtViewProps {
  occurrence: JwtOccurrence
  /** The authorization server's public keys (its JWKS) at the step on screen. */
  keys: readonly JWK[]
  /** The simulated clock at the step on screen (ms), for "in 59 min". */
  now: number
}

/**
 * One JWT decoded: the compact token with its three parts coloured, header and payload with each
 * claim in plain words, and its signature checked.
 */
export function JwtView({ occurrence, keys, now }: JwtViewProps) {
  const { token, side, where } = occurrence
  const headingId = useId()
  const decoded = useMemo(() => decodeJwtParts(token), [token])
  const keysId = useMemo(
    () => keys.map((k) => `${k.kid ?? ''}:${k.n ?? k.x ?? ''}`).join('|'),
    [keys],
  )
  const checkId = `${keysId}\n${token}`
  const [result, setResult] = useState<{ id: string; check: SignatureCheck } | null>(null)

  useEffect(() => {
    let live = true
    void checkJwtSignature(token, keys).then((check) => {
      if (live) setResult({ id: checkId, check })
    })
    return () => {
      live = false
    }
  }, [token, keys, checkId])

  const check = result?.id === checkId ? result.check : null
  const kind = decoded.ok ? jwtKind(decoded.header, decoded.payload) : 'JWT'

  return (
    <article className="ofl-jwt" aria-labelledby={headingId}>
      <h4 id={headingId}>
        {`${kind} `}
        <span className="ofl-jwt-where">
          in the {side}, {where}
        </span>
      </h4>
      <Signature check={check} />
      <TokenParts token={token} />
      {decoded.ok ? (
        <>
          <h5>Header</h5>
          <Claims kind="jose" lines={explainHeader(decoded.header)} />
          <h5>Payload</h5>
          <Claims kind="claim" lines={explainClaims(decoded.payload, now)} />
        </>
      ) : (
        <p>{decoded.reason}</p>
      )}
    </article>
  )
}

const PARTS = ['header', 'payload', 'signature'] as const

/** The compact token as sent, its header, payload and signature told apart by colour and key. */
function TokenParts({ token }: { token: string }) {
  const parts = token.split('.')
  return (
    <div className="ofl-jwt-token">
      <p className="ofl-jwt-legend" aria-hidden="true">
        {PARTS.map((p) => (
          <span key={p} data-part={p}>
            {p}
          </span>
        ))}
      </p>
      <code translate="no" className="ofl-jwt-compact">
        {parts.map((part, i) => (
          // A part's place is its identity: header, payload, signature.
          <span key={i}>
            {i > 0 ? '.' : null}
            <span data-part={PARTS[i] ?? 'extra'}>{part}</span>
          </span>
        ))}
      </code>
      <CopyButton text={token} label="Copy" detail="token" />
    </div>
  )
}

function Signature({ check }: { check: SignatureCheck | null }) {
  if (!check) {
    return (
      <p className="ofl-jwt-sig" data-status="pending">
        Checking the signature against the authorization server’s JWKS…
      </p>
    )
  }
  switch (check.status) {
    case 'valid':
      return (
        <p className="ofl-jwt-sig" data-status="valid">
          <span aria-hidden="true">✓ </span>Signature valid (kid {check.kid ?? 'none'}): signed by
          the authorization server’s key in its JWKS.
        </p>
      )
    case 'invalid':
      return (
        <p className="ofl-jwt-sig" data-status="invalid">
          <span aria-hidden="true">✗ </span>Signature INVALID
          {check.kid ? ` (kid ${check.kid})` : ''}: {check.reason}
        </p>
      )
    case 'no-key':
      return (
        <p className="ofl-jwt-sig" data-status="invalid">
          <span aria-hidden="true">✗ </span>No matching key: kid {check.kid ?? '(none)'} is not in
          the authorization server’s JWKS.
        </p>
      )
    case 'malformed':
      return (
        <p className="ofl-jwt-sig" data-status="invalid">
          <span aria-hidden="true">✗ </span>
          {check.reason}
        </p>
      )
    default: {
      const never: never = check
      return never
    }
  }
}

function Claims({ lines, kind }: { lines: ClaimLine[]; kind: 'claim' | 'jose' }) {
  return (
    <dl className="ofl-jwt-claims">
      {lines.map((l) => (
        <div key={l.name} className="ofl-jwt-claim">
          <dt>
            <FieldName kind={kind} name={l.name} />
          </dt>
          <dd>
            <span className="ofl-jwt-value">{l.value}</span>
            {l.time ? (
              <span className="ofl-jwt-time">
                {l.time.absolute}, {l.time.relative}
              </span>
            ) : null}
            <span className="ofl-jwt-meaning">{l.meaning}</span>
          </dd>
        </div>
      ))}
    </dl>
  )
}
