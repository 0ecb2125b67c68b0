import { memo, useId, useMemo, useState, type FormEvent, type ReactNode } from 'react'
import { useShallow } from 'zustand/react/shallow'
import {
  ANSWER_FORMS,
  answerStepFor,
  browserView,
  learnerAnswerFor,
  reasonPhrase,
  splitAddress,
  type Block,
  type FormInput,
  type FormItem,
  type Inline,
  type LearnerAnswer,
} from '../../flow/views/browser.ts'
import type { Step, UserInput } from '../../flow/types.ts'
import { useLabDeferred, useLabStore } from '../../store/index.ts'
import { parseHtml } from './parseHtml.ts'
import './MockBrowser.css'

type FormBlock = Extract<Block, { type: 'form' }>

/** Inline content as React text: nothing from the page ever becomes markup or an attribute that acts. */
function InlineView({ content }: { content: Inline[] }): ReactNode {
  return content.map((c, i) => {
    switch (c.type) {
      case 'text':
        return c.text
      case 'strong':
        return (
          <strong key={i}>
            <InlineView content={c.children} />
          </strong>
        )
      case 'em':
        return (
          <em key={i}>
            <InlineView content={c.children} />
          </em>
        )
      case 'code':
        return (
          <code key={i}>
            <InlineView content={c.children} />
          </code>
        )
      case 'link':
        // A look-alike, not a link: the page's href is untrusted and the lab drives navigation.
        return (
          <span key={i} className="ofl-mb-link" title={c.href ? `Link to ${c.href}` : undefined}>
            <InlineView content={c.children} />
          </span>
        )
      case 'break':
        return <br key={i} />
      case 'image':
        return (
          <span key={i} className="ofl-mb-image">
            [image{c.alt ? `: ${c.alt}` : ''}]
          </span>
        )
      default: {
        const never: never = c
        return never
      }
    }
  })
}

/** The ways the learner can answer a form: the login form takes credentials, consent a decision. */
type Answer =
  | { type: 'credentials'; submit(username: string, password: string): void }
  | { type: 'consent'; submit(decision: 'allow' | 'deny'): void }
  | null

interface FormViewProps {
  form: FormBlock
  answer: Answer
  /** For a login or consent form that can't be answered now: the step where it can. */
  answerAt: number | null
  /** What the learner typed or clicked in this form that led to the step on screen, if anything. */
  typed: UserInput | null
  goTo(index: number): void
}

/** A value the learner typed, verbatim, or a word saying there was none. */
function Typed({ value }: { value: string }) {
  return value === '' ? <em>nothing</em> : <code>{value}</code>
}

