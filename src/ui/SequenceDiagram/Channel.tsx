/**
 * The stage's small pieces: how a channel is drawn (line style, arrowhead, text tag), the user
 * glyph, the phase badge and the legend that explains them (and the marks for a failure and the
 * attacker).
 */
import { memo } from 'react'
import type { Phase } from '../../flow/index.ts'
import type { Channel as ChannelName } from '../../protocol/index.ts'
import { phaseTitle } from '../../flow/views/phases.ts'
import './Channel.css'

/** An arrowhead pointing right (1) or left (-1), coloured by its parent's `color`. */
export function ArrowHead({ direction }: { direction: 1 | -1 }) {
  return (
    <svg
      className="ofl-arrowhead"
      data-direction={direction}
      viewBox="0 0 12 12"
      aria-hidden="true"
      focusable="false"
    >
      <polygon points={direction === 1 ? '0,0 12,6 0,12' : '12,0 0,6 12,12'} fill="currentColor" />
    </svg>
  )
}

/** A short text marker for a channel, so the drawing is not told by colour alone. */
export function ChannelTag({ channel }: { channel: ChannelName }) {
  return (
    <span className="ofl-channel-tag" data-channel={channel}>
      {channel}
    </span>
  )
}

/** A person glyph for user actions. */
export function UserGlyph() {
  return (
    <svg className="ofl-user-glyph" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <circle cx="12" cy="7.5" r="4.5" fill="currentColor" />
      <path d="M3.5 22c0-5 3.8-8.5 8.5-8.5s8.5 3.5 8.5 8.5z" fill="currentColor" />
    </svg>
  )
}

/** The letter of the RFC 6749 figure's step this message belongs to (Figure 1, or Figure 2 for a refresh). */
export function PhaseBadge({ phase }: { phase: Phase }) {
  return (
    <span className="ofl-phase" title={phaseTitle(phase)}>
      <span className="ofl-visually-hidden">Phase </span>
      {phase}
    </span>
  )
}

/** Explains the line styles: front channel, back channel, user action. Static: renders once. */
export const ChannelLegend = memo(function ChannelLegend() {
  return (
    <ul className="ofl-legend" aria-label="Legend">
      <li className="ofl-legend-item ofl-ch" data-channel="front">
        <span className="ofl-legend-line" aria-hidden="true">
          <span className="ofl-legend-stroke" />
          <ArrowHead direction={1} />
        </span>
        <ChannelTag channel="front" />
        <span>through the browser</span>
      </li>
      <li className="ofl-legend-item ofl-ch" data-channel="back">
        <span className="ofl-legend-line" aria-hidden="true">
          <span className="ofl-legend-stroke" />
          <ArrowHead direction={1} />
        </span>
        <ChannelTag channel="back" />
        <span>server to server</span>
      </li>
      <li className="ofl-legend-item ofl-ch" data-channel="direct">
        <span className="ofl-legend-line" aria-hidden="true">
          <span className="ofl-legend-stroke" />
          <ArrowHead direction={1} />
        </span>
        <ChannelTag channel="direct" />
        <span>page code (fetch)</span>
      </li>
      <li className="ofl-legend-item ofl-ch" data-channel="user">
        <UserGlyph />
        <span>user</span>
      </li>
      <li className="ofl-legend-item ofl-ch" data-channel="failed">
        <span className="ofl-legend-line" aria-hidden="true">
          <span className="ofl-legend-stroke" />
          <svg className="ofl-arrowhead" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
            <path d="M2 2 10 10M10 2 2 10" stroke="currentColor" strokeWidth="2.6" fill="none" />
          </svg>
        </span>
        <span>failed</span>
      </li>
      <li className="ofl-legend-item ofl-ch" data-channel="attacker">
        <span aria-hidden="true">⚠</span>
        <span>attacker</span>
      </li>
    </ul>
  )
})
