/**
 * The page's lab store, created before React and the lab's views are evaluated: the signing key
 * (RSA generation, slow on weak devices; it runs off the main thread) and the first steps of the
 * run are then computed while the rest of the page loads. The address selects the scenario
 * (`?scenario=<id>&variant=<vulnerable|defended>`) and follows the learner's choice.
 */
import { parseScenarioQuery, scenarioSearch } from '../flow/scenarioUrl.ts'
import { createLabStore } from '../store/labStore.ts'

const query = parseScenarioQuery(typeof location === 'undefined' ? '' : location.search)

/** What the address asked for and was ignored (plain text), or null. */
export const urlNotice: string | null = query.notice

export const pageStore = createLabStore({ config: query.patch })

if (typeof history !== 'undefined' && typeof location !== 'undefined') {
  let last = ''
  const sync = () => {
    const { scenario, variant } = pageStore.getState().resolved
    const search = scenarioSearch({ scenario, variant }, location.search)
    const key = `${scenario}|${variant ?? ''}`
    if (key === last) return
    last = key
    if (search !== location.search)
      history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`)
  }
  // The first sync leaves an ignored address as it was, so the learner can see what they typed.
  last = `${pageStore.getState().resolved.scenario}|${pageStore.getState().resolved.variant ?? ''}`
  pageStore.subscribe(sync)
}
