/** Programmer errors of the flow layer: each carries a code and quotes the value at fault. */

/** What went wrong in driving a flow. */
export type FlowErrorCode =
  'FLOW_ILLEGAL_STEP' | 'FLOW_BUSY' | 'FLOW_ENDED' | 'FLOW_UNKNOWN_SCENARIO'

/** A programmer error in driving a flow (never a protocol failure: those are exchanges). */
export class FlowError extends Error {
  override readonly name = 'FlowError'
  constructor(
    readonly code: FlowErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`)
  }
}
