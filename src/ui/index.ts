/** The UI: React components over the store. */
export { Lab, type LabProps } from './Lab.tsx'
