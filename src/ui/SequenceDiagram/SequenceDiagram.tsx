import { Fragment, memo, useEffect, useId, useRef, type CSSProperties } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { laneStatusText } from '../../flow/views/laneStatus.ts'
import type { Step } from '../../flow/types.ts'
import {
  arrowSpan,
  compactStatus,
  describeMessage,
  laneKind,
  laneName,
  laneOrigin,
  laneShortName,
  lanesOf,
  stepRowName,
  stepShape,
} from '../../flow/views/diagram.ts'
import type { Role } from '../../protocol/index.ts'
import { messagesUpTo, selectShown, useLab, useLabDeferred } from '../../store/index.ts'
import { DiagramExports } from '../Exports/Exports.tsx'
import { ArrowHead, ChannelLegend, PhaseBadge, UserGlyph } from './Channel.tsx'
import { MOTION } from '../motion.ts'
import { useEnterAnimation } from '../useEnterAnimation.ts'
import { useFrameRead } from '../useFrameRead.ts'
import { useReducedMotion } from '../useReducedMotion.ts'
import './SequenceDiagram.css'

/**
 * The stage: the run so far as a sequence diagram that grows by a row per message. The lanes are
 * its column heads, with their live status; the current row is highlighted and drawn in; a row is
 * a button that jumps to its step. Only rows whose current mark changes re-render on a step.
 */
export function SequenceDiagram() {
  // Deferred: a Next shows the narration and the controls first; the stage follows.
  const lanes = useLabDeferred(useShallow((s) => lanesOf(s.steps, s.resolved.scenario)))
  const rows = useLabDeferred(useShallow((s) => messagesUpTo(s.steps, s.index)))
  const step = useLabDeferred(selectShown)
  const index = step?.index ?? 0
  const runId = useLabDeferred((s) => s.runId)
  const clientType = useLabDeferred((s) => s.resolved.clientType)
  const scenario = useLabDeferred((s) => s.resolved.scenario)
  // A scenario that draws the attacker as a server of its own names it so in the statuses too.
  const attackerName = laneKind('attacker', scenario) ? laneName('attacker', scenario) : undefined
  const goTo = useLab((s) => s.goTo)
  const reduced = useReducedMotion()
  const headingId = useId()
  const boxRef = useRef<HTMLDivElement>(null)
  const headRef = useRef<HTMLDivElement>(null)
  const panel = useRef<HTMLElement>(null)
  const frameRead = useFrameRead(panel)

  // Keep the current row in view inside the stage's own box; never scroll the page.
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
        {/* The lane count as an attribute, not an inline style: the page's first step is
            prerendered markup, and a strict CSP refuses style attributes in markup. */}
        <div className="ofl-seq-inner" data-lanes={lanes.length}>
          <div className="ofl-seq-head" ref={headRef} role="group" aria-label="Lanes">
            <span className="ofl-seq-phase-head" aria-hidden="true" />
            {lanes.map((role) => (
              <LaneHead
                key={role}
                role={role}
                name={laneName(role, scenario)}
                shortName={laneShortName(role, scenario)}
                kind={laneKind(role, scenario)}
                origin={laneOrigin(role, clientType, scenario)}
                active={step?.active.includes(role) ?? false}
                status={step ? laneStatusText(step.statuses[role], attackerName) : 'Idle'}
                idle={!step || step.statuses[role].kind === 'idle'}
                reduced={reduced}
              />
            ))}
          </div>
          {rows.length === 0 ? (
            <p className="ofl-seq-empty">
              No messages yet. Press Next: each message the roles send appears here as a row.
            </p>
          ) : (
            <ol className="ofl-seq-rows" aria-label="Messages so far">
              {rows.map((row) => (
                <Item
                  key={`${runId}:${row.index}`}
                  step={row}
                  lanes={lanes}
                  scenario={scenario}
                  current={row.index === index}
                  reduced={reduced}
                  goTo={goTo}
                />
              ))}
            </ol>
          )}
        </div>
      </div>
      <ChannelLegend />
      {step ? (
        <p className="ofl-visually-hidden" data-testid="lanes-message">
          {describeMessage(step, scenario)}
        </p>
      ) : null}
    </section>
  )
}

const STATUS_FADE = { opacity: [0.2, 1] } as const

/**
 * A lane's column head: the role (or, for a lane named by its host, what it is), its origin and
 * its live status; ringed while it takes part.
 */
const LaneHead = memo(function LaneHead({
  role,
  name,
  shortName,
  kind,
  origin,
  active,
  status,
  idle,
  reduced,
}: {
  role: Role
  name: string
  shortName: string
  kind: string | null
  origin: string
  active: boolean
  status: string
  idle: boolean
  reduced: boolean
}) {
  const statusRef = useRef<HTMLSpanElement>(null)
  // A new status fades in.
  useEnterAnimation(statusRef, reduced ? null : STATUS_FADE, { duration: MOTION.fade }, status)
  const scheme = origin.startsWith('https://') ? 'https://' : ''
  return (
    <div
      className="ofl-seq-lane-head"
      role="group"
      aria-label={name}
      aria-current={active ? 'true' : undefined}
      data-role={role}
      data-active={active}
    >
      <span className="ofl-seq-lane-name">
        {role === 'attacker' ? <AttackerGlyph /> : null}
        <span className="ofl-seq-name-full">{breakAfterDots(name)}</span>
        <span className="ofl-seq-name-short" aria-hidden="true">
          {shortName}
        </span>
      </span>
      {kind ? <span className="ofl-seq-lane-kind">{kind}</span> : null}
      <span className="ofl-seq-lane-origin">
        {scheme ? <span className="ofl-seq-lane-scheme">{scheme}</span> : null}
        {breakAfterDots(origin.slice(scheme.length))}
      </span>
      <span className="ofl-seq-lane-status" data-idle={idle}>
        <span className="ofl-visually-hidden">Status: </span>
        <span ref={statusRef}>
          <span className="ofl-seq-status-full">{status}</span>
          <span className="ofl-seq-status-short" aria-hidden="true">
            {compactStatus(status)}
          </span>
        </span>
      </span>
    </div>
  )
})

