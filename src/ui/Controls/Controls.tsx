import { memo, useId, useLayoutEffect, useRef } from 'react'
import { useShallow } from 'zustand/react/shallow'
import {
  SPEEDS,
  selectChapterId,
  selectChapters,
  selectShown,
  selectStepCount,
  useLab,
  useLabStore,
} from '../../store/index.ts'
import { focusLab } from '../useKeyboard.ts'
import { PresentButton } from './PresentButton.tsx'
import './Controls.css'

/** A control's icon; the same path draws the same thing, so it re-renders only with a new one. */
const Icon = memo(function Icon({ d }: { d: string }) {
  return (
    <svg
      className="ofl-controls-icon"
      viewBox="0 0 24 24"
      width="20"
      height="20"
      aria-hidden="true"
      focusable="false"
    >
      <path d={d} fill="currentColor" />
    </svg>
  )
})

const ICONS = {
  reset: 'M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z',
  back: 'M15.4 7.4 14 6l-6 6 6 6 1.4-1.4-4.6-4.6z',
  next: 'M8.6 16.6 10 18l6-6-6-6-1.4 1.4 4.6 4.6z',
  play: 'M8 5v14l11-7z',
  pause: 'M6 5h4v14H6zm8 0h4v14h-4z',
}

/** The lab's controls: all of them (the page), or compact ones for embeds. */
export function Controls({ variant = 'full' }: { variant?: 'full' | 'compact' }) {
  return variant === 'compact' ? <CompactControls /> : <FullControls />
}

/** Back, Play/Pause and Next: the buttons both kinds of controls have. */
const StepButtons = memo(function StepButtons({
  atStart,
  total,
  atEnd,
  playing,
}: {
  atStart: boolean
  total: number
  atEnd: boolean
  playing: boolean
}) {
  const a = useLabStore().getState()
  return (
    <>
      <button type="button" className="ofl-button" onClick={() => a.back()} disabled={atStart}>
        <Icon d={ICONS.back} />
        <span>Back</span>
      </button>
      <button
        type="button"
        className="ofl-button ofl-controls-play"
        onClick={() => a.togglePlay()}
        disabled={total === 0}
      >
        <Icon d={playing ? ICONS.pause : ICONS.play} />
        {/* The other word sits hidden in the same cell, so the button is as wide either way. */}
        <span className="ofl-controls-play-label">
          <span>{playing ? 'Pause' : 'Play'}</span>
          <span className="ofl-controls-sizer" aria-hidden="true">
            {playing ? 'Play' : 'Pause'}
          </span>
        </span>
      </button>
      <button
        type="button"
        className="ofl-button ofl-controls-next"
        data-primary="true"
        onClick={() => void a.next()}
        disabled={atEnd || total === 0}
      >
        <span>Next</span>
        <Icon d={ICONS.next} />
      </button>
    </>
  )
})

/** Back, Play/Pause, Next and the step count: for embeds in a column of a documentation page. */
function CompactControls() {
  const { index, total, complete, playing } = useLab(
    useShallow((s) => ({
      index: s.index,
      total: selectStepCount(s),
      complete: s.complete,
      playing: s.playing,
    })),
  )
  const atEnd = complete && index >= total - 1
  return (
    <section className="ofl-panel ofl-controls" aria-label="Controls" data-variant="compact">
      <div className="ofl-controls-buttons">
        <StepButtons atStart={index === 0} total={total} atEnd={atEnd} playing={playing} />
      </div>
      <p className="ofl-controls-count">
        Step {index + 1} of {total}
        {complete ? '' : '…'}
      </p>
      <PresentButton />
    </section>
  )
}

/**
 * Reset, Back, Play/Pause, Next, speed and a scrubber over the run's steps. Its parts select what
 * they show, so a step re-renders the scrubber and little else.
 */
function FullControls() {
  const { atStart, atEnd, total, playing } = useLab(
    useShallow((s) => ({
      atStart: s.index === 0,
      atEnd: s.complete && s.index >= s.steps.length - 1,
      total: selectStepCount(s),
      playing: s.playing,
    })),
  )
  return (
    <section className="ofl-panel ofl-controls" aria-label="Controls">
      <div className="ofl-controls-buttons">
        <ResetButton disabled={atStart && !playing} />
        <StepButtons atStart={atStart} total={total} atEnd={atEnd} playing={playing} />
      </div>
      <Scrubber />
      <ChapterSelect />
      <SpeedSelect />
      <PresentButton />
      <p className="ofl-controls-hint">
        Keyboard: <kbd>←</kbd> <kbd>→</kbd> <kbd>Space</kbd> <kbd>Home</kbd> <kbd>End</kbd>
      </p>
    </section>
  )
}

