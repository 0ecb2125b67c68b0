// @vitest-environment jsdom
import { act, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { Lab } from '../../src/ui/Lab.tsx'
import { Share } from '../../src/ui/Share/Share.tsx'
import { stepLink } from '../../src/ui/Share/stepLink.ts'
import {
  cleanUpAfterEach,
  renderWithLab,
  storeAt,
  whenComplete,
  spyOnClipboardWrites,
} from './render.tsx'

cleanUpAfterEach()

const PAGE = 'https://teach.example/oauth/?lang=fr&step=2#top'
const page = () => PAGE

/** A store on step 5 (index 4) of the default run. */
function storeAtStep5() {
  return storeAt((s) => s.index === 4)
}

/** Takes the clipboard away (after userEvent.setup, which puts its own in place). */
function noClipboard() {
  Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true })
}

/** Share on step 5 of the default run, on a page with no clipboard (not served over HTTPS). */
async function shareWithoutClipboard() {
  const store = await storeAtStep5()
  const user = userEvent.setup()
  noClipboard()
  renderWithLab(<Share href={page} />, store)
  return { store, user }
}

describe('Share', () => {
  it('copies the link to the step on screen and says so', async () => {
    const store = await storeAtStep5()
    const user = userEvent.setup()
    const writeText = spyOnClipboardWrites()
    renderWithLab(<Share href={page} />, store)
    await user.click(screen.getByRole('button', { name: 'Share' }))
    expect(writeText).toHaveBeenCalledTimes(1)
    expect(writeText).toHaveBeenCalledWith(
      'https://teach.example/oauth/?lang=fr&t=2026-01-01T00:00:00Z&step=5#top',
    )
    const said = screen.getByText('Link copied')
    expect(said.getAttribute('aria-live')).toBe('polite')
    expect(screen.queryByRole('textbox')).toBeNull()
  })

  it('builds the link from the page’s own address by default', async () => {
    const store = await storeAtStep5()
    await act(() => store.getState().setConfig({ scenario: 'pkce-spa' }))
    await act(() => whenComplete(store))
    await act(() => store.getState().goTo(8))
    const user = userEvent.setup()
    const writeText = spyOnClipboardWrites()
    renderWithLab(<Share />, store)
    await user.click(screen.getByRole('button', { name: 'Share' }))
    const link = writeText.mock.calls[0]?.[0] ?? ''
    expect(link).toBe(stepLink(store.getState(), location.href))
    expect(new URL(link).search).toBe('?scenario=pkce-spa&t=2026-01-01T00:00:00Z&step=9')
  })

  it('stops saying “Link copied” once the step changes', async () => {
    const store = await storeAtStep5()
    const user = userEvent.setup()
    spyOnClipboardWrites()
    renderWithLab(<Share href={page} />, store)
    await user.click(screen.getByRole('button', { name: 'Share' }))
    expect(screen.getByText('Link copied')).toBeTruthy()
    await act(() => store.getState().next())
    expect(screen.queryByText('Link copied')).toBeNull()
  })

  it('shows the link selected to copy by hand when the clipboard refuses', async () => {
    const store = await storeAtStep5()
    const user = userEvent.setup()
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(
      new DOMException('denied', 'NotAllowedError'),
    )
    renderWithLab(<Share href={page} />, store)
    const button = screen.getByRole('button', { name: 'Share' })
    await user.click(button)
    const field = screen.getByRole<HTMLInputElement>('textbox', { name: 'Link to this step' })
    expect(field.value).toBe(
      'https://teach.example/oauth/?lang=fr&t=2026-01-01T00:00:00Z&step=5#top',
    )
    expect(field.readOnly).toBe(true)
    expect(document.activeElement).toBe(field)
    expect([field.selectionStart, field.selectionEnd]).toEqual([0, field.value.length])
    expect(screen.getByText(/Copying is not allowed here/)).toBeTruthy()
    expect(button.getAttribute('aria-expanded')).toBe('true')
    expect(screen.queryByText('Link copied')).toBeNull()
  })

  it('shows the link when there is no clipboard at all (a page not served over HTTPS)', async () => {
    const { user } = await shareWithoutClipboard()
    await user.click(screen.getByRole('button', { name: 'Share' }))
    expect(
      screen.getByRole<HTMLInputElement>('textbox', { name: 'Link to this step' }).value,
    ).toMatch(/step=5#top$/)
  })

  it('keeps the link by hand on the step on screen', async () => {
    const { store, user } = await shareWithoutClipboard()
    await user.click(screen.getByRole('button', { name: 'Share' }))
    await act(() => store.getState().next())
    expect(
      screen.getByRole<HTMLInputElement>('textbox', { name: 'Link to this step' }).value,
    ).toMatch(/step=6#top$/)
  })

  it('works from the keyboard: Enter shares, Escape closes the link and returns focus', async () => {
    const { user } = await shareWithoutClipboard()
    await user.tab()
    const button = screen.getByRole('button', { name: 'Share' })
    expect(document.activeElement).toBe(button)
    await user.keyboard('{Enter}')
    const field = screen.getByRole('textbox', { name: 'Link to this step' })
    expect(document.activeElement).toBe(field)
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('textbox')).toBeNull()
    expect(document.activeElement).toBe(button)
    expect(button.getAttribute('aria-expanded')).toBe('false')
  })

  it('closes the link with its Close button', async () => {
    const { user } = await shareWithoutClipboard()
    await user.click(screen.getByRole('button', { name: 'Share' }))
    await user.click(screen.getByRole('button', { name: 'Close' }))
    expect(screen.queryByRole('textbox')).toBeNull()
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Share' }))
  })

  it('does not step the lab when the arrow keys move in the link', async () => {
    const store = await storeAtStep5()
    const user = userEvent.setup()
    noClipboard()
    renderWithLab(<Lab header={<Share href={page} />} />, store)
    await user.click(screen.getByRole('button', { name: 'Share' }))
    await user.keyboard('{ArrowRight}{ArrowLeft}{Home}{End}')
    expect(store.getState().index).toBe(4)
  })
})
