import { useState } from 'react'
import { LabProvider, createLabStore, type LabStore } from '../store/index.ts'
import { Lab } from '../ui/index.ts'
import { ScenarioPicker } from '../ui/ScenarioPicker/ScenarioPicker.tsx'
import { Settings } from '../ui/Settings/Settings.tsx'
import { Share } from '../ui/Share/Share.tsx'
import { Embed } from '../ui/Embed/Embed.tsx'
import './App.css'

/**
 * The page: the lab with its title bar, scenario picker, settings, Share and Embed. Opened from
 * disk (the offline file) there is nothing beside it to embed, so Embed is left out: `offline`
 * says so (the build's prerender of the offline file), else the page's address does.
 */
export function App({ store, offline }: { store?: LabStore; offline?: boolean }) {
  const embeddable = !(
    offline ??
    (typeof location !== 'undefined' && location.protocol === 'file:')
  )
  const [own] = useState(() => store ?? createLabStore())
  return (
    <LabProvider store={own}>
      <Lab
        keyboard="document"
        header={
          <header className="ofl-header">
            <h1>
              OAuth Flow Lab{' '}
              <span className="ofl-subtitle">the Authorization Code flow, step by step</span>
            </h1>
            <div className="ofl-header-tools">
              <ScenarioPicker />
              <Settings />
              <div className="ofl-header-links">
                <Share />
                {embeddable ? <Embed /> : null}
              </div>
            </div>
          </header>
        }
      />
    </LabProvider>
  )
}