const ResetButton = memo(function ResetButton({ disabled }: { disabled: boolean }) {
  const store = useLabStore()
  return (
    <button
      type="button"
      className="ofl-button"
      onClick={() => store.getState().reset()}
      disabled={disabled}
    >
      <Icon d={ICONS.reset} />
      <span>Reset</span>
    </button>
  )
})

function SpeedSelect() {
  const store = useLabStore()
  const speedId = useId()
  const speed = useLab((s) => s.speed)
  return (
    <label className="ofl-controls-speed" htmlFor={speedId}>
      <span>Speed</span>
      <select
        id={speedId}
        value={String(speed)}
        onChange={(e) => store.getState().setSpeed(Number(e.target.value))}
      >
        {SPEEDS.map((s) => (
          <option key={s} value={String(s)}>
            {s}×
          </option>
        ))}
      </select>
    </label>
  )
}

/** The step slider and count. */
function Scrubber() {
  const store = useLabStore()
  const stepId = useId()
  const scrubber = useRef<HTMLInputElement>(null)
  const { index, total, complete, title } = useLab(
    useShallow((s) => ({
      index: s.index,
      total: selectStepCount(s),
      complete: s.complete,
      title: selectShown(s)?.title ?? '',
    })),
  )
  const of = `${total}${complete ? '' : '…'}`
  // When the run shrinks (a restart), the browser clamps the slider to the new max behind
  // React's back, and React then ignores a move to the value it last wrote (its record of the
  // value is stale): the slider would show that step while the lab stays put. Writing the value
  // here keeps that record true.
  useLayoutEffect(() => {
    if (scrubber.current) scrubber.current.value = String(index)
  }, [index, total])
  return (
    <div className="ofl-controls-scrub">
      <label htmlFor={stepId} className="ofl-controls-scrub-label">
        Step
      </label>
      <div className="ofl-controls-track">
        <input
          ref={scrubber}
          id={stepId}
          type="range"
          min={0}
          max={Math.max(0, total - 1)}
          step={1}
          value={index}
          disabled={total <= 1}
          aria-valuetext={`Step ${index + 1} of ${of}: ${title}`}
          onChange={(e) => void store.getState().goTo(Number(e.target.value))}
        />
        <Ticks total={total} />
      </div>
      <span className="ofl-controls-count" aria-hidden="true">
        {index + 1}/{of}
      </span>
    </div>
  )
}

/** Where step `index` sits along a scrubber of `total` steps, in percent. */
function at(index: number, total: number): string {
  return `${total > 1 ? (Math.min(index, total - 1) / (total - 1)) * 100 : 0}%`
}

/**
 * Marks along the scrubber, for the eye only (the chapter menu and the note say the same in
 * words): a tick where each chapter after the first starts, and a distinct one where this run
 * parts from the variant it was switched from.
 */
const Ticks = memo(function Ticks({ total }: { total: number }) {
  const chapters = useLab(selectChapters)
  const parted = useLab((s) => s.parted)
  return (
    <span className="ofl-controls-ticks" aria-hidden="true">
      {chapters.slice(1).map((c) => (
        <span
          key={c.id}
          className="ofl-controls-tick"
          data-chapter={c.id}
          style={{ left: at(c.start, total) }}
        />
      ))}
      {parted !== null && parted < total ? (
        <span
          className="ofl-controls-tick"
          data-parted="true"
          style={{ left: at(parted, total) }}
        />
      ) : null}
    </span>
  )
})

/**
 * The chapter menu: choosing one opens its first step, then gives the keyboard back to the lab
 * so ← and → step on from there.
 */
function ChapterSelect() {
  const store = useLabStore()
  const id = useId()
  const chapters = useLab(selectChapters)
  const current = useLab(selectChapterId)
  return (
    <span className="ofl-controls-chapter">
      <label htmlFor={id}>Chapter</label>
      <select
        id={id}
        value={current ?? ''}
        disabled={chapters.length === 0}
        onChange={(e) => {
          const chapter = chapters.find((c) => c.id === e.target.value)
          if (!chapter) return
          void store.getState().goTo(chapter.start)
          focusLab(e.currentTarget)
        }}
      >
        {chapters.length === 0 ? <option value="">Loading…</option> : null}
        {chapters.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} (step {c.start + 1})
          </option>
        ))}
      </select>
    </span>
  )
}
