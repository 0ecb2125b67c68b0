// @vitest-environment jsdom
import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { embedSnippets } from '../../src/flow/links/embedSnippets.ts'
import { Embed } from '../../src/ui/Embed/Embed.tsx'
import { Lab } from '../../src/ui/Lab.tsx'
import {
  cleanUpAfterEach,
  renderWithLab,
  storeAt,
  whenComplete,
  spyOnClipboardWrites,
} from './render.tsx'

cleanUpAfterEach()

const BASE = 'https://docs.example/lab/'
const base = () => BASE

/** The pkce-spa scenario on step 4 (index 3), dark. */
function pkceAtStep4() {
  return storeAt((s) => s.index === 3, { config: { scenario: 'pkce-spa' }, theme: 'dark' })
}

const SNIPPETS = [
  ['iframe', 'Copy iframe code', 'iframe'],
  ['Web component', 'Copy web component code', 'webComponent'],
  ['React or MDX', 'Copy React code', 'react'],
] as const

describe('Embed', () => {
  it('opens a labelled modal dialog from the keyboard; Escape closes it and returns focus', async () => {
    const store = await pkceAtStep4()
    const user = userEvent.setup()
    renderWithLab(<Embed base={base} />, store)
    const button = screen.getByRole('button', { name: 'Embed' })
    expect(button.getAttribute('aria-haspopup')).toBe('dialog')
    expect(button.getAttribute('aria-expanded')).toBe('false')
    expect(screen.queryByRole('dialog')).toBeNull()
    await user.tab()
    expect(document.activeElement).toBe(button)
    await user.keyboard('{Enter}')
    // The dialog loads on first opening.
    const dialog = await screen.findByRole('dialog', { name: 'Embed this step' })
    expect(dialog.getAttribute('aria-modal')).toBe('true')
    // Focus moves in once the loaded dialog's effect has run.
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true))
    expect(button.getAttribute('aria-expanded')).toBe('true')
    expect(dialog.textContent).toMatch(/opens Single-page app with PKCE at step 4/)
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(button)
    expect(button.getAttribute('aria-expanded')).toBe('false')
  })

  it('shows the three snippets for the scenario, settings, step and theme on screen', async () => {
    const store = await pkceAtStep4()
    const user = userEvent.setup()
    renderWithLab(<Embed base={base} />, store)
    await user.click(screen.getByRole('button', { name: 'Embed' }))
    const s = store.getState()
    const expected = embedSnippets({ config: s.config, step: 3, theme: 'dark', base: BASE })
    for (const [name, , key] of SNIPPETS) {
      const code = screen.getByRole<HTMLTextAreaElement>('textbox', { name })
      expect(code.readOnly).toBe(true)
      expect(code.value).toBe(expected[key])
    }
    expect(expected.iframe).toContain(`src="${BASE}embed.html?scenario=pkce-spa&amp;`)
    expect(expected.webComponent).toContain('  step="4"\n  theme="dark"\n  controls="compact"')
    expect(expected.react).toContain('  step={4}\n')
  })

  it('lets the reader pick the panes, and keeps at least one', async () => {
    const store = await pkceAtStep4()
    const user = userEvent.setup()
    renderWithLab(<Embed base={base} />, store)
    await user.click(screen.getByRole('button', { name: 'Embed' }))
    const panes = screen.getByRole('group', { name: 'Panes' })
    const box = (name: string) => within(panes).getByRole<HTMLInputElement>('checkbox', { name })
    const code = () => screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Web component' })
    // The embed's default panes, checked, and so not written.
    expect(
      within(panes)
        .getAllByRole<HTMLInputElement>('checkbox')
        .filter((b) => b.checked)
        .map((b) => b.labels?.[0]?.textContent),
    ).toEqual(['Narration', 'Sequence diagram', 'Message', 'Browser'])
    expect(code().value).not.toContain('panels')
    await user.click(box('Log'))
    await user.click(box('Message'))
    expect(code().value).toContain('  panels="narration,diagram,browser,log"\n')
    const iframe = screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'iframe' })
    expect(iframe.value).toContain('&amp;panels=narration,diagram,browser,log"')
    for (const name of ['Narration', 'Sequence diagram', 'Browser']) await user.click(box(name))
    expect(box('Log').checked).toBe(true)
    expect(box('Log').disabled).toBe(true)
    expect(code().value).toContain('  panels="log"\n')
  })

  it('uses the page’s own folder as the base by default', async () => {
    const store = await pkceAtStep4()
    const user = userEvent.setup()
    renderWithLab(<Embed />, store)
    await user.click(screen.getByRole('button', { name: 'Embed' }))
    const code = screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Web component' })
    expect(code.value).toContain(`src="${new URL('.', location.href).href}oauth-flow-lab.js"`)
  })

  it('copies each snippet with its own button and says so', async () => {
    const store = await pkceAtStep4()
    const user = userEvent.setup()
    const writeText = spyOnClipboardWrites()
    renderWithLab(<Embed base={base} />, store)
    await user.click(screen.getByRole('button', { name: 'Embed' }))
    for (const [name, copy] of SNIPPETS) {
      await user.click(screen.getByRole('button', { name: copy }))
      const code = screen.getByRole<HTMLTextAreaElement>('textbox', { name })
      expect(writeText).toHaveBeenLastCalledWith(code.value)
      const section = screen.getByRole('region', { name })
      const said = within(section).getByText('Copied')
      expect(said.getAttribute('aria-live')).toBe('polite')
    }
    expect(writeText).toHaveBeenCalledTimes(3)
  })

  it('selects the snippet to copy by hand when the clipboard refuses', async () => {
    const store = await pkceAtStep4()
    const user = userEvent.setup()
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new Error('denied'))
    renderWithLab(<Embed base={base} />, store)
    await user.click(screen.getByRole('button', { name: 'Embed' }))
    await user.click(screen.getByRole('button', { name: 'Copy React code' }))
    const code = screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'React or MDX' })
    expect(document.activeElement).toBe(code)
    expect([code.selectionStart, code.selectionEnd]).toEqual([0, code.value.length])
    expect(code.getAttribute('aria-describedby')).toBeTruthy()
    const hint = document.getElementById(code.getAttribute('aria-describedby') ?? '')
    expect(hint?.textContent).toMatch(/Copying is not allowed here\. The code is selected/)
    expect(screen.queryByText('Copied')).toBeNull()
  })

  it('selects the snippet when there is no clipboard at all', async () => {
    const store = await pkceAtStep4()
    const user = userEvent.setup()
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true })
    renderWithLab(<Embed base={base} />, store)
    await user.click(screen.getByRole('button', { name: 'Embed' }))
    await user.click(screen.getByRole('button', { name: 'Copy iframe code' }))
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'iframe' }))
  })

  it('keeps Tab inside the dialog', async () => {
    const store = await pkceAtStep4()
    const user = userEvent.setup()
    renderWithLab(<Embed base={base} />, store)
    await user.click(screen.getByRole('button', { name: 'Embed' }))
    const dialog = screen.getByRole('dialog')
    const close = within(dialog).getByRole('button', { name: 'Close' })
    const last = within(dialog).getByRole('textbox', { name: 'React or MDX' })
    await user.tab()
    expect(document.activeElement).toBe(close)
    await user.tab({ shift: true })
    expect(document.activeElement).toBe(last)
    await user.tab()
    expect(document.activeElement).toBe(close)
    for (let i = 0; i < 12; i++) {
      await user.tab()
      expect(dialog.contains(document.activeElement)).toBe(true)
    }
  })

  it('closes with its Close button and with a click outside, returning focus', async () => {
    const store = await pkceAtStep4()
    const user = userEvent.setup()
    renderWithLab(<Embed base={base} />, store)
    const button = screen.getByRole('button', { name: 'Embed' })
    await user.click(button)
    await user.click(screen.getByRole('button', { name: 'Close' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(button)
    await user.click(button)
    const backdrop = screen.getByRole('dialog').parentElement
    if (!backdrop) throw new Error('no backdrop')
    await user.pointer({ keys: '[MouseLeft]', target: backdrop })
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(button)
  })

  it('does not step the lab behind it with the arrow keys or Space', async () => {
    const store = await pkceAtStep4()
    const user = userEvent.setup()
    renderWithLab(<Lab header={<Embed base={base} />} />, store)
    await user.click(screen.getByRole('button', { name: 'Embed' }))
    await user.keyboard('{ArrowRight}{ArrowRight}{End}{PageDown}')
    await user.keyboard(' ')
    expect(store.getState().index).toBe(3)
    expect(store.getState().playing).toBe(false)
    await user.keyboard('{Escape}')
    await user.keyboard('{ArrowRight}')
    await act(() => whenComplete(store))
    expect(store.getState().index).toBe(4)
  })

  it('follows the theme chosen while it is closed', async () => {
    const store = await pkceAtStep4()
    const user = userEvent.setup()
    renderWithLab(<Embed base={base} />, store)
    act(() => store.getState().setTheme('light'))
    await user.click(screen.getByRole('button', { name: 'Embed' }))
    const code = screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Web component' })
    expect(code.value).toContain('  theme="light"\n')
    expect(screen.getByRole('dialog').textContent).toMatch(/and the light theme/)
  })
})
