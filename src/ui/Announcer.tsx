import { memo } from 'react'
import { selectShown, selectStepCount, useLab } from '../store/index.ts'

/** A polite live region that announces each step to screen readers. */
export const Announcer = memo(function Announcer() {
  const text = useLab((s) => {
    const step = selectShown(s)
    if (!step) return s.busy ? 'Loading the simulation…' : ''
    const phase = step.phase ? `Phase ${step.phase}. ` : ''
    return `Step ${s.index + 1} of ${selectStepCount(s)}${s.complete ? '' : '+'}: ${step.title}. ${phase}${step.narration}`
  })
  return (
    <div className="ofl-visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
      {text}
    </div>
  )
})
