/** HttpLog: placeholder until built. */
export function HttpLog() {
  return <section className="ofl-panel ofl-httplog" aria-label="HttpLog" />
}
