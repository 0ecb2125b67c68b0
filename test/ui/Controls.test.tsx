// @vitest-environment jsdom
import { readFileSync } from 'node:fs'
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { chaptersOf } from '../../src/flow/views/chapters.ts'
import { Controls } from '../../src/ui/Controls/Controls.tsx'
import { manualTimers, newStore, renderWithLab, whenComplete, renderComputed } from './render.tsx'

afterEach(cleanup)

const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement

describe('Controls', () => {
  it('moves with Next and Back; Back is disabled at the first step', async () => {
    const { store, user } = await renderComputed(<Controls />)
    expect(button('Back').disabled).toBe(true)
    expect(button('Reset').disabled).toBe(true)
    await user.click(button('Next'))
    await user.click(button('Next'))
    expect(store.getState().index).toBe(2)
    expect(button('Back').disabled).toBe(false)
    await user.click(button('Back'))
    expect(store.getState().index).toBe(1)
  })

  it('disables Next at the end, and Reset returns to the first step', async () => {
    const { store, user } = await renderComputed(<Controls />)
    await act(() => store.getState().last())
    expect(button('Next').disabled).toBe(true)
    await user.click(button('Reset'))
    expect(store.getState().index).toBe(0)
    expect(button('Next').disabled).toBe(false)
  })

  it('jumps with the scrubber and names the step in its value text', async () => {
    const { store } = await renderComputed(<Controls />)
    const { steps } = store.getState()
    const slider = screen.getByRole('slider', { name: 'Step' }) as HTMLInputElement
    expect(slider.max).toBe(String(steps.length - 1))
    await act(async () => {
      fireEvent.change(slider, { target: { value: '9' } })
    })
    expect(store.getState().index).toBe(9)
    expect(slider.getAttribute('aria-valuetext')).toBe(
      `Step 10 of ${steps.length}: ${steps[9]!.title}`,
    )
  })

  it('sets the speed', async () => {
    const { store, user } = await renderComputed(<Controls />)
    const select = screen.getByRole('combobox', { name: 'Speed' })
    expect(
      within(select)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['0.5×', '1×', '1.5×', '2×', '3×', '4×'])
    await user.selectOptions(select, '2')
    expect(store.getState().speed).toBe(2)
  })

  it('toggles Play and Pause, and plays on the scheduler', async () => {
    const timers = manualTimers()
    const { store, user } = await renderComputed(<Controls />, newStore({ timers }))
    await user.click(button('Play'))
    expect(store.getState().playing).toBe(true)
    expect(timers.pending()).toBe(1)
    await act(async () => {
      timers.flush()
      await Promise.resolve()
    })
    expect(store.getState().index).toBe(1)
    await user.click(button('Pause'))
    expect(store.getState().playing).toBe(false)
    expect(button('Play')).toBeTruthy()
    expect(timers.pending()).toBe(0)
  })

  it('shows the keyboard shortcuts', async () => {
    await renderComputed(<Controls />)
    expect(screen.getByText(/Keyboard:/).textContent).toBe('Keyboard: ← → Space Home End')
  })

  it('keeps Play and Pause the same width: both words are in the button, one hidden', async () => {
    const timers = manualTimers()
    const { user } = await renderComputed(<Controls />, newStore({ timers }))
    const play = button('Play')
    expect(play.querySelector('[aria-hidden="true"].ofl-controls-sizer')?.textContent).toBe('Pause')
    await user.click(play)
    const pause = button('Pause')
    expect(pause).toBe(play)
    expect(pause.querySelector('[aria-hidden="true"].ofl-controls-sizer')?.textContent).toBe('Play')
  })

  it('gives the step count and the chapter menu one width whatever the step', () => {
    const css = readFileSync('src/ui/Controls/Controls.css', 'utf8')
    const rule = (selector: string) =>
      new RegExp(`${selector.replace(/[.[\]()]/g, '\\$&')} \\{([^}]*)\\}`).exec(css)?.[1] ?? ''
    expect(rule('.ofl-controls-count')).toMatch(/font-variant-numeric: tabular-nums/)
    expect(rule('.ofl-controls-count')).toMatch(/min-width: [89]ch/)
    expect(rule('.ofl-controls-count')).toMatch(/white-space: nowrap/)
    expect(rule('.ofl-controls-chapter select')).toMatch(/\bwidth: \d+(\.\d+)?em/)
    expect(rule('.ofl-controls-sizer')).toMatch(/visibility: hidden/)
    expect(rule(".ofl-controls[data-variant='compact'] .ofl-controls-count")).toMatch(
      /min-width: 1[6-9]ch/,
    )
  })
})

