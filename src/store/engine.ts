/**
 * The simulated world and the step machine over it — the protocol, jose, the scenarios' beats —
 * loaded by the store on demand, so a lab's first step shows before they have loaded.
 */
export { createFlow } from '../flow/engine/flow.ts'
export { generateSigningKey } from '../protocol/crypto.ts'
