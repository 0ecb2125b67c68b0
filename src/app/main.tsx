// First, so the key generation and the run start while everything else is still evaluated.
import { pageStore } from './store.ts'
import { parseLabQuery } from '../flow/links/labUrl.ts'
import { mountLab } from '../ui/mount.tsx'
import { prerenderKey } from '../ui/prerender.ts'
import { App } from './App.tsx'

const root = document.getElementById('root')
// The first step is in the HTML (prerendered for the default link, served or opened from disk):
// hydrated if this address opens the same, else rendered afresh.
const page = location.protocol === 'file:' ? 'offline' : 'page'
if (root)
  mountLab(root, prerenderKey(page, parseLabQuery(location.search)), <App store={pageStore} />)
