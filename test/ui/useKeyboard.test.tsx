// @vitest-environment jsdom
import { cleanup, fireEvent, render } from '@testing-library/react'
import { useRef } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LabStore } from '../../src/store/index.ts'
import { focusLab, useKeyboard } from '../../src/ui/useKeyboard.ts'

afterEach(cleanup)

/** A store whose actions only record that they were called: the hook's whole contract. */
function fakeStore() {
  const actions = {
    next: vi.fn(async () => {}),
    back: vi.fn(),
    first: vi.fn(),
    last: vi.fn(async () => {}),
    togglePlay: vi.fn(),
  }
  const store = { getState: () => actions } as unknown as LabStore
  const called = () =>
    Object.entries(actions)
      .filter(([, f]) => f.mock.calls.length > 0)
      .map(([name]) => name)
  return { store, actions, called }
}

function Page({ store }: { store: LabStore }) {
  useKeyboard(store, 'document')
  return (
    <div className="ofl-lab">
      <select aria-label="Speed" defaultValue="1">
        <option value="0.5">0.5×</option>
        <option value="1">1×</option>
        <option value="2">2×</option>
      </select>
      <input type="range" aria-label="Step" min={0} max={10} defaultValue={3} />
      <input aria-label="Text" />
      <input type="search" aria-label="Search" />
      <input type="password" aria-label="Password" />
      <input type="number" aria-label="Number" />
      <textarea aria-label="Area" />
      <div contentEditable aria-label="Editable" suppressContentEditableWarning>
        x
      </div>
      <input type="radio" name="r" aria-label="One" />
      <input type="radio" name="r" aria-label="Two" />
      <input type="checkbox" aria-label="Box" />
      <button type="button">Button</button>
    </div>
  )
}

const el = (label: string) => document.querySelector<HTMLElement>(`[aria-label="${label}"]`)!
const ACTION: Record<string, string> = {
  ArrowRight: 'next',
  PageDown: 'next',
  ArrowLeft: 'back',
  PageUp: 'back',
  Home: 'first',
  End: 'last',
}

/** Presses `key` on `target`; whether the page's default (moving a caret, changing a value) was stopped. */
function press(target: Element | Document, key: string, init: KeyboardEventInit = {}): boolean {
  return !fireEvent.keyDown(target, { key, ...init })
}

