import { useId } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { SCENARIO_INFO, findScenarioInfo } from '../../flow/scenarios/catalog.ts'
import type { Variant } from '../../flow/types.ts'
import { useLab, useLabStore } from '../../store/index.ts'
import { focusLab } from '../useKeyboard.ts'
import './ScenarioPicker.css'

const FLOWS = SCENARIO_INFO.filter((s) => !s.attack)
const ATTACKS = SCENARIO_INFO.filter((s) => s.attack)
const VARIANTS: { value: Variant; label: string }[] = [
  { value: 'vulnerable', label: 'Vulnerable' },
  { value: 'defended', label: 'Defended' },
]

/**
 * The page header's scenario select, with the Vulnerable / Defended switch for attacks. Switching
 * variant keeps the learner's place (the store's `setVariant`) and says where the two runs part.
 * After either choice the keyboard goes back to the lab, so → steps on.
 */
export function ScenarioPicker() {
  const store = useLabStore()
  const selectId = useId()
  const { scenarioId, variant, parted } = useLab(
    useShallow((s) => ({
      scenarioId: s.resolved.scenario,
      variant: s.resolved.variant,
      parted: s.parted,
    })),
  )
  const scenario = findScenarioInfo(scenarioId)
  const current = variant ?? 'defended'
  const choose = (id: string, from: Element) => {
    const next = findScenarioInfo(id)
    if (!next) return
    void store.getState().setConfig({
      scenario: next.id,
      variant: next.variants ? current : undefined,
    })
    focusLab(from)
  }
  const other: Variant = current === 'defended' ? 'vulnerable' : 'defended'
  return (
    <div className="ofl-scenario">
      <label className="ofl-scenario-label" htmlFor={selectId}>
        Scenario
      </label>
      <select
        id={selectId}
        className="ofl-scenario-select"
        value={scenario?.id ?? ''}
        onChange={(e) => choose(e.target.value, e.currentTarget)}
      >
        <optgroup label="Flows">
          {FLOWS.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title}
            </option>
          ))}
        </optgroup>
        <optgroup label="Attacks">
          {ATTACKS.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title}
            </option>
          ))}
        </optgroup>
      </select>
      {scenario?.variants ? (
        <div className="ofl-scenario-variant" role="group" aria-label="Variant">
          {VARIANTS.map((v) => (
            <button
              key={v.value}
              type="button"
              className="ofl-scenario-variant-button"
              data-variant={v.value}
              aria-pressed={current === v.value}
              title={scenario.variants?.[v.value].label}
              onClick={(e) => {
                if (current === v.value) return
                void store.getState().setVariant(v.value)
                focusLab(e.currentTarget)
              }}
            >
              {v.label}
            </button>
          ))}
        </div>
      ) : null}
      {scenario?.variants ? (
        <p className="ofl-scenario-parted" aria-live="polite">
          {parted !== null
            ? `The ${current} run parts from the ${other} one at step ${parted + 1}.`
            : ''}
        </p>
      ) : null}
    </div>
  )
}
