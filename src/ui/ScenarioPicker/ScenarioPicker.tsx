import { useId } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { SCENARIO_INFO, findScenarioInfo } from '../../flow/scenarios/catalog.ts'
import type { Variant } from '../../flow/types.ts'
import { useLab, useLabStore } from '../../store/index.ts'
import './ScenarioPicker.css'

const FLOWS = SCENARIO_INFO.filter((s) => !s.attack)
const ATTACKS = SCENARIO_INFO.filter((s) => s.attack)
const VARIANTS: { value: Variant; label: string }[] = [
  { value: 'vulnerable', label: 'Vulnerable' },
  { value: 'defended', label: 'Defended' },
]

/** The page header's scenario select, with the Vulnerable / Defended switch for attacks. */
export function ScenarioPicker() {
  const store = useLabStore()
  const selectId = useId()
  const { scenarioId, variant } = useLab(
    useShallow((s) => ({ scenarioId: s.resolved.scenario, variant: s.resolved.variant })),
  )
  const scenario = findScenarioInfo(scenarioId)
  const choose = (id: string) => {
    const next = findScenarioInfo(id)
    if (!next) return
    void store.getState().setConfig({
      scenario: next.id,
      variant: next.variants ? (variant ?? 'defended') : undefined,
    })
  }
  return (
    <div className="ofl-scenario">
      <label className="ofl-scenario-label" htmlFor={selectId}>
        Scenario
      </label>
      <select
        id={selectId}
        className="ofl-scenario-select"
        value={scenario?.id ?? ''}
        onChange={(e) => choose(e.target.value)}
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
              aria-pressed={(variant ?? 'defended') === v.value}
              title={scenario.variants?.[v.value].label}
              onClick={() => {
                if ((variant ?? 'defended') !== v.value)
                  void store.getState().setConfig({ scenario: scenario.id, variant: v.value })
              }}
            >
              {v.label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  )
}