function FormView({ form, answer, answerAt, typed, goTo }: FormViewProps) {
  const kept = typed?.type === 'credentials' ? typed : null
  // What the server put in the field (the username of a failed attempt), as a real browser shows
  // it; else what the learner typed.
  const [username, setUsername] = useState(() => {
    const field = form.items.find(
      (i): i is FormInput => i.type === 'input' && i.name === 'username',
    )
    return field?.value || (kept?.username ?? '')
  })
  // The server never sends a password back; the lab keeps the learner's own, to correct it.
  const [password, setPassword] = useState(kept?.password ?? '')
  const hintId = useId()
  const typedId = useId()
  const answerable = form.id === ANSWER_FORMS.credentials || form.id === ANSWER_FORMS.consent
  const live = answer !== null
  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    if (answer?.type === 'credentials') answer.submit(username, password)
  }
  const input = (item: FormInput, i: number) => {
    if (item.inputType === 'hidden') {
      return (
        <p key={i} className="ofl-mb-hidden">
          <span>hidden</span> <code>{item.name}</code> = <code>{item.value}</code>
        </p>
      )
    }
    const editable =
      answer?.type === 'credentials' && (item.name === 'username' || item.name === 'password')
    // While the learner's answer is on its way, the form shows what they typed.
    const shown =
      kept && (item.name === 'username' || item.name === 'password') ? kept[item.name] : null
    const value = editable
      ? item.name === 'username'
        ? username
        : password
      : shown !== null
        ? shown
        : item.inputType === 'password'
          ? ''
          : item.value
    const described = [editable ? hintId : '', shown !== null ? typedId : '']
      .filter(Boolean)
      .join(' ')
    return (
      <label key={i} className="ofl-mb-field">
        <span>{item.label}</span>
        <input
          type={item.inputType === 'password' ? 'password' : 'text'}
          name={item.name}
          value={value}
          readOnly={!editable}
          autoComplete="off"
          placeholder={editable ? (item.name === 'username' ? 'alice' : 'wonderland') : undefined}
          onChange={
            editable
              ? (e) => (item.name === 'username' ? setUsername : setPassword)(e.target.value)
              : undefined
          }
          aria-describedby={described || undefined}
        />
      </label>
    )
  }
  const button = (item: Extract<FormItem, { type: 'button' }>, i: number) => {
    const decision = item.value === 'allow' || item.value === 'deny' ? item.value : null
    const consent = answer?.type === 'consent' ? answer : null
    return (
      <button
        key={i}
        type={answer?.type === 'credentials' && item.buttonType === 'submit' ? 'submit' : 'button'}
        className="ofl-mb-button"
        data-primary={
          decision === 'allow' || form.id === ANSWER_FORMS.credentials ? 'true' : undefined
        }
        onClick={consent && decision ? () => consent.submit(decision) : undefined}
      >
        {item.label || item.value || 'Submit'}
      </button>
    )
  }
  return (
    <form className="ofl-mb-form" onSubmit={onSubmit} noValidate>
      <fieldset disabled={!live} className="ofl-mb-fieldset">
        {form.items.map((item, i) =>
          item.type === 'input' ? (
            input(item, i)
          ) : item.type === 'button' ? (
            button(item, i)
          ) : (
            <p key={i}>
              <InlineView content={item.content} />
            </p>
          ),
        )}
      </fieldset>
      {answerable && live ? (
        <p className="ofl-mb-note ofl-mb-note-live" id={hintId}>
          {answer.type === 'credentials' ? (
            <>
              Try <kbd>alice</kbd> / <kbd>wonderland</kbd> — or a wrong password.
            </>
          ) : (
            'Your answer goes to the real authorization server — try Deny too.'
          )}
        </p>
      ) : null}
      {answerable && typed ? <TypedNote id={typedId} typed={typed} live={live} /> : null}
      {answerable && !live && !typed ? (
        <p className="ofl-mb-note">
          {answerAt !== null ? (
            <>
              Press Next and the simulated user fills this in. To answer it yourself, go to the step
              where the page waits for you.{' '}
              <button type="button" className="ofl-button" onClick={() => goTo(answerAt)}>
                Go to step {answerAt + 1}
              </button>
            </>
          ) : (
            'Go to the step where the page waits for you to answer it yourself.'
          )}
        </p>
      ) : null}
    </form>
  )
}

/** The learner's own answer, marked as theirs, in place of the simulated user's note. */
function TypedNote({ id, typed, live }: { id: string; typed: UserInput; live: boolean }) {
  return (
    <p className="ofl-mb-note ofl-mb-typed" id={id}>
      {typed.type === 'credentials' ? (
        <>
          You typed: username <Typed value={typed.username} />, password{' '}
          <Typed value={typed.password} />.
          {live
            ? ' The server sent the username back in its page, never the password: the lab keeps what you typed so you can correct it.'
            : null}
        </>
      ) : (
        <>You clicked {typed.decision === 'allow' ? 'Allow' : 'Deny'}.</>
      )}
    </p>
  )
}

