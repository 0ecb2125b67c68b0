/**
 * OAuth Flow Lab's package entry (`import { createLab } from 'oauth-flow-lab'`): the headless API,
 * the simulated world. It loads no React (the React component is `oauth-flow-lab/react`).
 */
export * from './protocol/index.ts'
