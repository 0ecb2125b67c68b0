/**
 * The panes a lab can show. The page shows them all; an embed picks some with `panels=`
 * (`panels=diagram,narration`), in any order: the lab lays them out in its own order.
 */
import type { Step } from './types.ts'

export const PANEL_IDS = ['narration', 'diagram', 'message', 'browser', 'state', 'log'] as const

export type PanelId = (typeof PANEL_IDS)[number]

/** Every pane: the page's set. */
export const ALL_PANELS: readonly PanelId[] = PANEL_IDS

/** An embed's default: what reads well in a 700×500 frame in a column of a docs page. */
export const EMBED_PANELS: readonly PanelId[] = ['narration', 'diagram', 'message', 'browser']

/** Whether a text names a pane. */
export function isPanelId(value: string): value is PanelId {
  return (PANEL_IDS as readonly string[]).includes(value)
}

/** The inspector's panes under the narration. */
export type InspectorPane = 'message' | 'browser' | 'state' | 'log'

/**
 * The pane that shows what a step is about: the Browser for a page or a user action (a page the
 * browser shows, or one it waits on), the Message for any other exchange; null for a step about
 * neither (the start, time passing, the end), where the pane shown stays.
 */
export function paneFor(step: Step): 'message' | 'browser' | null {
  if (step.awaiting !== null) return 'browser'
  switch (step.kind.type) {
    case 'user':
      return 'browser'
    case 'request':
    case 'response': {
      if (step.kind.type === 'request' || step.to !== 'browser') return 'message'
      const id = step.kind.exchangeId
      const response = step.snapshot.exchanges.find((x) => x.id === id)?.response
      const type = response?.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1]
      return response && response.status < 300 && /^text\/html/i.test(type ?? '')
        ? 'browser'
        : 'message'
    }
    case 'attacker':
      return 'message'
    case 'start':
    case 'time':
    case 'end':
      return null
    default: {
      const never: never = step.kind
      return never
    }
  }
}
