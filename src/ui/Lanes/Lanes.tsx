import { Fragment, memo, useId, useRef, type CSSProperties } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { ROLE_NAMES } from '../../flow/roles.ts'
import type { ClientType, ShownStep } from '../../flow/types.ts'
import {
  arrowSpan,
  compactStatus,
  describeMessage,
  laneOrigin,
  lanesOf,
  SHORT_ROLE_NAMES,
  stepShape,
} from '../../flow/lanes.ts'
import type { Role } from '../../protocol/index.ts'
import { selectShown, useLabDeferred } from '../../store/index.ts'
import { MOTION } from '../motion.ts'
import { useEnterAnimation } from '../useEnterAnimation.ts'
import { useReducedMotion } from '../useReducedMotion.ts'
import { ArrowHead, ChannelLegend, ChannelTag, PhaseBadge, UserGlyph } from './Channel.tsx'
import './Lanes.css'

/** One lane per role with its origin and status; the step's message travels between lanes. */
export function Lanes() {
  // Deferred: a Next shows the narration and the state first; the lanes follow.
  const step = useLabDeferred(selectShown)
  const lanes = useLabDeferred(useShallow((s) => lanesOf(s.steps)))
  const clientType = useLabDeferred((s) => s.resolved.clientType)
  const scenario = useLabDeferred((s) => s.resolved.scenario)
  const speed = useLabDeferred((s) => s.speed)
  const runId = useLabDeferred((s) => s.runId)
  const reduced = useReducedMotion()
  const headingId = useId()
  const gridStyle = { '--ofl-lanes-n': lanes.length } as CSSProperties

  return (
    <section
      className="ofl-panel ofl-lanes"
      aria-labelledby={headingId}
      data-step={step?.index ?? 0}
    >
      <h2 id={headingId} className="ofl-visually-hidden">
        Roles and messages
      </h2>
      <div className="ofl-lanes-grid" role="group" aria-label="Lanes" style={gridStyle}>
        {lanes.map((role, i) => (
          <Lane
            key={role}
            role={role}
            column={i + 1}
            active={step?.active.includes(role) ?? false}
            status={step?.statuses[role] ?? 'Idle'}
            clientType={clientType}
            scenario={scenario}
            reduced={reduced}
          />
        ))}
        {lanes.map((role, i) => (
          <Lifeline
            key={`${role}-life`}
            role={role}
            column={i + 1}
            active={step?.active.includes(role) ?? false}
          />
        ))}
        <div className="ofl-lanes-track" aria-hidden="true">
          {step ? (
            <Message
              key={`${runId}:${step.index}`}
              step={step}
              lanes={lanes}
              reduced={reduced}
              duration={MOTION.travel / speed}
            />
          ) : null}
        </div>
      </div>
      {step ? (
        <p className="ofl-visually-hidden" data-testid="lanes-message">
          {describeMessage(step)}
        </p>
      ) : null}
      <ChannelLegend />
    </section>
  )
}

interface LaneProps {
  role: Role
  /** Grid column, from 1. */
  column: number
  active: boolean
  status: string
  clientType: ClientType
  /** The scenario's id: where the attacker answers depends on it. */
  scenario: string
  reduced: boolean
}

/** One role's lane head: name, origin and status; re-renders only when these change. */
const Lane = memo(function Lane({
  role,
  column,
  active,
  status,
  clientType,
  scenario,
  reduced,
}: LaneProps) {
  const statusRef = useRef<HTMLSpanElement>(null)
  // A new status fades in.
  useEnterAnimation(statusRef, reduced ? null : STATUS_FADE, { duration: MOTION.fade }, status)
  return (
    <div
      className="ofl-lane"
      role="group"
      aria-label={ROLE_NAMES[role]}
      aria-current={active ? 'true' : undefined}
      data-role={role}
      data-active={active}
      style={{ gridColumn: column }}
    >
      <LaneName role={role} origin={laneOrigin(role, clientType, scenario)} />
      <span className="ofl-lane-status" data-idle={status === 'Idle'}>
        <span className="ofl-visually-hidden">Status: </span>
        <span ref={statusRef}>
          <span className="ofl-lane-status-full">{status}</span>
          <span className="ofl-lane-status-short" aria-hidden="true">
            {compactStatus(status)}
          </span>
        </span>
      </span>
    </div>
  )
})

/** A lane's name and origin: the same from step to step, so not re-rendered by them. */
const LaneName = memo(function LaneName({ role, origin }: { role: Role; origin: string }) {
  const scheme = origin.startsWith('https://') ? 'https://' : ''
  return (
    <>
      <span className="ofl-lane-name">
        {role === 'attacker' ? <AttackerGlyph /> : null}
        <span className="ofl-lane-name-full">{ROLE_NAMES[role]}</span>
        <span className="ofl-lane-name-short" aria-hidden="true">
          {SHORT_ROLE_NAMES[role]}
        </span>
      </span>
      <span className="ofl-lane-origin">
        {scheme ? <span className="ofl-lane-scheme">{scheme}</span> : null}
        {breakAfterDots(origin.slice(scheme.length))}
      </span>
    </>
  )
})

const STATUS_FADE = { opacity: [0.2, 1] } as const
const FADE_IN = { opacity: [0, 1] } as const
const FADE_OUT = { opacity: [1, 0] } as const
const SCALE_IN = { opacity: [0, 1], transform: ['scale(0.4)', 'scale(1)'] } as const
const GROW = { transform: ['scaleX(0)', 'scaleX(1)'] } as const
const TRAVEL = {
  1: { transform: ['translateX(-100%)', 'translateX(0%)'] },
  [-1]: { transform: ['translateX(100%)', 'translateX(0%)'] },
} as const

