/** Settings: placeholder until built. */
export function Settings() {
  return <section className="ofl-panel ofl-settings" aria-label="Settings" />
}
