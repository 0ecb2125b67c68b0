import { useId, useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { explainTerm, findTerms, termsIn } from '../../flow/glossary/terms.ts'
import { findScenarioInfo } from '../../flow/scenarios/catalog.ts'
import { PHASES } from '../../flow/views/phases.ts'
import { selectShown, selectStepCount, useLab } from '../../store/index.ts'
import { Term } from '../Glossary/Term.tsx'
import { RegistrationCard } from '../Registration/RegistrationCard.tsx'
import './Narration.css'


/** What an ending means: for an attack, `failure` is the attack working. */
export function outcomeText(outcome: 'success' | 'failure', attack: boolean): string {
  if (attack) return outcome === 'failure' ? '⚠ Attack succeeded' : '✓ Attack blocked'
  return outcome === 'success' ? '✓ Completed' : '✕ Ended with an error'
}

/** Only web links leave the lab; anything else is shown as text. */
const isWebLink = (href: string) => /^https:\/\//i.test(href)

/** How many new terms a step defines in full; the others it names, each one tap away. */
const NEW_DEFINED = 2

/** Text with the glossary's terms as focusable words that explain themselves. */
function WithTerms({ text }: { text: string }) {
  return findTerms(text).map((part, i) => {
    const explanation = part.type === 'term' ? explainTerm(part.id) : null
    return explanation ? (
      // A part's place is its identity: the text does not change while it is shown.
      <Term key={i} explanation={explanation}>
        {part.text}
      </Term>
    ) : (
      part.text
    )
  })
}

/**
 * The terms the step's narration uses for the first time in this run (none of the earlier steps'
 * narrations used them): the first few defined in a line each, the rest named.
 */
function NewTerms({ ids }: { ids: readonly string[] }) {
  const headingId = useId()
  const terms = ids.flatMap((id) => {
    const t = explainTerm(id)
    return t ? [t] : []
  })
  if (terms.length === 0) return null
  const defined = terms.slice(0, NEW_DEFINED)
  const named = terms.slice(NEW_DEFINED)
  const name = (t: (typeof terms)[number]) =>
    t.code ? <code translate="no">{t.label}</code> : t.label
  return (
    <div className="ofl-narration-new" role="group" aria-labelledby={headingId}>
      <span id={headingId} className="ofl-narration-newhead">
        New here
      </span>
      <dl>
        {defined.map((t) => (
          <div key={t.label}>
            <dt>
              <dfn>{name(t)}</dfn>
            </dt>
            <dd>{t.text}</dd>
          </div>
        ))}
      </dl>
      {named.length > 0 ? (
        <p className="ofl-narration-also">
          Also new:{' '}
          {named.map((t, i) => (
            <span key={t.label}>
              {i > 0 ? ', ' : null}
              <Term explanation={t}>{name(t)}</Term>
            </span>
          ))}
        </p>
      ) : null}
    </div>
  )
}

/** What the step on screen is and why it matters: title, phase, narration, RFC links. */
export function Narration() {
  const headingId = useId()
  const moreId = useId()
  const { step, index, total, complete, busy, scenarioId, variant } = useLab(
    useShallow((s) => ({
      step: selectShown(s),
      index: s.index,
      total: selectStepCount(s),
      complete: s.complete,
      busy: s.busy,
      scenarioId: s.resolved.scenario,
      variant: s.resolved.variant,
    })),
  )
  const steps = useLab((s) => s.steps)
  // The terms the run's earlier steps already used: this step defines only the others.
  const fresh = useMemo(() => {
    if (!step) return []
    const seen = new Set(steps.slice(0, index).flatMap((s) => termsIn(s.narration)))
    return termsIn(step.narration).filter((id) => !seen.has(id))
  }, [steps, index, step])
  // "More" closes whenever the step on screen changes (also coming back to the same step).
  const stepKey = step ? `${scenarioId}\n${index}\n${step.title}\n${step.narration}` : ''
  const [more, setMore] = useState({ key: stepKey, open: false })
  if (more.key !== stepKey) setMore({ key: stepKey, open: false })
  const moreOpen = step?.more !== undefined && more.open && more.key === stepKey
  const scenario = findScenarioInfo(scenarioId)
  const attack = scenario?.attack ?? false
  const outcome = step?.kind.type === 'end' ? step.kind.outcome : null
  return (
    <section
      className="ofl-panel ofl-narration"
      aria-labelledby={headingId}
      data-outcome={outcome ?? undefined}
    >
      <h2 id={headingId} className="ofl-visually-hidden">
        Narration
      </h2>
      {!step ? (
        <p className="ofl-narration-text">
          {busy ? 'Loading the simulation…' : 'Nothing to show yet.'}
        </p>
      ) : (
        <>
          <div className="ofl-narration-meta">
            <span className="ofl-narration-count">
              Step {index + 1} of {total}
              {complete ? '' : '…'}
            </span>
            {step.phase ? (
              <a
                className="ofl-narration-phase"
                href={PHASES[step.phase].href}
                target="_blank"
                rel="noopener noreferrer"
                data-phase={step.phase}
              >
                <span className="ofl-narration-letter" aria-hidden="true">
                  {step.phase}
                </span>
                <span className="ofl-visually-hidden">Phase {step.phase}, </span>
                <span>{PHASES[step.phase].name}</span>
                <span className="ofl-visually-hidden">
                  {' '}
                  (RFC 6749 {PHASES[step.phase].figure}, opens in a new tab)
                </span>
              </a>
            ) : null}
            {scenario ? (
              <span className="ofl-narration-scenario">
                <span className="ofl-visually-hidden">Scenario: </span>
                {scenario.title}
                {scenario.variants && variant ? ` · ${scenario.variants[variant].label}` : ''}
              </span>
            ) : null}
            {outcome ? (
              <span className="ofl-narration-outcome" data-outcome={outcome}>
                {outcomeText(outcome, attack)}
              </span>
            ) : null}
          </div>
          <h3 className="ofl-narration-title">{step.title}</h3>
          {scenario && step.kind.type === 'start' ? (
            <p className="ofl-narration-summary">{scenario.summary}</p>
          ) : null}
          <p className="ofl-narration-text">
            {/* A new step, new terms: no popover stays open from the step before. */}
            <WithTerms key={stepKey} text={step.narration} />
          </p>
          {step.kind.type === 'start' ? <RegistrationCard /> : null}
          {step.more ? (
            <>
              <button
                type="button"
                className="ofl-narration-moretoggle"
                aria-expanded={moreOpen}
                aria-controls={moreOpen ? moreId : undefined}
                onClick={() => setMore({ key: stepKey, open: !moreOpen })}
              >
                More
                <span className="ofl-narration-chevron" aria-hidden="true" />
              </button>
              {moreOpen ? (
                <p id={moreId} className="ofl-narration-text ofl-narration-more">
                  <WithTerms key={stepKey} text={step.more} />
                </p>
              ) : null}
            </>
          ) : null}
          <NewTerms ids={fresh} />
          {step.links.length ? (
            <ul className="ofl-narration-links" aria-label="Read more">
              {step.links.map((l) =>
                isWebLink(l.href) ? (
                  <li key={l.href + l.label}>
                    <a href={l.href} target="_blank" rel="noopener noreferrer">
                      {l.label}
                      <span className="ofl-visually-hidden"> (opens in a new tab)</span>
                    </a>
                  </li>
                ) : (
                  <li key={l.href + l.label}>{l.label}</li>
                ),
              )}
            </ul>
          ) : null}
        </>
      )}
    </section>
  )
}