function BlocksView({
  blocks,
  headingBase,
  formProps,
}: {
  blocks: Block[]
  headingBase: number
  formProps: (f: FormBlock) => Omit<FormViewProps, 'form'>
}) {
  return blocks.map((b, i) => {
    switch (b.type) {
      case 'heading': {
        // The page's h1 sits under the panel's h2 in the lab's outline.
        const level = Math.min(6, headingBase + b.level - 1)
        const H = `h${level}` as 'h3'
        return (
          <H key={i} className="ofl-mb-heading" data-level={b.level}>
            <InlineView content={b.content} />
          </H>
        )
      }
      case 'paragraph':
        return (
          <p key={i} className={b.alert ? 'ofl-mb-alert' : undefined}>
            <InlineView content={b.content} />
          </p>
        )
      case 'list': {
        const L = b.ordered ? 'ol' : 'ul'
        return (
          <L key={i}>
            {b.items.map((item, j) => (
              <li key={j}>
                <InlineView content={item} />
              </li>
            ))}
          </L>
        )
      }
      case 'code':
        return (
          <pre key={i} className="ofl-mb-pre">
            {b.text}
          </pre>
        )
      case 'form':
        return <FormView key={`${i}-${b.id}`} form={b} {...formProps(b)} />
      case 'script':
        return (
          <p key={i} className="ofl-mb-script">
            {b.src ? (
              <>
                Script <code>{b.src}</code> — the page’s code; the lab simulates what it does.
              </>
            ) : (
              <>
                Inline script (not run):{' '}
                <code>{b.text.length > 80 ? `${b.text.slice(0, 80)}…` : b.text}</code>
              </>
            )}
          </p>
        )
      default: {
        const never: never = b
        return never
      }
    }
  })
}

function LockIcon() {
  return (
    <svg
      className="ofl-mb-lock"
      viewBox="0 0 16 16"
      width="16"
      height="16"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <rect x="3" y="7" width="10" height="7.5" rx="1.5" fill="currentColor" />
    </svg>
  )
}

/** The user's browser: address bar and the page on screen, with the login and consent pages usable. */
export function MockBrowser() {
  // Deferred: a Next shows the narration and the state first; the browser follows.
  const step = useLabDeferred((s) => s.steps[s.index])
  // Where the login and consent forms can be answered (it looks back from the step on screen
  // only): numbers, so steps computed ahead don't re-render the browser.
  const answerAt = useLabDeferred(
    useShallow((s) => ({
      [ANSWER_FORMS.credentials]: answerStepFor(s.steps, s.index, ANSWER_FORMS.credentials),
      [ANSWER_FORMS.consent]: answerStepFor(s.steps, s.index, ANSWER_FORMS.consent),
    })),
  )
  const runId = useLabDeferred((s) => s.runId)
  const learner = useLabDeferred(useShallow((s) => learnerAnswerFor(s.steps, s.index)))
  return <BrowserWindow step={step} answerAt={answerAt} runId={runId} learner={learner} />
}

interface BrowserWindowProps {
  step: Step | undefined
  answerAt: Record<string, number | null>
  runId: number
  /** The learner's own answer that led to the step on screen. */
  learner: LearnerAnswer | null
}

