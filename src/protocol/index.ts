/**
 * The simulated world: servers as handlers over plain HTTP messages, a browser, a network, a
 * seeded random generator and a simulated clock.
 */
export { createLab, assembleWorld, type Lab, type LabOptions } from './lab.ts'
export { BrowserFlowError, type Browser, type BrowserOptions, type AuthorizeOptions, type PageFetchResult } from './browser.ts'
export {
  ATTACKER_ACCOUNT,
  maliciousAuthorizationServerMetadata,
  type Attacker,
  type AttackerClient,
  type AttackerResult,
} from './attacker.ts'
export { generateSigningKey, s256Challenge, isCodeVerifier, type SigningKey } from './crypto.ts'
export { createWorld, createWorldState, initialAttackerState, type World, type WorldOptions, type WorldSettingsInput, type NetworkEvent, type Handler, type RequestInterceptor } from './world.ts'
export { authorizationServerMetadata, AS_SESSION_COOKIE } from './authorizationServer.ts'
export { CLIENT_SESSION_COOKIE } from './webClient.ts'
export { SPA_SESSION, type SpaApp } from './spaClient.ts'
export { buildTokenEndpointRequest } from './clientCore.ts'
export { getHeader } from './http.ts'
export { pageKind as pageKindOfHtml, textById } from './html.ts'
export * from './state.ts'
export type * from './types.ts'
