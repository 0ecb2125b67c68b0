import { labSearch } from '../../flow/links/labUrl.ts'
import type { LabState } from '../../store/index.ts'

/**
 * The link to the step on screen: `href` (the page's address) with the lab's parameters — its
 * scenario, settings, seed, start time and step — in place of any it had; others are kept.
 */
export function stepLink(state: Pick<LabState, 'config' | 'index'>, href: string): string {
  const url = new URL(href)
  url.search = labSearch({ config: state.config, step: state.index }, url.search)
  return url.href
}
