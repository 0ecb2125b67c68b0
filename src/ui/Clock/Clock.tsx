import { memo, useId } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { formatDuration, formatTimeOfDay } from '../../flow/views/time.ts'
import { useLab, useLabStore } from '../../store/index.ts'
import './Clock.css'

/** The fast-forward steps offered, in seconds. */
export const FAST_FORWARD: { seconds: number; label: string }[] = [
  { seconds: 60, label: '+1 min' },
  { seconds: 600, label: '+10 min' },
  { seconds: 3600, label: '+1 h' },
]

/**
 * The simulated clock at the step on screen, and fast-forward buttons for any step but the end. The
 * lab shows it in the State pane (`placement="state"`), whose first row already tells the time.
 */
export const Clock = memo(function Clock({ placement }: { placement?: 'state' }) {
  const store = useLabStore()
  const hintId = useId()
  const { now, startedAt, clean } = useLab(
    useShallow((s) => {
      const step = s.steps[s.index]
      return {
        now: step?.snapshot.clock.now ?? null,
        startedAt: step?.snapshot.clock.startedAt ?? null,
        clean: !!step && step.kind.type !== 'end',
      }
    }),
  )
  if (now === null || startedAt === null) return null
  const elapsed = Math.max(0, Math.round((now - startedAt) / 1000))
  return (
    <div className="ofl-clock" data-placement={placement}>
      <p className="ofl-clock-time">
        <span className="ofl-clock-label">Simulated clock</span>{' '}
        <time className="ofl-clock-now" dateTime={new Date(now).toISOString()}>
          {formatTimeOfDay(now)}
        </time>{' '}
        <span className="ofl-clock-elapsed">
          +{elapsed === 0 ? '0 min' : formatDuration(elapsed)} since start
        </span>
      </p>
      <div
        className="ofl-clock-ff"
        role="group"
        aria-label="Fast-forward"
        aria-describedby={clean ? undefined : hintId}
      >
        <span className="ofl-clock-label" aria-hidden="true">
          Fast-forward
        </span>
        {FAST_FORWARD.map((f) => (
          <button
            key={f.seconds}
            type="button"
            className="ofl-button ofl-clock-button"
            disabled={!clean}
            onClick={() => void store.getState().fastForward(f.seconds)}
          >
            {f.label}
          </button>
        ))}
      </div>
      {clean ? null : (
        <p id={hintId} className="ofl-visually-hidden">
          The flow has ended: go back to a step to fast-forward from there.
        </p>
      )}
    </div>
  )
})