/** The line under a lane's card, drawn bold while the role takes part in the step. */
const Lifeline = memo(function Lifeline({
  role,
  column,
  active,
}: {
  role: Role
  column: number
  active: boolean
}) {
  return (
    <div
      className="ofl-lane-life"
      data-role={role}
      data-active={active}
      style={{ gridColumn: column }}
      aria-hidden="true"
    />
  )
})

/** A warning sign: the attacker's lane is not one of the protocol's honest roles. */
function AttackerGlyph() {
  return (
    <svg
      className="ofl-lane-attacker-glyph"
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

interface MessageProps {
  step: ShownStep
  lanes: readonly Role[]
  reduced: boolean
  /** Seconds the message takes to travel. */
  duration: number
}

/** The drawing of one step: an arrow travelling between lanes, a user action, or a quiet note. */
const Message = memo(function Message({ step, lanes, reduced, duration }: MessageProps) {
  const shape = stepShape(step)

  if (shape.type === 'none') {
    return (
      <p
        className="ofl-msg-idle"
        data-outcome={step.kind.type === 'end' ? step.kind.outcome : undefined}
      >
        {describeMessage(step)}
      </p>
    )
  }

  if (shape.type === 'user') {
    const col = Math.max(0, lanes.indexOf(shape.lane))
    return <UserAction step={step} column={col + 1} reduced={reduced} duration={duration} />
  }

  const span = arrowSpan(lanes, shape.from, shape.to)
  if (!span) return null
  return (
    <Arrow
      step={step}
      channel={shape.type === 'message' ? shape.channel : 'front'}
      start={span.start}
      end={span.end}
      direction={span.direction}
      reduced={reduced}
      duration={duration}
    />
  )
})

interface DrawingProps {
  step: ShownStep
  reduced: boolean
  /** Seconds the message takes to travel. */
  duration: number
}

/** A user action: its label over a person glyph that pops up on the lane's lifeline. */
function UserAction({ step, column, reduced, duration }: DrawingProps & { column: number }) {
  const label = useRef<HTMLSpanElement>(null)
  const mark = useRef<HTMLSpanElement>(null)
  useEnterAnimation(label, reduced ? null : FADE_IN, { duration: MOTION.fade })
  useEnterAnimation(mark, reduced ? null : SCALE_IN, {
    duration: duration * 0.6,
    ease: MOTION.ease,
  })
  return (
    <div
      className="ofl-msg ofl-ch"
      data-channel="user"
      data-still={reduced}
      style={{ gridColumn: column }}
    >
      <span className="ofl-msg-label" ref={label}>
        {step.phase ? <PhaseBadge phase={step.phase} /> : null}
        <span className="ofl-msg-text">{step.label}</span>
      </span>
      <span className="ofl-msg-user">
        <span className="ofl-msg-user-mark" ref={mark}>
          <UserGlyph />
        </span>
      </span>
    </div>
  )
}

interface ArrowProps extends DrawingProps {
  channel: 'front' | 'back'
  /** The first and last lane it spans (from 0), and which way it points. */
  start: number
  end: number
  direction: 1 | -1
}

/** A message: the arrow grows from the sender to the receiver, carrying a packet along it. */
function Arrow({ step, channel, start, end, direction, reduced, duration }: ArrowProps) {
  const label = useRef<HTMLSpanElement>(null)
  const line = useRef<HTMLSpanElement>(null)
  const head = useRef<HTMLSpanElement>(null)
  const carrier = useRef<HTMLSpanElement>(null)
  const packet = useRef<HTMLSpanElement>(null)
  // Whole `transform` values, run by the browser on its compositor: no work on the main thread
  // in each frame.
  useEnterAnimation(label, reduced ? null : FADE_IN, { duration: MOTION.fade })
  useEnterAnimation(line, reduced ? null : GROW, { duration, ease: MOTION.ease })
  useEnterAnimation(head, reduced ? null : FADE_IN, {
    delay: duration * 0.7,
    duration: MOTION.fade,
  })
  useEnterAnimation(carrier, reduced ? null : TRAVEL[direction], { duration, ease: MOTION.ease })
  useEnterAnimation(packet, reduced ? null : FADE_OUT, { delay: duration, duration: MOTION.fade })
  const style = {
    gridColumn: `${start + 1} / ${end + 2}`,
    '--ofl-msg-k': end - start + 1,
  } as CSSProperties
  return (
    <div
      className="ofl-msg ofl-ch"
      data-channel={channel}
      data-direction={direction}
      data-still={reduced}
      style={style}
    >
      <span className="ofl-msg-label" ref={label}>
        {step.phase ? <PhaseBadge phase={step.phase} /> : null}
        <ChannelTag channel={channel} />
        <span className="ofl-msg-text">{step.label}</span>
      </span>
      <span className="ofl-msg-arrow" data-testid="lanes-arrow">
        <span
          className="ofl-msg-line"
          ref={line}
          style={reduced ? undefined : { transformOrigin: direction === 1 ? '0% 50%' : '100% 50%' }}
        />
        <span className="ofl-msg-head" ref={head}>
          <ArrowHead direction={direction} />
        </span>
        {reduced ? null : (
          <span className="ofl-msg-carrier" data-testid="lanes-packet" ref={carrier}>
            <span className="ofl-msg-packet" ref={packet} />
          </span>
        )}
      </span>
    </div>
  )
}
