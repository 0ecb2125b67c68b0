/**
 * The library build's entry (`import … from 'oauth-flow-lab'`): the headless API, and the React
 * component for documentation sites. (src/index.ts is the headless API alone, for scripts run
 * from source.)
 */
export * from './index.ts'
export { OAuthFlowLab, type OAuthFlowLabProps } from './embed/react.tsx'
