/** SequenceDiagram: placeholder until built. */
export function SequenceDiagram() {
  return <section className="ofl-panel ofl-sequencediagram" aria-label="SequenceDiagram" />
}
