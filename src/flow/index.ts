/** Scenarios and steps: the step machine over the simulated world. */
export { createFlow, FlowError, type Flow } from './flow.ts'
export { defaultConfig, normalizeScope, worldSettings, KNOWN_SCOPES } from './config.ts'
export { nextAction, awaitingOf, defaultInput } from './director.ts'
export { describeExchange, describeUser, describeTime, describeAttackerMove, LINKS, ROLE_NAMES, requestLabel, responseLabel, shortUrl } from './narration.ts'
export { SCENARIO_INFO, loadScenario, findScenarioInfo, scenarioConfig, isScenarioId, resolveScenario, scenarioNextAction, type ResolvedScenario, type Scenario, type ScenarioContext, type ScenarioEnding, type ScenarioId, type ScenarioInfo, type ScenarioVariant, type ConfigPatch } from './scenarios/index.ts'
export type { FlowErrorCode } from './errors.ts'
export { stateSections, stateRows, formatInstant, formatTimeOfDay, formatDuration, formatRelative, formatExpiry, shortenValue, LONG_VALUE, type StateRole, type StateRow, type StateSection } from './stateView.ts'
export { isJwt, decodeJwtParts, findJwts, jwtKind, explainHeader, explainClaims, checkJwtSignature, type DecodedJwt, type JwtOccurrence, type ClaimLine, type SignatureCheck } from './jwt.ts'
export { toCurl, shellQuote, rawRequest, rawResponse } from './curl.ts'
export { exchangeView, requestView, responseView, bodyView, urlView, decodeAuthorization, type ExchangeView, type RequestView, type ResponseView, type BodyView, type UrlView, type MessageField, type HeaderField, type AuthorizationView, type BasicProblem } from './messageView.ts'
export type * from './types.ts'
export { startPreview } from './start.ts'
export { parsePage, browserView, splitAddress, reasonPhrase, answerStepFor, ANSWER_FORMS, type PageModel, type Block, type Inline, type FormItem, type FormInput, type FormButton, type BrowserView } from './pageModel.ts'
export { visibleExchanges, messagesUpTo } from './visible.ts'
export { chaptersOf, chapterAt, type Chapter, type ChapterStep } from './chapters.ts'
export { divergenceIndex, matchingStep, sameStep } from './variants.ts'
// The exports (HAR, JSON, Mermaid, SVG) are loaded on demand: a static re-export would put them in
// every bundle that imports the flow. Import './exports/index.ts' directly, or with import() where
// they load on demand (the UI's Exports).
export type * from './exports/index.ts'
export { attackerMoveStatus, laneStatuses } from './statuses.ts'
export { laneStatusText, type LaneStatus } from './laneStatus.ts'
