/**
 * An embed's settings: the same names as the page's URL parameters (`labUrl.ts`), whether they come
 * from an iframe's address, a web component's attributes or a React component's props. All of them
 * become one query string and go through `parseLabQuery`, so every way in gets the same checks and
 * the same plain-text notice for what was ignored.
 */
import { LINK_PARAMS } from '../flow/links/labUrl.ts'

export type EmbedParamName = (typeof LINK_PARAMS)[number]

/** The names, as attributes of `<oauth-flow-lab>` and props of `OAuthFlowLab`. */
export const EMBED_PARAMS: readonly EmbedParamName[] = LINK_PARAMS

/**
 * Each setting as text (an attribute), a number (`step`), a switch (`pkce`, `state`, …) or a list
 * (`panels`, from a React prop: joined with commas).
 */
export type EmbedParams = Partial<
  Record<EmbedParamName, string | number | boolean | readonly string[] | null>
>

/** Longest value read as given: the longest honest one is a scope list (16 names of 64). */
const MAX_VALUE = 1100
/** How much of a longer value is kept, so the notice can quote it. */
const KEEP = 48

/**
 * The query string for an embed's settings (without the `?`). Unknown names are left out; missing
 * and null values too. A value too long to be honest is cut and marked with `…`, which no setting
 * accepts, so it is ignored with a notice instead of making the whole query too long to read.
 */
export function embedQuery(params: EmbedParams): string {
  const out = new URLSearchParams()
  for (const name of EMBED_PARAMS) {
    if (!Object.hasOwn(params, name)) continue
    const value = params[name]
    if (value === undefined || value === null) continue
    let text: string
    if (typeof value === 'boolean') text = value ? 'on' : 'off'
    else if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : 'NaN'
    else if (typeof value === 'string') text = value
    else if (Array.isArray(value))
      // Whatever is not text in a list is left out; the text is checked like the attribute's.
      text = (value as readonly unknown[]).filter((v) => typeof v === 'string').join(',')
    else continue
    out.set(name, text.length > MAX_VALUE ? `${text.slice(0, KEEP)}…` : text)
  }
  return out.toString()
}

/** Reads an element's attributes (or anything with `getAttribute`) as embed settings. */
export function paramsFromAttributes(el: {
  getAttribute(name: string): string | null
}): EmbedParams {
  const out: EmbedParams = {}
  for (const name of EMBED_PARAMS) {
    const value = el.getAttribute(name)
    if (value !== null) out[name] = value
  }
  return out
}
