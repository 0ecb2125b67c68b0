/** Narration: placeholder until built. */
export function Narration() {
  return <section className="ofl-panel ofl-narration" aria-label="Narration" />
}
