// @vitest-environment jsdom
/**
 * What a Next and the first render put on screen first: the narration and the controls at once;
 * the panes (the diagram, the inspector's tab) in a render React may interrupt.
 */
import { act, cleanup, render, screen, waitFor } from '@testing-library/react'
import { flushSync } from 'react-dom'
import { createRoot } from 'react-dom/client'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { LabProvider, loadEngine, paintedView, useLab, useLabDeferred } from '../../src/store/index.ts'
import { Lab } from '../../src/ui/Lab.tsx'
import { manualTimers, newStore, whenComplete } from './render.tsx'

afterEach(() => cleanup())
// The world loads after a page's first paint; these labs hold their paints, so it is loaded first.
beforeAll(() => loadEngine())

describe('useLabDeferred', () => {
  it('shows the value from before a change until the page has painted it, then the new value', async () => {
    const timers = manualTimers({ holdPaints: true })
    const store = newStore({ timers })
    const seen: [number, number][] = []
    function Probe() {
      const now = useLab((s) => s.index)
      const later = useLabDeferred((s) => s.index)
      seen.push([now, later])
      return <p data-testid="probe">{`${now}/${later}`}</p>
    }
    render(
      <LabProvider store={store}>
        <Probe />
      </LabProvider>,
    )
    await whenComplete(store)
    await act(async () => timers.paint())
    expect(screen.getByTestId('probe').textContent).toBe('0/0')
    seen.length = 0
    await act(() => store.getState().next())
    // Until the change is painted, every render sees the new index and the old drawn one.
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.every(([now, later]) => now === 1 && later === 0)).toBe(true)
    expect(screen.getByTestId('probe').textContent).toBe('1/0')
    expect(paintedView(store).getState().index).toBe(0)
    // One catch-up for the change, then a render React may interrupt shows it.
    expect(timers.paints()).toBe(1)
    await act(async () => timers.paint())
    expect(paintedView(store).getState().index).toBe(1)
    expect(seen.at(-1)).toEqual([1, 1])
    expect(screen.getByTestId('probe').textContent).toBe('1/1')
  })

  it('catches up once for several changes before a paint, with the latest state', async () => {
    const timers = manualTimers({ holdPaints: true })
    const store = newStore({ timers })
    // The drawings' view exists from the first render of a drawing.
    const view = paintedView(store)
    await whenComplete(store)
    timers.paint()
    await store.getState().next()
    await store.getState().next()
    store.getState().setSpeed(2)
    expect(timers.paints()).toBe(1)
    expect(view.getState().index).toBe(0)
    timers.paint()
    expect(view.getState()).toBe(store.getState())
    expect(view.getState().index).toBe(2)
    expect(paintedView(store)).toBe(view)
    // A change after the catch-up asks for another.
    store.getState().back()
    expect(timers.paints()).toBe(1)
  })

  it('skips values a burst of changes passed through, and ends at the last one', async () => {
    const store = newStore()
    const later: number[] = []
    function Probe() {
      later.push(useLabDeferred((s) => s.index))
      return null
    }
    render(
      <LabProvider store={store}>
        <Probe />
      </LabProvider>,
    )
    await whenComplete(store)
    later.length = 0
    await act(async () => {
      for (let i = 0; i < 4; i++) await store.getState().next()
    })
    expect(later.at(-1)).toBe(4)
    // Never ahead of the store, never backwards.
    expect(later.every((v, i) => v <= 4 && (i === 0 || v >= later[i - 1]!))).toBe(true)
  })
})

describe('the first render', () => {
  it('puts the stage on screen first, in a layout whose other panels keep their places', async () => {
    const host = document.createElement('div')
    document.body.append(host)
    const store = newStore()
    const g = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
    const wasAct = g.IS_REACT_ACT_ENVIRONMENT
    // A real first render, as the page does it: not inside act, which would flush everything.
    g.IS_REACT_ACT_ENVIRONMENT = false
    const root = createRoot(host)
    try {
      flushSync(() =>
        root.render(
          <LabProvider store={store}>
            <Lab />
          </LabProvider>,
        ),
      )
      // The first commit: Next can be pressed, the step is told.
      expect(screen.getByRole('button', { name: /^next/i })).toBeTruthy()
      expect(host.querySelector('section.ofl-narration')?.textContent).toMatch(/Step 1 of/)
      // The diagram is an empty box in its place; the inspector's pane too.
      const box = host.querySelector('.ofl-layout > div.ofl-sequencediagram')
      expect(box).not.toBeNull()
      expect(box!.childNodes.length).toBe(0)
      expect(host.querySelector('.ofl-pane')?.childNodes.length ?? 0).toBe(0)
      // Then they fill in, without any input.
      await waitFor(() => {
        expect(host.querySelector('section.ofl-sequencediagram')).not.toBeNull()
        expect(host.querySelector('.ofl-pane > section.ofl-panel')).not.toBeNull()
      })
      expect(host.querySelectorAll('.ofl-layout > div.ofl-panel')).toHaveLength(0)
    } finally {
      root.unmount()
      host.remove()
      g.IS_REACT_ACT_ENVIRONMENT = wasAct
    }
  })
})
