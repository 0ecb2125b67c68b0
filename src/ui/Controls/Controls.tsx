/** Controls: placeholder until built. */
export function Controls() {
  return <section className="ofl-panel ofl-controls" aria-label="Controls" />
}
