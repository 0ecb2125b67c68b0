/** Lanes: placeholder until built. */
export function Lanes() {
  return <section className="ofl-panel ofl-lanes" aria-label="Lanes" />
}
