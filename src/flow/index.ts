/** Scenarios and steps: the step machine over the simulated world. */
export { createFlow, FlowError, type Flow } from './flow.ts'
export { defaultConfig, normalizeScope, worldSettings, KNOWN_SCOPES } from './config.ts'
export { nextAction, awaitingOf, defaultInput } from './director.ts'
export { describeExchange, describeUser, laneStatuses, LINKS, ROLE_NAMES, requestLabel, responseLabel, shortUrl } from './narration.ts'
export type * from './types.ts'
