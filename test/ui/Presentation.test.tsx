// @vitest-environment jsdom
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { act, cleanup, fireEvent, screen } from '@testing-library/react'
import type userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LabStore } from '../../src/store/index.ts'
import { Lab } from '../../src/ui/Lab.tsx'
import { PRESENTATION_MESSAGES } from '../../src/ui/usePresentation.ts'
import { renderComputed } from './render.tsx'

// Vitest leaves CSS imports (even ?raw) empty; the presentation layout is CSS, so the test reads
// it itself.
const PRESENTATION_CSS = readFileSync(
  join(import.meta.dirname, '../../src/ui/Presentation.css'),
  'utf8',
)

/** jsdom has no Fullscreen API: each test says what the browser does. */
interface FakeFullscreen {
  enabled: boolean
  request: ReturnType<typeof vi.fn>
  exit: ReturnType<typeof vi.fn>
  element: Element | null
  /** The browser leaving full screen by itself (the user pressed Esc). */
  leave(): void
}

function fakeFullscreen(answer: 'grant' | 'refuse' | 'throw', enabled = true): FakeFullscreen {
  const fs: FakeFullscreen = {
    enabled,
    element: null,
    request: vi.fn(),
    exit: vi.fn(),
    leave() {
      fs.element = null
      document.dispatchEvent(new Event('fullscreenchange'))
    },
  }
  fs.request.mockImplementation(function (this: Element) {
    if (answer === 'throw') throw new TypeError('requestFullscreen is not supported here')
    if (answer === 'refuse') return Promise.reject(new TypeError('Permissions check failed'))
    fs.element = this
    document.dispatchEvent(new Event('fullscreenchange'))
    return Promise.resolve()
  })
  fs.exit.mockImplementation(() => {
    fs.leave()
    return Promise.resolve()
  })
  Object.defineProperty(HTMLElement.prototype, 'requestFullscreen', {
    configurable: true,
    value: fs.request,
  })
  Object.defineProperty(document, 'exitFullscreen', { configurable: true, value: fs.exit })
  Object.defineProperty(document, 'fullscreenElement', {
    configurable: true,
    get: () => fs.element,
  })
  Object.defineProperty(document, 'fullscreenEnabled', {
    configurable: true,
    get: () => fs.enabled,
  })
  return fs
}

function removeFakeFullscreen() {
  delete (HTMLElement.prototype as Partial<HTMLElement>).requestFullscreen
  for (const key of ['exitFullscreen', 'fullscreenElement', 'fullscreenEnabled'])
    delete (document as unknown as Record<string, unknown>)[key]
}

let style: HTMLStyleElement | null = null
beforeEach(() => {
  style = document.createElement('style')
  style.textContent = PRESENTATION_CSS
  document.head.append(style)
})
afterEach(() => {
  cleanup()
  style?.remove()
  removeFakeFullscreen()
})

const present = () => screen.getByRole('button', { name: 'Present' })
const root = () => document.querySelector('.ofl-lab') as HTMLElement
const said = () => screen.getByTestId('presentation-status').textContent
const shown = (el: Element | null) => {
  for (let e = el; e; e = e.parentElement) if (getComputedStyle(e).display === 'none') return false
  return el !== null
}

async function renderLab(
  props: { keyboard?: 'document' | 'self' } = {},
): Promise<{ store: LabStore; user: ReturnType<typeof userEvent.setup> }> {
  const { store, user } = await renderComputed(
    <Lab
      {...props}
      header={
        <header data-testid="header">
          <h1>OAuth Flow Lab</h1>
          <label>
            Notes <input type="text" />
          </label>
        </header>
      }
    />,
  )
  return { store, user }
}