const BrowserWindow = memo(function BrowserWindow({
  step,
  answerAt,
  runId,
  learner,
}: BrowserWindowProps) {
  const store = useLabStore()
  const headingId = useId()
  const world = step?.snapshot
  const view = useMemo(() => (world ? browserView(world, parseHtml) : null), [world])
  const url = world?.browser.url ?? ''
  const address = splitAddress(url)

  const formProps = (form: FormBlock): Omit<FormViewProps, 'form'> => {
    const { act, goTo } = store.getState()
    let answer: Answer = null
    if (step?.boundary && step.awaiting === 'credentials' && form.id === ANSWER_FORMS.credentials) {
      answer = {
        type: 'credentials',
        submit: (username, password) => void act({ type: 'credentials', username, password }),
      }
    } else if (step?.boundary && step.awaiting === 'consent' && form.id === ANSWER_FORMS.consent) {
      answer = { type: 'consent', submit: (decision) => void act({ type: 'consent', decision }) }
    }
    const at = answer || !step ? null : (answerAt[form.id] ?? null)
    const typed =
      learner &&
      ANSWER_FORMS[learner.input.type === 'credentials' ? 'credentials' : 'consent'] === form.id
        ? learner.input
        : null
    return { answer, answerAt: at, typed, goTo: (i) => void goTo(i) }
  }

  const title =
    !view || view.type === 'blank'
      ? 'New tab'
      : view.type === 'html'
        ? view.page.title || address.host || url
        : address.host || url
  const status = view && view.type !== 'blank' && view.type !== 'loading' ? view.status : null

  return (
    <section
      className="ofl-panel ofl-mockbrowser"
      aria-labelledby={headingId}
      data-step={step?.index ?? 0}
    >
      <h2 id={headingId}>Browser</h2>
      <div className="ofl-mb-window">
        <div className="ofl-mb-titlebar">
          <span className="ofl-mb-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          <span className="ofl-mb-tab" title={title}>
            <span className="ofl-visually-hidden">Tab: </span>
            {title}
          </span>
        </div>
        <div className="ofl-mb-addressbar">
          <span className="ofl-mb-address-label" aria-hidden="true">
            {address.secure ? <LockIcon /> : null}
          </span>
          <div
            className="ofl-mb-address"
            role="textbox"
            aria-readonly="true"
            aria-label="Address"
            tabIndex={0}
          >
            {address.secure ? (
              <span className="ofl-visually-hidden">Secure connection, </span>
            ) : null}
            {url === '' ? (
              <span className="ofl-mb-address-rest">about:blank</span>
            ) : (
              <>
                <span className="ofl-mb-address-scheme">{address.scheme}</span>
                <span className="ofl-mb-address-host">{address.host}</span>
                <span className="ofl-mb-address-rest">{address.rest}</span>
              </>
            )}
          </div>
        </div>
        <div
          className="ofl-mb-page"
          data-page={view?.type === 'html' ? (view.page.kind ?? 'page') : (view?.type ?? 'none')}
        >
          {!view ? (
            <p className="ofl-mb-empty">Loading the simulation…</p>
          ) : view.type === 'blank' ? (
            <p className="ofl-mb-empty">A new tab. Nothing is open yet.</p>
          ) : view.type === 'loading' ? (
            <div className="ofl-mb-redirect" aria-busy="true">
              <p>Loading…</p>
              <p className="ofl-mb-location">{view.url}</p>
              <p className="ofl-mb-empty">Waiting for the server’s answer.</p>
            </div>
          ) : view.type === 'redirect' ? (
            <div className="ofl-mb-redirect">
              <p>Redirecting to…</p>
              <p className="ofl-mb-location">{view.location ?? '(no Location header)'}</p>
            </div>
          ) : view.type === 'text' ? (
            <pre className="ofl-mb-pre">{view.text}</pre>
          ) : (
            <div key={`${runId}-${step?.index ?? 0}`}>
              <BlocksView blocks={view.page.blocks} headingBase={3} formProps={formProps} />
              {view.app.length ? (
                <div className="ofl-mb-app" aria-label="What the app’s code shows" role="group">
                  <BlocksView blocks={view.app} headingBase={3} formProps={formProps} />
                </div>
              ) : null}
            </div>
          )}
        </div>
        <p className="ofl-mb-status">
          {status !== null ? (
            <>
              <span className="ofl-visually-hidden">Response: </span>
              <span className="ofl-mb-status-code" data-ok={status < 400 ? 'true' : 'false'}>
                {status} {reasonPhrase(status)}
              </span>
              {view?.type === 'html' || view?.type === 'text' ? (
                <span> · {view.contentType ?? 'no content type'}</span>
              ) : null}
              {view?.type === 'redirect' ? <span> · redirect</span> : null}
            </>
          ) : view?.type === 'loading' ? (
            'Loading…'
          ) : (
            'No page loaded'
          )}
        </p>
      </div>
    </section>
  )
})
