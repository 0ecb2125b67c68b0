// @vitest-environment jsdom
/**
 * The prerendered first step (src/ui/prerender.ts): the markup the build writes into index.html
 * hydrates in the browser's first render without a mismatch, in both forms, an hour later than it
 * was rendered; a mismatch is reported (console and the root's mark); markup rendered for another
 * link is thrown away.
 */
import { act, cleanup, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Root } from 'react-dom/client'
import { prerenderPage } from '../../src/app/prerender.tsx'
import { parseLabQuery } from '../../src/flow/links/labUrl.ts'
import {
  HYDRATION_ATTR,
  HYDRATION_MISMATCH,
  PRERENDER_ATTR,
  RENDER_ATTR,
  claimPrerendered,
  prerenderKey,
} from '../../src/ui/prerender.ts'

let errors: string[] = []
let container: HTMLElement

beforeEach(() => {
  errors = []
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errors.push(args.map(String).join(' '))
  })
  container = document.createElement('div')
  container.id = 'root'
  document.body.append(container)
})

/** The roots the page's script mounted: unmounted after each test, before jsdom goes. */
const mounted: Root[] = []

afterEach(() => {
  for (const root of mounted.splice(0)) act(() => root.unmount())
  cleanup()
  container.remove()
  vi.useRealTimers()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

/** The build's markup for the page, in the root as index.html has it. */
async function prerendered(edit: (html: string) => string = (h) => h) {
  const { key, html } = await prerenderPage()
  container.setAttribute(PRERENDER_ATTR, key)
  container.innerHTML = edit(html)
  return { key, html }
}

/**
 * The page's script, in modules of its own: the build and the browser never share a module (React's
 * development build warns when two renderers have used the same context object).
 */
async function pageScript() {
  vi.resetModules()
  const [{ App }, { storeForQuery }, { mountLab }] = await Promise.all([
    import('../../src/app/App.tsx'),
    import('../../src/app/store.ts'),
    import('../../src/ui/mount.tsx'),
  ])
  return (root: HTMLElement, search: string) => {
    const { mode, root: react } = mountLab(
      root,
      prerenderKey('page', parseLabQuery(search)),
      <App store={storeForQuery(search)} />,
    )
    mounted.push(react)
    return mode
  }
}

describe('the page’s prerendered first step', () => {
  it('is the first step in both forms, wide then narrow', async () => {
    const { html } = await prerendered()
    const labs = Array.from(container.children)
    expect(labs.map((l) => l.getAttribute('data-form'))).toEqual(['wide', 'narrow'])
    expect(html).toContain('Ready: a web app with a server of its own')
    expect(html).not.toMatch(/\sstyle="/)
  })

  for (const width of [1366, 390]) {
    it(`hydrates at ${width} px, an hour after it was rendered, without a mismatch`, async () => {
      await prerendered()
      const mount = await pageScript()
      // The moment and the device differ from the build's.
      vi.useFakeTimers({ now: Date.now() + 3_600_000, toFake: ['Date'] })
      vi.stubGlobal('innerWidth', width)
      const form = width >= 900 ? 'wide' : 'narrow'
      const kept = container.querySelector(`[data-form="${form}"]`)
      let how: string | undefined
      await act(async () => {
        how = mount(container, '')
      })
      expect(how).toBe('hydrate')
      // The very element of the markup is the lab now: hydrated, not replaced.
      await waitFor(() => expect(container.querySelector('.ofl-lab')).toBe(kept))
      expect(container.children).toHaveLength(1)
      await waitFor(
        () => expect(container.querySelector('.ofl-lab')?.getAttribute('data-ready')).toBe('true'),
        { timeout: 15_000 },
      )
      expect(container.querySelector('.ofl-lab')).toBe(kept)
      expect(container.hasAttribute(HYDRATION_ATTR)).toBe(false)
      expect(errors).toEqual([])
    })
  }

  it('reports a mismatch: a console error that says so, and the root marked', async () => {
    await prerendered((html) => html.replace('Sequence diagram</h2>', 'Sequence diagrams</h2>'))
    const mount = await pageScript()
    vi.stubGlobal('innerWidth', 1366)
    await act(async () => {
      mount(container, '')
    })
    await waitFor(() => expect(container.getAttribute(HYDRATION_ATTR)).toBe('mismatch'))
    expect(errors.some((e) => e.includes(HYDRATION_MISMATCH))).toBe(true)
  })

  it('an attribute that differs is a console error too (React’s development build says so)', async () => {
    await prerendered((html) => html.replace('data-step-index="0"', 'data-step-index="3"'))
    const mount = await pageScript()
    vi.stubGlobal('innerWidth', 1366)
    await act(async () => {
      mount(container, '')
    })
    await waitFor(() => expect(errors.join('\n')).toMatch(/didn.t match/))
  })
})

describe('claimPrerendered', () => {
  it('keeps the markup for the same link, the form the window’s width calls for', async () => {
    await prerendered()
    vi.stubGlobal('innerWidth', 390)
    // Parameters the lab does not read change nothing (an embed's origins=, a tracker's utm_…).
    expect(claimPrerendered(container, prerenderKey('page', parseLabQuery('?utm_source=x')))).toBe(
      'narrow',
    )
    expect(container.children).toHaveLength(1)
    expect(container.firstElementChild?.getAttribute('data-form')).toBe('narrow')
    expect(container.hasAttribute(PRERENDER_ATTR)).toBe(false)
    expect(container.getAttribute(RENDER_ATTR)).toBe('hydrate')
  })

  for (const search of [
    '?scenario=pkce-spa',
    '?step=2',
    '?theme=dark',
    '?scope=openid',
    '?seed=x',
  ]) {
    it(`empties the root for another first state (${search})`, async () => {
      await prerendered()
      expect(claimPrerendered(container, prerenderKey('page', parseLabQuery(search)))).toBeNull()
      expect(container.childNodes).toHaveLength(0)
      expect(container.getAttribute(RENDER_ATTR)).toBe('render')
    })
  }

  it('renders afresh where nothing was prerendered (the dev server)', () => {
    expect(claimPrerendered(container, prerenderKey('page', parseLabQuery('')))).toBeNull()
    expect(container.getAttribute(RENDER_ATTR)).toBe('render')
  })
})