describe('Presentation mode', () => {
  it('is a toggle button in the controls, off at first, that turns on and off', async () => {
    const { user } = await renderLab()
    const controls = screen.getByRole('region', { name: 'Controls' })
    expect(controls.contains(present())).toBe(true)
    expect(present().getAttribute('aria-pressed')).toBe('false')
    expect(root().dataset.presenting).toBe('false')
    expect(said()).toBe('')

    await user.click(present())
    expect(present().getAttribute('aria-pressed')).toBe('true')
    expect(root().dataset.presenting).toBe('true')
    expect(said()).toBe(PRESENTATION_MESSAGES.entered)

    await user.click(present())
    expect(present().getAttribute('aria-pressed')).toBe('false')
    expect(root().dataset.presenting).toBe('false')
    expect(said()).toBe(PRESENTATION_MESSAGES.left)
  })

  it('keeps the whole stage — lanes, diagram, narration, inspector, controls — and leaves out only the title bar', async () => {
    const { user } = await renderLab()
    const panels = {
      lanes: screen.getByRole('group', { name: 'Lanes' }),
      diagram: screen.getByRole('region', { name: 'Sequence diagram' }),
      narration: screen.getByRole('region', { name: 'Narration' }),
      controls: screen.getByRole('region', { name: 'Controls' }),
      tabs: screen.getByRole('tablist', { name: 'Panes' }),
      header: screen.getByTestId('header'),
    }
    for (const el of Object.values(panels)) expect(shown(el)).toBe(true)

    await user.click(present())
    for (const kept of ['lanes', 'diagram', 'narration', 'controls', 'tabs'] as const)
      expect(shown(panels[kept]), kept).toBe(true)
    expect(shown(panels.header)).toBe(false)
    // Hidden, not unmounted: leaving brings it back as it was.
    expect(panels.header.isConnected).toBe(true)
    expect(shown(screen.getByTestId('announcer'))).toBe(true)
    expect(shown(screen.getByTestId('presentation-status'))).toBe(true)

    await user.click(present())
    for (const el of Object.values(panels)) expect(shown(el)).toBe(true)
  })

  describe('full screen', () => {
    it('puts the lab root in full screen, and leaving full screen (Esc) leaves the mode', async () => {
      const fs = fakeFullscreen('grant')
      const { user } = await renderLab()
      await user.click(present())
      expect(fs.request).toHaveBeenCalledTimes(1)
      expect(fs.request.mock.contexts[0]).toBe(root())
      expect(document.fullscreenElement).toBe(root())

      act(() => fs.leave())
      expect(root().dataset.presenting).toBe('false')
      expect(present().getAttribute('aria-pressed')).toBe('false')
      expect(said()).toBe(PRESENTATION_MESSAGES.left)
    })

    it('leaves full screen when the button turns the mode off', async () => {
      const fs = fakeFullscreen('grant')
      const { user } = await renderLab()
      await user.click(present())
      await user.click(present())
      expect(fs.exit).toHaveBeenCalledTimes(1)
      expect(document.fullscreenElement).toBeNull()
      expect(root().dataset.presenting).toBe('false')
    })

    it('when refused (an iframe without allow="fullscreen"), still presents, filling the frame', async () => {
      const fs = fakeFullscreen('refuse')
      const { user } = await renderLab({ keyboard: 'self' })
      await user.click(present())
      await act(() => Promise.resolve())
      expect(fs.request).toHaveBeenCalledTimes(1)
      expect(document.fullscreenElement).toBeNull()
      expect(root().dataset.presenting).toBe('true')
      expect(getComputedStyle(root()).position).toBe('fixed')
      // No fullscreenchange ever comes; the mode stays until asked to leave.
      await user.keyboard('{Escape}')
      expect(root().dataset.presenting).toBe('false')
      expect(fs.exit).not.toHaveBeenCalled()
    })

    it('when disabled for the document, does not ask, and still presents', async () => {
      const fs = fakeFullscreen('grant', false)
      const { user } = await renderLab()
      await user.click(present())
      expect(fs.request).not.toHaveBeenCalled()
      expect(root().dataset.presenting).toBe('true')
    })

    it('when the browser throws instead of rejecting, still presents', async () => {
      const fs = fakeFullscreen('throw')
      const { user } = await renderLab()
      await user.click(present())
      expect(fs.request).toHaveBeenCalledTimes(1)
      expect(root().dataset.presenting).toBe('true')
    })

    it('without the Fullscreen API at all (jsdom, old browsers), still presents', async () => {
      const { user } = await renderLab()
      expect('requestFullscreen' in root()).toBe(false)
      await user.click(present())
      expect(root().dataset.presenting).toBe('true')
    })
  })

  describe('keyboard', () => {
    it('P toggles and Escape leaves, but not with Ctrl (print) or while typing', async () => {
      const { user } = await renderLab()
      await user.keyboard('p')
      expect(root().dataset.presenting).toBe('true')
      await user.keyboard('{Escape}')
      expect(root().dataset.presenting).toBe('false')
      await user.keyboard('P')
      expect(root().dataset.presenting).toBe('true')
      await user.keyboard('p')
      expect(root().dataset.presenting).toBe('false')

      await user.keyboard('{Control>}p{/Control}')
      expect(root().dataset.presenting).toBe('false')
      await user.click(screen.getByRole('textbox', { name: 'Notes' }))
      await user.keyboard('presenting')
      expect(root().dataset.presenting).toBe('false')
      expect((screen.getByRole('textbox', { name: 'Notes' }) as HTMLInputElement).value).toBe(
        'presenting',
      )
    })

    it('Escape outside presentation mode is left alone', async () => {
      await renderLab()
      const event = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true })
      document.body.dispatchEvent(event)
      expect(event.defaultPrevented).toBe(false)
      expect(root().dataset.presenting).toBe('false')
    })

    it('moves focus to Present when the focused element is hidden by the mode', async () => {
      const { user } = await renderLab()
      await user.click(screen.getByRole('textbox', { name: 'Notes' }))
      fireEvent.keyDown(screen.getByRole('heading', { name: 'OAuth Flow Lab' }), { key: 'p' })
      expect(root().dataset.presenting).toBe('true')
      expect(document.activeElement).toBe(present())
    })

    it('Page Down / Page Up (a clicker) step while a button, the speed list or the scrubber has focus', async () => {
      const { store, user } = await renderLab()
      await user.click(present())
      expect(document.activeElement).toBe(present())
      await user.keyboard('{PageDown}{PageDown}')
      expect(store.getState().index).toBe(2)
      await user.keyboard('{PageUp}')
      expect(store.getState().index).toBe(1)

      const speed = screen.getByRole('combobox', { name: 'Speed' }) as HTMLSelectElement
      speed.focus()
      await user.keyboard('{PageDown}')
      expect(store.getState().index).toBe(2)
      expect(speed.value).toBe('1')

      const scrubber = screen.getByRole('slider', { name: 'Step' })
      scrubber.focus()
      await user.keyboard('{PageDown}{PageDown}{PageUp}')
      expect(store.getState().index).toBe(3)
      expect(root().dataset.presenting).toBe('true')
    })

    it('Page Down in a text field is the field’s own', async () => {
      const { store, user } = await renderLab()
      await user.click(screen.getByRole('textbox', { name: 'Notes' }))
      await user.keyboard('{PageDown}')
      expect(store.getState().index).toBe(0)
    })

    describe('with the keyboard scoped to the lab (embeds)', () => {
      it('steps and leaves from inside the lab, and ignores keys from outside it', async () => {
        fakeFullscreen('grant')
        const { store, user } = await renderLab({ keyboard: 'self' })
        const outside = document.createElement('button')
        outside.textContent = 'Host page button'
        document.body.append(outside)
        try {
          outside.focus()
          await user.keyboard('p{PageDown}')
          expect(root().dataset.presenting).toBe('false')
          expect(store.getState().index).toBe(0)

          await user.click(present())
          expect(document.fullscreenElement).toBe(root())
          await user.keyboard('{PageDown}{PageDown}{PageDown}{PageUp}')
          expect(store.getState().index).toBe(2)
          await user.keyboard('{Escape}')
          expect(root().dataset.presenting).toBe('false')
          expect(document.fullscreenElement).toBeNull()
        } finally {
          outside.remove()
        }
      })
    })
  })
})
