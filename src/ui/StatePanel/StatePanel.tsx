/** StatePanel: placeholder until built. */
export function StatePanel() {
  return <section className="ofl-panel ofl-statepanel" aria-label="StatePanel" />
}