/** A warning sign: the attacker's lane is not one of the protocol's honest roles. */
function AttackerGlyph() {
  return (
    <svg
      className="ofl-seq-attacker-glyph"
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M12 2 1 21h22L12 2zm1 15h-2v2h2v-2zm0-8h-2v6h2V9z" fill="currentColor" />
    </svg>
  )
}

/** Lets a host name wrap after its dots rather than mid-word in a narrow lane. */
function breakAfterDots(host: string) {
  return host.split(/(?<=\.)/).map((part, i) => (
    <Fragment key={i}>
      {i > 0 ? <wbr /> : null}
      {part}
    </Fragment>
  ))
}

interface ItemProps {
  step: Step
  lanes: readonly Role[]
  /** The scenario, whose names the row's name gives the lanes. */
  scenario: string
  current: boolean
  reduced: boolean
  goTo: (index: number) => Promise<void>
}

/** One row of the list; steps never change once computed, so only the current mark re-renders. */
const Item = memo(function Item({ step, lanes, scenario, current, reduced, goTo }: ItemProps) {
  const ref = useRef<HTMLLIElement>(null)
  useEnterAnimation(ref, reduced ? null : DRAW_IN, { duration: MOTION.fade, ease: MOTION.ease })
  const shape = stepShape(step)
  return (
    <li
      ref={ref}
      className="ofl-seq-item"
      data-current={current}
      data-failed={shape.type === 'message' && shape.failed ? 'true' : undefined}
      data-attacker={isAttackers(shape) ? 'true' : undefined}
    >
      <span className="ofl-seq-phase">{step.phase ? <PhaseBadge phase={step.phase} /> : null}</span>
      <Row
        step={step}
        lanes={lanes}
        scenario={scenario}
        current={current}
        onSelect={() => void goTo(step.index)}
      />
    </li>
  )
})

/** A row comes in from above and fades in: transform and opacity, off the main thread. */
const DRAW_IN = { opacity: [0, 1], transform: ['translateY(-0.6em)', 'translateY(0)'] } as const

function isAttackers(shape: ReturnType<typeof stepShape>): boolean {
  switch (shape.type) {
    case 'message':
      return shape.attacker
    case 'leak':
      return true
    case 'user':
      return shape.lane === 'attacker'
    case 'none':
      return false
    default: {
      const never: never = shape
      return never
    }
  }
}

interface RowProps {
  step: Step
  lanes: readonly Role[]
  scenario: string
  current: boolean
  onSelect: () => void
}

/** One message or user action as a button that jumps to its step (the phase badge sits beside it). */
function Row({ step, lanes, scenario, current, onSelect }: RowProps) {
  return (
    <button
      type="button"
      className="ofl-seq-row"
      aria-label={stepRowName(step, scenario)}
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
      <RowDrawing step={step} lanes={lanes} />
    </>
  )
})

/** A failure's mark at the arrow's end: a cross, so it reads without colour. */
function Cross() {
  return (
    <svg className="ofl-seq-cross" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <path d="M2 2 10 10M10 2 2 10" stroke="currentColor" strokeWidth="2.6" fill="none" />
    </svg>
  )
}

function RowDrawing({ step, lanes }: { step: Step; lanes: readonly Role[] }) {
  const shape = stepShape(step)
  if (shape.type === 'user') {
    const col = Math.max(0, lanes.indexOf(shape.lane))
    // The label may use the lanes beside its own: toward the middle of the diagram.
    const toLeft = col >= lanes.length - 1 && col > 0
    const style = {
      gridColumn: toLeft
        ? `${col} / ${col + 2}`
        : `${col + 1} / ${Math.min(col + 3, lanes.length + 1)}`,
      '--ofl-seq-k': toLeft || col + 1 < lanes.length ? 2 : 1,
    } as CSSProperties
    return (
      <span
        className="ofl-seq-msg ofl-ch"
        data-channel={shape.lane === 'attacker' ? 'attacker' : 'user'}
        data-side={toLeft ? 'right' : 'left'}
        style={style}
      >
        <span className="ofl-seq-label">{step.label}</span>
        <span className="ofl-seq-user">
          {shape.lane === 'attacker' ? <AttackerGlyph /> : <UserGlyph />}
        </span>
      </span>
    )
  }
  if (shape.type !== 'message' && shape.type !== 'leak') return null
  const span = arrowSpan(lanes, shape.from, shape.to)
  if (!span) return null
  const failed = shape.type === 'message' && shape.failed
  const style = {
    gridColumn: `${span.start + 1} / ${span.end + 2}`,
    '--ofl-seq-k': span.end - span.start + 1,
  } as CSSProperties
  return (
    <span
      className="ofl-seq-msg ofl-ch"
      data-channel={shape.type === 'message' ? shape.channel : 'front'}
      data-direction={span.direction}
      data-failed={failed ? 'true' : undefined}
      data-attacker={isAttackers(shape) ? 'true' : undefined}
      style={style}
    >
      <span className="ofl-seq-label">
        {failed ? <span className="ofl-visually-hidden">Failed: </span> : null}
        {step.label}
      </span>
      <span className="ofl-seq-arrow">
        <span className="ofl-seq-line" />
        <span className="ofl-seq-tip">
          {failed ? <Cross /> : <ArrowHead direction={span.direction} />}
        </span>
      </span>
    </span>
  )
}