describe('chapters on the scrubber', () => {
  it('ticks each chapter’s start, for the eye only, placed by percentage', async () => {
    const { container, store } = await renderComputed(<Controls />)
    const { steps } = store.getState()
    const chapters = chaptersOf(steps)
    const ticks = container.querySelector('.ofl-controls-ticks')!
    expect(ticks.getAttribute('aria-hidden')).toBe('true')
    const marks = Array.from(ticks.querySelectorAll<HTMLElement>('[data-chapter]'))
    // The first chapter starts at the slider's start: no tick there.
    expect(marks.map((m) => m.dataset.chapter)).toEqual(chapters.slice(1).map((c) => c.id))
    marks.forEach((m, i) => {
      const start = chapters[i + 1]!.start
      expect(parseFloat(m.style.left)).toBeCloseTo((start / (steps.length - 1)) * 100, 5)
      expect(m.style.left.endsWith('%')).toBe(true)
    })
    expect(ticks.querySelector('[data-parted]')).toBeNull()
  })

  it('goes to a chapter’s first step from the Chapter menu, then gives the keyboard to the lab', async () => {
    const { container, store, user } = await renderComputed(
      <div className="ofl-lab">
        <Controls />
      </div>,
    )
    const chapters = chaptersOf(store.getState().steps)
    const menu = screen.getByRole('combobox', { name: 'Chapter' }) as HTMLSelectElement
    expect(
      within(menu)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(chapters.map((c) => `${c.name} (step ${c.start + 1})`))
    expect(menu.value).toBe('start')
    const token = chapters.find((c) => c.name === 'Token')!
    await user.selectOptions(menu, token.id)
    expect(store.getState().index).toBe(token.start)
    expect(menu.value).toBe(token.id)
    const root = container.querySelector<HTMLElement>('.ofl-lab')!
    expect(document.activeElement).toBe(root)
    // Focusable by script only, not a stop in the tab order.
    expect(root.tabIndex).toBe(-1)
    // Stepping on within the chapter keeps it chosen; stepping past its end shows the next one.
    await act(() => store.getState().goTo(token.end + 1))
    expect(menu.value).toBe(chapters[chapters.indexOf(token) + 1]!.id)
  })

  it('leaves an embed root’s own tabindex alone', async () => {
    const { container, user } = await renderComputed(
      <div className="ofl-lab" tabIndex={0}>
        <Controls />
      </div>,
    )
    await user.selectOptions(screen.getByRole('combobox', { name: 'Chapter' }), 'code')
    const root = container.querySelector<HTMLElement>('.ofl-lab')!
    expect(document.activeElement).toBe(root)
    expect(root.tabIndex).toBe(0)
  })

  it('is disabled until the run has steps', () => {
    const store = newStore()
    renderWithLab(<Controls />, store)
    const menu = screen.getByRole('combobox', { name: 'Chapter' }) as HTMLSelectElement
    expect(menu.disabled).toBe(true)
    expect(store.getState().steps).toHaveLength(0)
  })

  it('marks where the run parts from the variant it was switched from', async () => {
    const { container, store } = await renderComputed(
      <Controls />,
      newStore({ config: { scenario: 'code-interception', variant: 'vulnerable' } }),
    )
    await act(() => store.getState().last())
    await act(() => store.getState().setVariant('defended'))
    await act(() => whenComplete(store))
    const { parted, steps } = store.getState()
    expect(parted).not.toBeNull()
    const mark = container.querySelector<HTMLElement>('.ofl-controls-ticks [data-parted="true"]')!
    expect(parseFloat(mark.style.left)).toBeCloseTo((parted! / (steps.length - 1)) * 100, 5)
    expect(mark.dataset.chapter).toBeUndefined()
  })
})