describe('useKeyboard', () => {
  it('steps from anywhere on the page', () => {
    const { store, called } = fakeStore()
    render(<Page store={store} />)
    expect(press(document.body, 'ArrowRight')).toBe(true)
    expect(called()).toEqual(['next'])
    expect(press(document.body, ' ')).toBe(true)
    expect(called()).toEqual(['next', 'togglePlay'])
  })

  describe.each(['Speed', 'Step'])('when a %s control (select or range) has focus', (label) => {
    it.each(Object.entries(ACTION))(
      '%s is the lab’s, and never changes the control',
      (key, action) => {
        const { store, called } = fakeStore()
        render(<Page store={store} />)
        const control = el(label)
        control.focus()
        const before = (control as HTMLInputElement).value
        expect(press(control, key)).toBe(true)
        expect(called()).toEqual([action])
        expect((control as HTMLInputElement).value).toBe(before)
      },
    )

    it('leaves the keys that are not the lab’s (↑ ↓) to the control', () => {
      const { store, called } = fakeStore()
      render(<Page store={store} />)
      expect(press(el(label), 'ArrowDown')).toBe(false)
      expect(press(el(label), 'ArrowUp')).toBe(false)
      expect(called()).toEqual([])
    })
  })

  it('leaves Space to a select (it opens the list) and plays from a range', () => {
    const { store, called } = fakeStore()
    render(<Page store={store} />)
    expect(press(el('Speed'), ' ')).toBe(false)
    expect(called()).toEqual([])
    expect(press(el('Step'), ' ')).toBe(true)
    expect(called()).toEqual(['togglePlay'])
  })

  describe.each(['Text', 'Search', 'Password', 'Number', 'Area', 'Editable'])(
    'when the learner types in %s',
    (label) => {
      it('never takes a key', () => {
        const { store, called } = fakeStore()
        render(<Page store={store} />)
        const field = el(label)
        if (label === 'Editable') Object.defineProperty(field, 'isContentEditable', { value: true })
        for (const key of [...Object.keys(ACTION), ' ']) expect(press(field, key), key).toBe(false)
        expect(called()).toEqual([])
      })
    },
  )

  it('leaves a radio group its arrows, and takes the clicker keys', () => {
    const { store, called } = fakeStore()
    render(<Page store={store} />)
    expect(press(el('One'), 'ArrowRight')).toBe(false)
    expect(press(el('One'), 'ArrowLeft')).toBe(false)
    expect(press(el('One'), ' ')).toBe(false)
    expect(called()).toEqual([])
    expect(press(el('One'), 'PageDown')).toBe(true)
    expect(called()).toEqual(['next'])
  })

  it('takes the arrows on a checkbox and a button, and leaves them Space', () => {
    const { store, called } = fakeStore()
    render(<Page store={store} />)
    expect(press(el('Box'), 'ArrowRight')).toBe(true)
    expect(press(el('Box'), ' ')).toBe(false)
    const button = document.querySelector('button')!
    expect(press(button, 'ArrowLeft')).toBe(true)
    expect(press(button, ' ')).toBe(false)
    expect(called()).toEqual(['next', 'back'])
  })

  it('takes nothing with a modifier, while composing text, or once something else handled it', () => {
    const { store, called } = fakeStore()
    render(<Page store={store} />)
    for (const mod of ['altKey', 'ctrlKey', 'metaKey'] as const) {
      expect(press(document.body, 'ArrowRight', { [mod]: true })).toBe(false)
    }
    expect(press(el('Speed'), 'ArrowRight', { isComposing: true })).toBe(false)
    const handled = new KeyboardEvent('keydown', {
      key: 'ArrowRight',
      bubbles: true,
      cancelable: true,
    })
    handled.preventDefault()
    document.body.dispatchEvent(handled)
    expect(called()).toEqual([])
  })

  it('in an embed, listens only inside the lab', () => {
    const { store, called } = fakeStore()
    function Embed() {
      const ref = useRef<HTMLDivElement>(null)
      useKeyboard(store, ref)
      return (
        <div ref={ref} className="ofl-lab" tabIndex={-1}>
          <select aria-label="Inside">
            <option>a</option>
          </select>
        </div>
      )
    }
    render(<Embed />)
    press(document.body, 'ArrowRight')
    expect(called()).toEqual([])
    expect(press(el('Inside'), 'ArrowRight')).toBe(true)
    expect(called()).toEqual(['next'])
  })
})

describe('focusLab', () => {
  it('focuses the lab’s root from inside it, which takes focus from code but is no Tab stop', () => {
    render(
      <div className="ofl-lab" data-testid="root">
        <button type="button">Inside</button>
      </div>,
    )
    const root = document.querySelector<HTMLElement>('.ofl-lab')!
    focusLab(document.querySelector('button'))
    expect(document.activeElement).toBe(root)
    expect(root.getAttribute('tabindex')).toBe('-1')
  })

  it('keeps a tabindex the lab rendered', () => {
    render(
      <div className="ofl-lab" tabIndex={0}>
        <button type="button">Inside</button>
      </div>,
    )
    focusLab(document.querySelector('button'))
    expect(document.activeElement).toBe(document.querySelector('.ofl-lab'))
    expect(document.querySelector('.ofl-lab')?.getAttribute('tabindex')).toBe('0')
  })

  it('does nothing outside a lab, or from nothing', () => {
    render(<button type="button">Alone</button>)
    const button = document.querySelector('button')!
    button.focus()
    focusLab(button)
    focusLab(null)
    expect(document.activeElement).toBe(button)
  })
})
