import { memo, useEffect, useId, useRef, type CSSProperties, type RefObject } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { ROLE_NAMES } from '../../flow/roles.ts'
import type { Step } from '../../flow/types.ts'
import { arrowSpan, lanesOf, SHORT_ROLE_NAMES, stepRowName, stepShape } from '../../flow/lanes.ts'
import type { Role } from '../../protocol/index.ts'
import { messagesUpTo, selectIndex, useLab, useLabDeferred } from '../../store/index.ts'
import { DiagramExports } from '../Exports/Exports.tsx'
import { ArrowHead, ChannelLegend, PhaseBadge, UserGlyph } from '../Lanes/Channel.tsx'
import { MOTION } from '../motion.ts'
import { useEnterAnimation } from '../useEnterAnimation.ts'
import { useFrameRead } from '../useFrameRead.ts'
import { useReducedMotion } from '../useReducedMotion.ts'
import './SequenceDiagram.css'

/** The run so far as a sequence diagram, one row per message; a row is a button that jumps there. */
export function SequenceDiagram() {
  // Deferred: a Next shows the narration and the state first; the diagram follows.
  const lanes = useLabDeferred(useShallow((s) => lanesOf(s.steps)))
  const rows = useLabDeferred(useShallow((s) => messagesUpTo(s.steps, s.index)))
  const index = useLabDeferred(selectIndex)
  const runId = useLabDeferred((s) => s.runId)
  const goTo = useLab((s) => s.goTo)
  const reduced = useReducedMotion()
  const headingId = useId()
  const boxRef = useRef<HTMLDivElement>(null)
  const headRef = useRef<HTMLDivElement>(null)
  const panel = useRef<HTMLElement>(null)
  const frameRead = useFrameRead(panel)

  // Keep the current row in view inside the diagram's own box; never scroll the page.
  useEffect(() => {
    frameRead(() => {
      const box = boxRef.current
      if (!box) return
      const row =
        box.querySelector<HTMLElement>('li[data-current="true"]') ??
        box.querySelector<HTMLElement>('li:last-child')
      if (!row) {
        box.scrollTop = 0
        return
      }
      const head = headRef.current?.offsetHeight ?? 0
      const top = row.offsetTop - head
      const bottom = row.offsetTop + row.offsetHeight
      let target: number | null = null
      if (top < box.scrollTop) target = top
      else if (bottom > box.scrollTop + box.clientHeight) target = bottom - box.clientHeight
      if (target === null) return
      if (typeof box.scrollTo === 'function')
        box.scrollTo({ top: Math.max(0, target), behavior: reduced ? 'auto' : 'smooth' })
      else box.scrollTop = Math.max(0, target)
    })
  }, [index, rows.length, runId, reduced, frameRead])

  const style = { '--ofl-seq-n': lanes.length } as CSSProperties
  return (
    <section
      ref={panel}
      className="ofl-panel ofl-sequencediagram"
      aria-labelledby={headingId}
      data-step={index}
    >
      <div className="ofl-seq-top">
        <h2 id={headingId}>Sequence diagram</h2>
        <DiagramExports />
      </div>
      <div className="ofl-seq-box" ref={boxRef}>
        <div className="ofl-seq-inner" style={style}>
          <DiagramHead lanes={lanes} headRef={headRef} />
          {rows.length === 0 ? (
            <p className="ofl-seq-empty">
              No messages yet. Press Next: each message the roles send appears here as a row.
            </p>
          ) : (
            <ol className="ofl-seq-rows" aria-label="Messages so far">
              {rows.map((step) => (
                <Item
                  key={`${runId}:${step.index}`}
                  step={step}
                  lanes={lanes}
                  current={step.index === index}
                  reduced={reduced}
                  goTo={goTo}
                />
              ))}
            </ol>
          )}
        </div>
      </div>
      <ChannelLegend compact />
    </section>
  )
}

