import { useId, useMemo } from 'react'
import { registrationOf } from '../../flow/views/registration.ts'
import { useLab } from '../../store/index.ts'
import './RegistrationCard.css'

/**
 * The client's registration at auth.example, in a small definition list: what the learner needs
 * before the first message (the `client_id`, the secret and where it lives, the `redirect_uri`,
 * the allowed scopes, the token endpoint auth method). With `heading`, a card with its own title
 * (the first step's narration); without, the list alone (inside the State pane's disclosure).
 */
export function RegistrationCard({ heading = true }: { heading?: boolean }) {
  const config = useLab((s) => s.resolved)
  const r = useMemo(() => registrationOf(config), [config])
  const headingId = useId()
  const confidential = r.clientType === 'confidential'
  const list = (
    <dl className="ofl-registration-list">
      <div className="ofl-registration-row">
        <dt>Client</dt>
        <dd>
          {r.client_name}: {confidential ? 'a confidential web app' : 'a public single-page app'}
        </dd>
      </div>
      <div className="ofl-registration-row">
        <dt>
          <code>client_id</code>
        </dt>
        <dd className="ofl-registration-verbatim">
          <code>{r.client_id}</code>
        </dd>
      </div>
      <div className="ofl-registration-row">
        <dt>
          <code>client_secret</code>
        </dt>
        <dd>
          {r.secret.type === 'server' ? (
            <>
              yes, kept on the app’s server (<code>{r.secret.host}</code>), never in the browser
            </>
          ) : (
            'none: its code runs in the browser, where it cannot keep one'
          )}
        </dd>
      </div>
      <div className="ofl-registration-row">
        <dt>
          <code>redirect_uri</code>
        </dt>
        <dd className="ofl-registration-verbatim">
          {r.redirect_uris.map((uri, i) => (
            <code key={uri}>
              {i > 0 ? ' ' : ''}
              {uri}
            </code>
          ))}
        </dd>
      </div>
      <div className="ofl-registration-row">
        <dt>Allowed scopes</dt>
        <dd className="ofl-registration-scopes">
          {r.scopes.map((s) => (
            <code key={s}>{s}</code>
          ))}
        </dd>
      </div>
      <div className="ofl-registration-row">
        <dt>
          <code>token_endpoint_auth_method</code>
        </dt>
        <dd className="ofl-registration-verbatim">
          <code>{r.token_endpoint_auth_method}</code>
        </dd>
      </div>
    </dl>
  )
  if (!heading) return list
  return (
    // A group, not a landmark: the card can show in the story and the Message pane at once.
    <div role="group" className="ofl-registration" aria-labelledby={headingId}>
      <h4 id={headingId} className="ofl-registration-title">
        Registered at {r.at}
      </h4>
      {list}
    </div>
  )
}
