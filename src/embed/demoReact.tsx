/**
 * The React part of the demo page (public/demo.html): the component imported by its package name.
 * The build points that name at the built library (dist/lib), so the demo proves the library
 * works; `vite dev` points it at the source.
 */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { OAuthFlowLab } from 'oauth-flow-lab/react'

const mount = document.getElementById('react-lab')
if (mount) {
  createRoot(mount).render(
    <StrictMode>
      <OAuthFlowLab scenario="oidc" theme="system" controls="compact" />
    </StrictMode>,
  )
}
