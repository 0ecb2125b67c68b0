import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { KNOWN_SCOPES } from '../../flow/config.ts'
import { scopeProblem } from '../../flow/links/labUrl.ts'
import { findScenarioInfo } from '../../flow/scenarios/catalog.ts'
import type { FlowConfig } from '../../flow/types.ts'
import { useLab, useLabStore, type Theme } from '../../store/index.ts'
import { focusLab } from '../useKeyboard.ts'
import './Settings.css'

const THEMES: { value: Theme; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
]

/**
 * The scope field: edited freely, applied on Enter or when it loses focus; its chips `pick` a
 * scope list at once.
 */
function ScopeField({
  scope,
  apply,
  pick,
}: {
  scope: string
  apply(scope: string): void
  pick(scope: string): void
}) {
  const [draft, setDraft] = useState(scope)
  const [problem, setProblem] = useState<string | null>(null)
  const id = useId()
  const hintId = useId()
  const errorId = useId()
  const listId = useId()
  const commit = () => {
    // Refused at the field, with the reason: a share link could not carry it.
    const why = scopeProblem(draft)
    setProblem(why)
    if (why !== null) return
    const tidy = draft.split(/\s+/).filter(Boolean).join(' ')
    if (tidy !== scope) apply(tidy)
    else setDraft(scope)
  }
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault()
      commit()
    }
  }
  const list = scope.split(' ').filter(Boolean)
  const toggle = (s: string) =>
    pick((list.includes(s) ? list.filter((x) => x !== s) : [...list, s]).join(' '))
  return (
    <div className="ofl-settings-group">
      <label htmlFor={id} className="ofl-settings-legend">
        Scopes
      </label>
      <input
        id={id}
        className="ofl-settings-text"
        value={draft}
        list={listId}
        spellCheck={false}
        autoCapitalize="off"
        aria-describedby={problem ? `${errorId} ${hintId}` : hintId}
        aria-invalid={problem !== null}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={onKeyDown}
      />
      <datalist id={listId}>
        {KNOWN_SCOPES.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <p id={errorId} className="ofl-settings-error" aria-live="polite">
        {problem ? `Not applied. ${problem}` : null}
      </p>
      <p id={hintId} className="ofl-settings-hint">
        Space-separated, applied on Enter. Quick toggles:
      </p>
      <div className="ofl-settings-chips" role="group" aria-label="Quick scope toggles">
        {KNOWN_SCOPES.map((s) => (
          <button
            key={s}
            type="button"
            className="ofl-settings-chip"
            aria-pressed={list.includes(s)}
            onClick={() => toggle(s)}
          >
            {s}
          </button>
        ))}
      </div>
    </div>
  )
}

function Check({
  checked,
  onChange,
  label,
  hint,
}: {
  checked: boolean
  onChange(v: boolean): void
  label: string
  hint?: string
}) {
  const hintId = useId()
  return (
    <div className="ofl-settings-check">
      <label>
        <input
          type="checkbox"
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          aria-describedby={hint ? hintId : undefined}
        />
        <span>{label}</span>
      </label>
      {hint ? (
        <p id={hintId} className="ofl-settings-hint">
          {hint}
        </p>
      ) : null}
    </div>
  )
}