/** The lanes' names over the rows (sticky); the same while the lanes are. */
const DiagramHead = memo(function DiagramHead({
  lanes,
  headRef,
}: {
  lanes: readonly Role[]
  headRef: RefObject<HTMLDivElement | null>
}) {
  return (
    <div className="ofl-seq-head" ref={headRef} aria-hidden="true">
      <span className="ofl-seq-phase-head" />
      {lanes.map((role) => (
        <span key={role} className="ofl-seq-lane-head" data-role={role}>
          <span className="ofl-seq-name-full">{ROLE_NAMES[role]}</span>
          <span className="ofl-seq-name-short">{SHORT_ROLE_NAMES[role]}</span>
        </span>
      ))}
    </div>
  )
})

interface ItemProps {
  step: Step
  lanes: readonly Role[]
  current: boolean
  reduced: boolean
  goTo: (index: number) => Promise<void>
}

/** One row of the list; steps never change once computed, so only the current mark re-renders. */
const Item = memo(function Item({ step, lanes, current, reduced, goTo }: ItemProps) {
  const ref = useRef<HTMLLIElement>(null)
  useEnterAnimation(ref, reduced ? null : FADE_IN, { duration: MOTION.fade })
  return (
    <li ref={ref} className="ofl-seq-item" data-current={current}>
      <span className="ofl-seq-phase">{step.phase ? <PhaseBadge phase={step.phase} /> : null}</span>
      <Row step={step} lanes={lanes} current={current} onSelect={() => void goTo(step.index)} />
    </li>
  )
})

const FADE_IN = { opacity: [0, 1] } as const

interface RowProps {
  step: Step
  lanes: readonly Role[]
  current: boolean
  onSelect: () => void
}

/** One message or user action as a button that jumps to its step (the phase badge sits beside it). */
function Row({ step, lanes, current, onSelect }: RowProps) {
  return (
    <button
      type="button"
      className="ofl-seq-row"
      aria-label={stepRowName(step)}
      aria-current={current ? 'step' : undefined}
      data-current={current}
      onClick={onSelect}
    >
      <RowContent step={step} lanes={lanes} />
    </button>
  )
}

/** A row's lifelines and drawing: the same for a step whether or not it is the current one. */
const RowContent = memo(function RowContent({
  step,
  lanes,
}: {
  step: Step
  lanes: readonly Role[]
}) {
  return (
    <>
      {lanes.map((role, i) => (
        <span
          key={role}
          className="ofl-seq-life"
          style={{ gridColumn: i + 1 }}
          aria-hidden="true"
        />
      ))}
      <RowDrawing step={step} lanes={lanes} shape={stepShape(step)} />
    </>
  )
})

function RowDrawing({
  step,
  lanes,
  shape,
}: {
  step: Step
  lanes: readonly Role[]
  shape: ReturnType<typeof stepShape>
}) {
  if (shape.type === 'user') {
    const col = Math.max(0, lanes.indexOf(shape.lane))
    return (
      <span className="ofl-seq-msg ofl-ch" data-channel="user" style={{ gridColumn: col + 1 }}>
        <span className="ofl-seq-label">{step.label}</span>
        <span className="ofl-seq-user">
          <UserGlyph />
        </span>
      </span>
    )
  }
  if (shape.type !== 'message' && shape.type !== 'leak') return null
  const span = arrowSpan(lanes, shape.from, shape.to)
  if (!span) return null
  const style = {
    gridColumn: `${span.start + 1} / ${span.end + 2}`,
    '--ofl-seq-k': span.end - span.start + 1,
  } as CSSProperties
  return (
    <span
      className="ofl-seq-msg ofl-ch"
      data-channel={shape.type === 'message' ? shape.channel : 'front'}
      data-direction={span.direction}
      style={style}
    >
      <span className="ofl-seq-label">{step.label}</span>
      <span className="ofl-seq-arrow">
        <span className="ofl-seq-line" />
        <span className="ofl-seq-tip">
          <ArrowHead direction={span.direction} />
        </span>
      </span>
    </span>
  )
}
