import { memo, useId, useMemo, useState } from 'react'
import { shortenValue, stateSections, type StateRow, type StateSection } from '../../flow/views/state.ts'
import { selectPrevStep, selectWorld, useLab } from '../../store/index.ts'
import { Clock } from '../Clock/Clock.tsx'
import { RegistrationCard } from '../Registration/RegistrationCard.tsx'
import './StatePanel.css'

/** The state variables of each role at the step on screen, with what this step changed marked. */
export function StatePanel() {
  const world = useLab(selectWorld)
  const prev = useLab((s) => selectPrevStep(s)?.snapshot)
  const config = useLab((s) => s.resolved)
  const headingId = useId()
  const sections = useMemo(
    () => (world ? stateSections(world, prev, config) : []),
    [world, prev, config],
  )
  const clock = sections.find((s) => s.role === 'clock')?.rows[0]
  const roles = sections.filter((s) => s.role !== 'clock')
  const changed = roles.reduce((n, s) => n + s.rows.filter((r) => r.changed).length, 0)

  return (
    <section className="ofl-panel ofl-statepanel" aria-labelledby={headingId}>
      <div className="ofl-statepanel-head">
        <h2 id={headingId}>State</h2>
        {clock ? (
          <dl className="ofl-state-clock">
            <Row row={{ ...clock, label: 'Simulated clock' }} />
          </dl>
        ) : null}
      </div>
      <details className="ofl-registration-details">
        <summary>Registration</summary>
        <RegistrationCard heading={false} />
      </details>
      {world ? (
        <>
          <p className="ofl-statepanel-legend">
            {changed > 0 ? (
              <>
                <span className="ofl-state-badge ofl-state-sample">changed</span> marks what this
                step changed ({changed} {changed === 1 ? 'value' : 'values'}).
              </>
            ) : (
              'Nothing changed in this step.'
            )}
          </p>
          {changed > 0 ? (
            <section className="ofl-state-role ofl-state-changes" aria-label="Changed in this step">
              <h3>Changed in this step</h3>
              <dl className="ofl-state-list">
                {roles.flatMap((s) =>
                  s.rows
                    .filter((r) => r.changed)
                    .map((r) => <Row key={r.key} row={{ ...r, label: `${s.title}: ${r.label}` }} />),
                )}
              </dl>
            </section>
          ) : null}
          <Clock placement="state" />
          <div className="ofl-statepanel-roles">
            {roles.map((s) => (
              <RoleSection key={s.role} section={s} />
            ))}
          </div>
        </>
      ) : (
        <p className="ofl-statepanel-legend">Loading the simulation…</p>
      )}
    </section>
  )
}

/** Each step computes new sections: one re-renders only when something in it reads differently. */
const sameSection = (a: { section: StateSection }, b: { section: StateSection }) => {
  const x = a.section
  const y = b.section
  return (
    x.role === y.role &&
    x.title === y.title &&
    x.subtitle === y.subtitle &&
    x.note === y.note &&
    x.rows.length === y.rows.length &&
    x.rows.every((r, i) => sameRow({ row: r }, { row: y.rows[i]! }))
  )
}

const RoleSection = memo(function RoleSection({ section }: { section: StateSection }) {
  const id = useId()
  return (
    <section className="ofl-state-role" data-role={section.role} aria-labelledby={id}>
      <h3 id={id}>
        {section.subtitle ? `${section.title} ` : section.title}
        {section.subtitle ? <span className="ofl-state-subtitle">{section.subtitle}</span> : null}
      </h3>
      {section.note ? <p className="ofl-state-note">{section.note}</p> : null}
      <dl className="ofl-state-list">
        {section.rows.map((r) => (
          <Row key={r.key} row={r} />
        ))}
      </dl>
    </section>
  )
}, sameSection)

/** Each step computes new rows: a row re-renders only when what it shows differs. */
const sameRow = (a: { row: StateRow }, b: { row: StateRow }) =>
  a.row.key === b.row.key &&
  a.row.label === b.row.label &&
  a.row.value === b.row.value &&
  a.row.changed === b.row.changed &&
  a.row.removed === b.row.removed &&
  a.row.long === b.row.long

const Row = memo(function Row({ row }: { row: StateRow }) {
  return (
    <div
      className={`ofl-state-row${row.changed ? ' ofl-changed' : ''}${row.removed ? ' ofl-state-removed' : ''}`}
      data-key={row.key}
    >
      <dt>
        {row.label}
        {row.changed ? (
          <span className="ofl-state-badge">{row.removed ? 'removed' : 'changed'}</span>
        ) : null}
      </dt>
      <dd>
        {row.value === null ? (
          <span className="ofl-state-none">none</span>
        ) : row.long ? (
          <LongValue value={row.value} label={row.label} removed={row.removed} />
        ) : row.removed ? (
          <del className="ofl-state-value">{row.value}</del>
        ) : (
          <span className="ofl-state-value">{row.value}</span>
        )}
      </dd>
    </div>
  )
}, sameRow)

/** A token: shortened, with a button to see the whole value. */
function LongValue({ value, label, removed }: { value: string; label: string; removed: boolean }) {
  const [open, setOpen] = useState(false)
  const id = useId()
  const text = open ? value : shortenValue(value)
  return (
    <span className="ofl-state-long">
      {removed ? (
        <del id={id} className="ofl-state-value">
          {text}
        </del>
      ) : (
        <span id={id} className="ofl-state-value">
          {text}
        </span>
      )}
      <button
        type="button"
        className="ofl-state-more"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        {open ? 'Show less ' : 'Show all '}
        <span className="ofl-visually-hidden">of {label}</span>
      </button>
    </span>
  )
}
