/** Scenarios and steps: the step machine over the simulated world. */
export { createFlow, FlowError, type Flow } from './engine/flow.ts'
export { defaultConfig, normalizeScope, worldSettings, KNOWN_SCOPES } from './config.ts'
export { nextAction, awaitingOf, defaultInput } from './engine/director.ts'
export { describeExchange, describeUser, describeTime, describeAttackerMove, LINKS, ROLE_NAMES, requestLabel, responseLabel, shortUrl } from './narration/narration.ts'
export { SCENARIO_INFO, loadScenario, findScenarioInfo, scenarioConfig, isScenarioId, resolveScenario, scenarioNextAction, type ResolvedScenario, type Scenario, type ScenarioContext, type ScenarioEnding, type ScenarioId, type ScenarioInfo, type ScenarioVariant, type ConfigPatch } from './scenarios/index.ts'
export type { FlowErrorCode } from './engine/errors.ts'
export { stateSections, stateRows, shortenValue, LONG_VALUE, type StateRole, type StateRow, type StateSection } from './views/state.ts'
export { formatInstant, formatTimeOfDay, formatDuration, formatRelative, formatExpiry } from './views/time.ts'
export { isJwt, decodeJwtParts, findJwts, jwtKind, explainHeader, explainClaims, checkJwtSignature, type DecodedJwt, type JwtOccurrence, type ClaimLine, type SignatureCheck } from './views/jwt.ts'
export { toCurl, shellQuote, rawRequest, rawResponse } from './views/curl.ts'
export { exchangeView, requestView, responseView, bodyView, urlView, decodeAuthorization, type ExchangeView, type RequestView, type ResponseView, type BodyView, type UrlView, type MessageField, type HeaderField, type AuthorizationView, type BasicProblem } from './views/message.ts'
export type * from './types.ts'
export { startPreview } from './start.ts'
export { parsePage, browserView, splitAddress, reasonPhrase, answerStepFor, ANSWER_FORMS, type PageModel, type Block, type Inline, type FormItem, type FormInput, type FormButton, type BrowserView } from './views/browser.ts'
export { visibleExchanges, messagesUpTo } from './views/visible.ts'
export { chaptersOf, chapterAt, type Chapter, type ChapterStep } from './views/chapters.ts'
export { divergenceIndex, matchingStep, sameStep } from './variants.ts'
// The exports (HAR, JSON, Mermaid, SVG) are loaded on demand: a static re-export would put them in
// every bundle that imports the flow. Import './exports/index.ts' directly, or with import() where
// they load on demand (the UI's Exports).
export type * from './exports/index.ts'
export { attackerMoveStatus, laneStatuses } from './engine/statuses.ts'
export { laneStatusText, type LaneStatus } from './views/laneStatus.ts'
