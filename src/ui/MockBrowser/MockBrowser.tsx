/** MockBrowser: placeholder until built. */
export function MockBrowser() {
  return <section className="ofl-panel ofl-mockbrowser" aria-label="MockBrowser" />
}
