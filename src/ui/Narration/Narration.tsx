import { useId } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { findScenarioInfo } from '../../flow/scenarios/catalog.ts'
import { PHASES } from '../../flow/phases.ts'
import { selectShown, selectStepCount, useLab } from '../../store/index.ts'
import { RegistrationCard } from '../Registration/RegistrationCard.tsx'
import './Narration.css'


/** What an ending means: for an attack, `failure` is the attack working. */
export function outcomeText(outcome: 'success' | 'failure', attack: boolean): string {
  if (attack) return outcome === 'failure' ? '⚠ Attack succeeded' : '✓ Attack blocked'
  return outcome === 'success' ? '✓ Completed' : '✕ Ended with an error'
}

/** Only web links leave the lab; anything else is shown as text. */
const isWebLink = (href: string) => /^https:\/\//i.test(href)

/** What the step on screen is and why it matters: title, phase, narration, RFC links. */
export function Narration() {
  const headingId = useId()
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
          <p className="ofl-narration-text">{step.narration}</p>
          {step.kind.type === 'start' ? <RegistrationCard /> : null}
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
