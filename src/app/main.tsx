// First, so the key generation and the run start while everything else is still evaluated.
import { pageStore } from './store.ts'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.tsx'

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App store={pageStore} />
    </StrictMode>,
  )
}
