import { selectIndex, useLabDeferred } from '../../store/index.ts'

/** Placeholder until the Message view lands (wt-message). */
export function MessagePane() {
  const index = useLabDeferred(selectIndex)
  return (
    <section className="ofl-panel ofl-message" aria-label="Message" data-step={index}>
      <p>Message</p>
    </section>
  )
}
