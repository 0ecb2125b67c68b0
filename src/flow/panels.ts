/**
 * The panes a lab can show. The page shows them all; an embed picks some with `panels=`
 * (`panels=diagram,narration`), in any order: the lab lays them out in its own order.
 */
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
