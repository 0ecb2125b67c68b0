import { m, useReducedMotionConfig } from 'framer-motion'
import { Fragment, memo, useId, type CSSProperties } from 'react'
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
import { selectShown, useLab } from '../../store/index.ts'
import { MOTION } from '../motion.ts'
import { ArrowHead, ChannelLegend, ChannelTag, PhaseBadge, UserGlyph } from './Channel.tsx'
import './Lanes.css'

/** One lane per role with its origin and status; the step's message travels between lanes. */
export function Lanes() {
  const step = useLab(selectShown)
  const lanes = useLab(useShallow((s) => lanesOf(s.steps)))
  const clientType = useLab((s) => s.resolved.clientType)
  const scenario = useLab((s) => s.resolved.scenario)
  const speed = useLab((s) => s.speed)
  const runId = useLab((s) => s.runId)
  const reduced = useReducedMotionConfig() ?? false
  const headingId = useId()
  const gridStyle = { '--ofl-lanes-n': lanes.length } as CSSProperties

  return (
    <section className="ofl-panel ofl-lanes" aria-labelledby={headingId}>
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
          />
        ))}
        {lanes.map((role, i) => (
          <div
            key={`${role}-life`}
            className="ofl-lane-life"
            data-role={role}
            data-active={step?.active.includes(role) ?? false}
            style={{ gridColumn: i + 1 }}
            aria-hidden="true"
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
}

/** One role's lane head: name, origin and status; re-renders only when these change. */
const Lane = memo(function Lane({ role, column, active, status, clientType, scenario }: LaneProps) {
  const origin = laneOrigin(role, clientType, scenario)
  const scheme = origin.startsWith('https://') ? 'https://' : ''
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
      <span className="ofl-lane-status" data-idle={status === 'Idle'}>
        <span className="ofl-visually-hidden">Status: </span>
        <m.span
          key={status}
          initial={{ opacity: 0.2 }}
          animate={{ opacity: 1 }}
          transition={{ duration: MOTION.fade }}
        >
          <span className="ofl-lane-status-full">{status}</span>
          <span className="ofl-lane-status-short" aria-hidden="true">
            {compactStatus(status)}
          </span>
        </m.span>
      </span>
    </div>
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
function Message({ step, lanes, reduced, duration }: MessageProps) {
  const shape = stepShape(step)
  const fadeIn = reduced ? false : { opacity: 0 }

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
    return (
      <div
        className="ofl-msg ofl-ch"
        data-channel="user"
        data-still={reduced}
        style={{ gridColumn: col + 1 }}
      >
        <m.span
          className="ofl-msg-label"
          initial={fadeIn}
          animate={{ opacity: 1 }}
          transition={{ duration: MOTION.fade }}
        >
          {step.phase ? <PhaseBadge phase={step.phase} /> : null}
          <span className="ofl-msg-text">{step.label}</span>
        </m.span>
        <span className="ofl-msg-user">
          {reduced ? (
            <span className="ofl-msg-user-mark">
              <UserGlyph />
            </span>
          ) : (
            <m.span
              className="ofl-msg-user-mark"
              initial={{ opacity: 0, scale: 0.4 }}
              animate={{ opacity: 1, scale: 1 }}
              transition={{ duration: duration * 0.6, ease: MOTION.ease }}
            >
              <UserGlyph />
            </m.span>
          )}
        </span>
      </div>
    )
  }

  const span = arrowSpan(lanes, shape.from, shape.to)
  if (!span) return null
  const { start, end, direction } = span
  const style = {
    gridColumn: `${start + 1} / ${end + 2}`,
    '--ofl-msg-k': end - start + 1,
  } as CSSProperties
  return (
    <div
      className="ofl-msg ofl-ch"
      data-channel={shape.channel}
      data-direction={direction}
      data-still={reduced}
      style={style}
    >
      <m.span
        className="ofl-msg-label"
        initial={fadeIn}
        animate={{ opacity: 1 }}
        transition={{ duration: MOTION.fade }}
      >
        {step.phase ? <PhaseBadge phase={step.phase} /> : null}
        <ChannelTag channel={shape.channel} />
        <span className="ofl-msg-text">{step.label}</span>
      </m.span>
      <span className="ofl-msg-arrow" data-testid="lanes-arrow">
        {reduced ? (
          <span className="ofl-msg-line" />
        ) : (
          // Whole `transform` values (not x/scaleX) so the browser runs these on its compositor
          // (WAAPI), with no work on the main thread in each frame.
          <m.span
            className="ofl-msg-line"
            initial={{ transform: 'scaleX(0)' }}
            animate={{ transform: 'scaleX(1)' }}
            transition={{ duration, ease: MOTION.ease }}
            style={{ transformOrigin: direction === 1 ? '0% 50%' : '100% 50%' }}
          />
        )}
        <m.span
          className="ofl-msg-head"
          initial={fadeIn}
          animate={{ opacity: 1 }}
          transition={{ delay: duration * 0.7, duration: MOTION.fade }}
        >
          <ArrowHead direction={direction} />
        </m.span>
        {reduced ? null : (
          <m.span
            className="ofl-msg-carrier"
            data-testid="lanes-packet"
            initial={{ transform: `translateX(${direction === 1 ? '-100%' : '100%'})` }}
            animate={{ transform: 'translateX(0%)' }}
            transition={{ duration, ease: MOTION.ease }}
          >
            <m.span
              className="ofl-msg-packet"
              initial={{ opacity: 1 }}
              animate={{ opacity: 0 }}
              transition={{ delay: duration, duration: MOTION.fade }}
            />
          </m.span>
        )}
      </span>
    </div>
  )
}
