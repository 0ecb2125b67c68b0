/**
 * Exports of what the learner saw at a step: HAR 1.2, the lab's JSON document, Mermaid text and
 * a standalone SVG. Pure functions of the run; the UI loads this module only when asked.
 */
export {
  CREATOR,
  diagramRows,
  exportFileName,
  exportTitle,
  isoTime,
  type DiagramRow,
  type ExportSource,
} from './source.ts'
export {
  toHar,
  parseCookieHeader,
  parseSetCookie,
  type Har,
  type HarCookie,
  type HarEntry,
  type HarPage,
  type HarPostData,
  type HarRequest,
  type HarResponse,
  type HarNameValue,
  type HarContent,
  type HarTimings,
} from './har.ts'
export {
  toExchangesDocument,
  toExchangesJson,
  type ExchangesDocument,
  type ExportedExchange,
} from './json.ts'
export { toMermaid, mermaidText } from './mermaid.ts'
export { toSvg, xmlEscape } from './svg.ts'
