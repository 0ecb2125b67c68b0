/** The store: the step machine the UI drives. */
export { createLabStore, loadEngine, SPEEDS, BASE_INTERVAL, type LabStore, type LabState, type LabActions, type LabStoreOptions, type Scheduler, type Theme } from './labStore.ts'
export { LabProvider, useLab, useLabDeferred, useLabStore } from './react.tsx'
export * from './selectors.ts'
