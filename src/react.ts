/**
 * The package's React entry (`import { OAuthFlowLab } from 'oauth-flow-lab/react'`): the lab as a
 * React component, for documentation sites. The headless API is the package's `.` entry
 * (src/index.ts), which loads no React.
 */
export { OAuthFlowLab, type OAuthFlowLabProps } from './embed/react.tsx'
