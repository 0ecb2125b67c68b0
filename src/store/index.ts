/** The store: the step machine the UI drives. */
export {
  createLabStore,
  loadEngine,
  SPEEDS,
  BASE_INTERVAL,
  type LabStore,
  type LabState,
  type LabAction,
  type LabActions,
  type LabStoreOptions,
  type Theme,
} from './labStore.ts'
export { reduce, initialState } from './reducer.ts'
export { createTimers, type Timers, type Cancel } from './timers.ts'
export {
  LabProvider,
  useLab,
  useLabDeferred,
  useLabStore,
  paintedView,
  type PaintedView,
} from './react.tsx'
export * from './selectors.ts'