/** The page header's settings: theme, and a panel of flow settings that restart the flow. */
export function Settings() {
  const store = useLabStore()
  const [open, setOpen] = useState(false)
  const panelId = useId()
  const titleId = useId()
  const buttonRef = useRef<HTMLButtonElement>(null)
  const rootRef = useRef<HTMLDivElement>(null)
  const theme = useLab((s) => s.theme)
  const config = useLab(
    useShallow((s) => ({
      clientType: s.resolved.clientType,
      scope: s.resolved.scope,
      pkce: s.resolved.pkce,
      state: s.resolved.state,
      oidc: s.resolved.oidc,
      authMethod: s.resolved.authMethod,
      refresh: s.resolved.refresh,
      revoke: s.resolved.revoke,
      signedIn: s.resolved.signedIn,
      fixed: Object.keys(findScenarioInfo(s.config.scenario)?.config ?? {}).length > 0,
    })),
  )
  const apply = (patch: Partial<FlowConfig>) => void store.getState().setConfig(patch)
  /**
   * A pick (a radio, a box, a chip) restarts the flow; the keyboard goes back to the lab, so ← and →
   * step through the new run instead of moving through the radios. The panel stays open for the
   * next pick. The scope field keeps focus: a person may still be typing there.
   */
  const set = (patch: Partial<FlowConfig>) => {
    apply(patch)
    focusLab(rootRef.current)
  }
  const close = (refocus: boolean) => {
    setOpen(false)
    if (refocus) buttonRef.current?.focus()
  }

  // A non-modal popover: a click elsewhere closes it, without taking focus anywhere.
  useEffect(() => {
    if (!open) return
    const onDown = (e: PointerEvent) => {
      if (rootRef.current && e.target instanceof Node && !rootRef.current.contains(e.target))
        setOpen(false)
    }
    document.addEventListener('pointerdown', onDown)
    return () => document.removeEventListener('pointerdown', onDown)
  }, [open])

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape' && open) {
      e.preventDefault()
      e.stopPropagation()
      close(true)
    }
  }
  const confidential = config.clientType === 'confidential'

  return (
    <div className="ofl-settings" ref={rootRef} onKeyDown={onKeyDown}>
      <div className="ofl-settings-theme" role="group" aria-label="Theme">
        {THEMES.map((t) => (
          <button
            key={t.value}
            type="button"
            className="ofl-settings-theme-button"
            aria-pressed={theme === t.value}
            onClick={() => store.getState().setTheme(t.value)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <button
        ref={buttonRef}
        type="button"
        className="ofl-button ofl-settings-toggle"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M19.4 13a7.5 7.5 0 0 0 0-2l2.1-1.6-2-3.5-2.5 1a7.4 7.4 0 0 0-1.7-1L15 3.2h-4l-.4 2.7a7.4 7.4 0 0 0-1.7 1l-2.5-1-2 3.5L6.6 11a7.5 7.5 0 0 0 0 2l-2.1 1.6 2 3.5 2.5-1a7.4 7.4 0 0 0 1.7 1l.4 2.7h4l.4-2.7a7.4 7.4 0 0 0 1.7-1l2.5 1 2-3.5zM13 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7z"
            transform="translate(-1 0)"
          />
        </svg>
        Settings
      </button>
      {/* Built when opened: the page's first render is lighter without it. */}
      {open ? (
        <div
          id={panelId}
          className="ofl-settings-panel ofl-panel"
          role="group"
          aria-labelledby={titleId}
        >
          <h2 id={titleId} className="ofl-settings-title">
            Flow settings
          </h2>
          <p className="ofl-settings-restart">Changing a setting starts the flow again.</p>
          {config.fixed ? (
            <p className="ofl-settings-hint">
              The scenario fixes some of these settings: they show what it runs with. Pick the
              default scenario to change them freely.
            </p>
          ) : null}

          <fieldset className="ofl-settings-group">
            <legend className="ofl-settings-legend">Client</legend>
            <label className="ofl-settings-radio">
              <input
                type="radio"
                name={`${panelId}-client`}
                checked={confidential}
                onChange={() => set({ clientType: 'confidential' })}
              />
              <span>Confidential web app (has a server)</span>
            </label>
            <label className="ofl-settings-radio">
              <input
                type="radio"
                name={`${panelId}-client`}
                checked={!confidential}
                onChange={() => set({ clientType: 'public' })}
              />
              <span>Public single-page app (PKCE, no secret)</span>
            </label>
          </fieldset>

          <ScopeField
            key={config.scope}
            scope={config.scope}
            apply={(scope) => apply({ scope })}
            pick={(scope) => set({ scope })}
          />

          <fieldset className="ofl-settings-group">
            <legend className="ofl-settings-legend">Before the flow</legend>
            <Check
              label="Alice is already signed in at auth.example"
              checked={config.signedIn}
              onChange={(signedIn) => set({ signedIn })}
              hint={
                config.signedIn
                  ? 'Her browser holds auth.example’s as_session cookie from an earlier sign-in: no login page, the consent page comes straight away.'
                  : 'Off: auth.example shows its login page first, and Alice types her password there.'
              }
            />
          </fieldset>

          <fieldset className="ofl-settings-group">
            <legend className="ofl-settings-legend">Protections</legend>
            <Check
              label="PKCE (code_challenge S256)"
              checked={config.pkce}
              onChange={(pkce) => set({ pkce })}
              hint={
                !config.pkce && !confidential
                  ? 'The authorization server requires PKCE from public clients: expect invalid_request.'
                  : !config.pkce
                    ? 'Without PKCE a stolen code is enough to get tokens.'
                    : undefined
              }
            />
            <Check
              label="state"
              checked={config.state}
              onChange={(state) => set({ state })}
              hint={
                config.state
                  ? undefined
                  : 'Without state nothing ties the answer to this browser (CSRF).'
              }
            />
            <Check
              label="OpenID Connect (openid, nonce, ID token)"
              checked={config.oidc}
              onChange={(oidc) => set({ oidc })}
            />
          </fieldset>

          <fieldset className="ofl-settings-group">
            <legend className="ofl-settings-legend">Client authentication</legend>
            {confidential ? (
              <>
                <label className="ofl-settings-radio">
                  <input
                    type="radio"
                    name={`${panelId}-auth`}
                    checked={config.authMethod === 'client_secret_basic'}
                    onChange={() => set({ authMethod: 'client_secret_basic' })}
                  />
                  <code>client_secret_basic</code>
                </label>
                <label className="ofl-settings-radio">
                  <input
                    type="radio"
                    name={`${panelId}-auth`}
                    checked={config.authMethod === 'client_secret_post'}
                    onChange={() => set({ authMethod: 'client_secret_post' })}
                  />
                  <code>client_secret_post</code>
                </label>
              </>
            ) : (
              <p className="ofl-settings-hint">
                A public client has no secret: <code>token_endpoint_auth_method</code>{' '}
                <code>none</code>.
              </p>
            )}
          </fieldset>

          <fieldset className="ofl-settings-group">
            <legend className="ofl-settings-legend">After the API call</legend>
            <Check
              label="Refresh the token"
              checked={config.refresh}
              onChange={(refresh) => set({ refresh })}
            />
            <Check
              label="Revoke the tokens"
              checked={config.revoke}
              onChange={(revoke) => set({ revoke })}
            />
          </fieldset>

          <button
            type="button"
            className="ofl-button ofl-settings-close"
            onClick={() => close(true)}
          >
            Close
          </button>
        </div>
      ) : null}
    </div>
  )
}
