// @vitest-environment jsdom
import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Har } from '../../src/flow/exports/index.ts'
import { selectVisibleExchanges, type LabStore } from '../../src/store/index.ts'
import { ExportBar } from '../../src/ui/Exports/Exports.tsx'
import { HttpLog } from '../../src/ui/HttpLog/HttpLog.tsx'
import { SequenceDiagram } from '../../src/ui/SequenceDiagram/SequenceDiagram.tsx'
import { harProblems } from '../flow/harSpec.ts'
import { cleanUpAfterEach, newStore, renderWithLab, whenComplete } from './render.tsx'

/** What the last download saved: the file's name, its type and its text. */
interface Saved {
  name: string
  type: string
  text: string
}

let saved: Saved[] = []
let blobs: Blob[] = []

beforeEach(() => {
  saved = []
  blobs = []
  // jsdom has no object URLs and does not download: capture the Blob and the link's file name.
  URL.createObjectURL = vi.fn((blob: Blob) => {
    blobs.push(blob)
    return `blob:test/${blobs.length}`
  })
  URL.revokeObjectURL = vi.fn()
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    const blob = blobs[Number(this.href.split('/').at(-1)) - 1]
    if (!blob) throw new Error(`no blob for ${this.href}`)
    expect(this.isConnected).toBe(true)
    saved.push({ name: this.download, type: blob.type, text: '' })
  })
})

cleanUpAfterEach()

/** A Blob's text (jsdom's Blob has no text()). */
function readBlob(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'))
    reader.readAsText(blob)
  })
}

async function lastSaved(): Promise<Saved> {
  await waitFor(() => expect(saved).toHaveLength(1))
  const file = saved[0]
  const blob = blobs[0]
  if (!file || !blob) throw new Error('nothing saved')
  return { ...file, text: await readBlob(blob) }
}

async function atEnd(config: Parameters<typeof newStore>[0] = {}): Promise<LabStore> {
  const store = newStore(config)
  await whenComplete(store)
  await store.getState().last()
  return store
}

function setClipboard(value: Partial<Clipboard> | undefined) {
  Object.defineProperty(navigator, 'clipboard', { value, configurable: true })
}

/** The visible, announced outcome beside a group of buttons. */
const statusOf = (group: HTMLElement) => {
  const status = group.parentElement?.querySelector('[aria-live="polite"]')
  if (!(status instanceof HTMLElement)) throw new Error('no live region')
  return status
}

describe('the HTTP log’s export buttons', () => {
  it('Download HAR saves every exchange on screen as HAR 1.2, named after the scenario and step', async () => {
    const store = await atEnd()
    renderWithLab(<HttpLog />, store)
    const user = userEvent.setup()
    const group = screen.getByRole('group', { name: 'Export the HTTP log' })
    await user.click(within(group).getByRole('button', { name: 'Download HAR' }))
    const file = await lastSaved()
    const { index } = store.getState()
    expect(file.name).toBe(`oauth-flow-lab-confidential-step-${index + 1}.har`)
    expect(file.type).toBe('application/json;charset=utf-8')
    const har = JSON.parse(file.text) as Har
    expect(harProblems(har)).toEqual([])
    const shown = selectVisibleExchanges(store.getState())
    expect(har.log.entries.map((e) => `${e.request.method} ${e.request.url}`)).toEqual(
      shown.map((x) => `${x.request.method} ${x.request.url}`),
    )
    expect(
      screen.getAllByRole('listitem').filter((li) => li.hasAttribute('data-exchange')),
    ).toHaveLength(har.log.entries.length)
    await waitFor(() => expect(statusOf(group).textContent).toBe(`Saved ${file.name}`))
    // The link was temporary, and the URL is released later, not at once.
    expect(document.querySelector('a[download]')).toBeNull()
  })

  it('Download HAR at a step with a request in flight includes it, waiting', async () => {
    const store = newStore()
    await whenComplete(store)
    const token = store
      .getState()
      .steps.find((s) => s.kind.type === 'request' && s.label === 'POST /token')
    if (!token) throw new Error('no token request')
    await store.getState().goTo(token.index)
    renderWithLab(<HttpLog />, store)
    await userEvent.setup().click(screen.getByRole('button', { name: 'Download HAR' }))
    const har = JSON.parse((await lastSaved()).text) as Har
    expect(har.log.entries.at(-1)?.response.status).toBe(0)
    expect(har.log.entries.at(-1)?.request.url).toBe('https://auth.example/token')
  })

  it('Download JSON saves the exchanges with the scenario, variant and step', async () => {
    const store = await atEnd({ config: { scenario: 'csrf-no-state', variant: 'vulnerable' } })
    renderWithLab(<HttpLog />, store)
    await userEvent.setup().click(screen.getByRole('button', { name: 'Download JSON' }))
    const file = await lastSaved()
    const { index, steps } = store.getState()
    expect(file.name).toBe(`oauth-flow-lab-csrf-no-state-vulnerable-step-${index + 1}.json`)
    const doc = JSON.parse(file.text) as {
      format: string
      version: number
      scenario: { id: string }
      variant: string
      step: { number: number; total: number }
      exchanges: unknown[]
    }
    expect(doc).toMatchObject({
      format: 'oauth-flow-lab/exchanges',
      version: 1,
      scenario: { id: 'csrf-no-state' },
      variant: 'vulnerable',
      step: { number: index + 1, total: steps.length },
    })
    expect(doc.exchanges).toHaveLength(selectVisibleExchanges(store.getState()).length)
  })

  it('works from the keyboard', async () => {
    const store = await atEnd()
    renderWithLab(<HttpLog />, store)
    const user = userEvent.setup()
    const button = screen.getByRole('button', { name: 'Download JSON' })
    button.focus()
    await user.keyboard('{Enter}')
    expect((await lastSaved()).name).toMatch(/\.json$/)
  })

  it('says so, and throws nothing, when the file cannot be made', async () => {
    const store = await atEnd()
    renderWithLab(<HttpLog />, store)
    URL.createObjectURL = vi.fn(() => {
      throw new Error('blocked by policy')
    })
    const group = screen.getByRole('group', { name: 'Export the HTTP log' })
    await userEvent.setup().click(within(group).getByRole('button', { name: 'Download HAR' }))
    await waitFor(() =>
      expect(statusOf(group).textContent).toBe('Could not export: blocked by policy'),
    )
    expect(statusOf(group).getAttribute('data-tone')).toBe('error')
    expect(within(group).getByRole('button', { name: 'Download HAR' })).toHaveProperty(
      'disabled',
      false,
    )
  })

  it('is disabled until the run exists', async () => {
    const store = newStore()
    renderWithLab(<ExportBar label="Export" kinds={['har']} />, store)
    expect(screen.getByRole('button', { name: 'Download HAR' })).toHaveProperty('disabled', true)
    await act(() => whenComplete(store))
    expect(screen.getByRole('button', { name: 'Download HAR' })).toHaveProperty('disabled', false)
  })
})

describe('the sequence diagram’s export buttons', () => {
  it('Copy Mermaid copies the diagram so far and says so', async () => {
    const store = await atEnd()
    renderWithLab(<SequenceDiagram />, store)
    userEvent.setup()
    const writeText = vi.fn((_: string) => Promise.resolve())
    setClipboard({ writeText })
    const group = screen.getByRole('group', { name: 'Export the sequence diagram' })
    await userEvent.click(within(group).getByRole('button', { name: 'Copy Mermaid' }))
    await waitFor(() => expect(statusOf(group).textContent).toBe('Mermaid copied to the clipboard'))
    expect(writeText).toHaveBeenCalledTimes(1)
    const text = writeText.mock.calls[0]?.[0] ?? ''
    expect(text).toMatch(/^sequenceDiagram\n {2}title OAuth Flow Lab: /)
    expect(text).toContain('  participant AS as Authorization Server\n')
    expect(text).toMatch(/^ {2}Client->>AS: \d+\. POST \/token \(back channel\)$/m)
    expect(screen.queryByRole('textbox')).toBeNull()
  })

  it('shows the Mermaid text to copy by hand when the clipboard refuses, and Close goes back to the button', async () => {
    const store = await atEnd()
    renderWithLab(<SequenceDiagram />, store)
    const user = userEvent.setup()
    setClipboard({ writeText: () => Promise.reject(new Error('denied')) })
    const group = screen.getByRole('group', { name: 'Export the sequence diagram' })
    const button = within(group).getByRole('button', { name: 'Copy Mermaid' })
    await user.click(button)
    const box = await screen.findByRole<HTMLTextAreaElement>('textbox', {
      name: 'Mermaid: select the text and copy it',
    })
    expect(box.readOnly).toBe(true)
    expect(box.value).toMatch(/^sequenceDiagram\n/)
    expect(statusOf(group).textContent).toMatch(/clipboard is not available/)
    await user.click(screen.getByRole('button', { name: 'Close' }))
    expect(screen.queryByRole('textbox')).toBeNull()
    expect(document.activeElement).toBe(button)
  })

  it('shows the text to copy when there is no clipboard at all', async () => {
    const store = await atEnd()
    renderWithLab(<SequenceDiagram />, store)
    const user = userEvent.setup()
    setClipboard(undefined)
    await user.click(screen.getByRole('button', { name: 'Copy Mermaid' }))
    const box = await screen.findByRole<HTMLTextAreaElement>('textbox', { name: /select the text/ })
    expect(box.value).toMatch(/^sequenceDiagram\n/)
  })

  it('Download SVG saves a standalone SVG of the diagram so far', async () => {
    const store = await atEnd({ config: { scenario: 'mix-up', variant: 'vulnerable' } })
    renderWithLab(<SequenceDiagram />, store)
    await userEvent.setup().click(screen.getByRole('button', { name: 'Download SVG' }))
    const file = await lastSaved()
    expect(file.name).toBe(
      `oauth-flow-lab-mix-up-vulnerable-step-${store.getState().index + 1}.svg`,
    )
    expect(file.type).toBe('image/svg+xml;charset=utf-8')
    const doc = new DOMParser().parseFromString(file.text, 'image/svg+xml')
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0)
    expect(doc.documentElement.getAttribute('viewBox')).toMatch(/^0 0 \d+ \d+$/)
    expect(doc.querySelector('title')?.textContent).toMatch(/^OAuth Flow Lab: Mix-up attack/)
    expect(doc.getElementsByTagName('script')).toHaveLength(0)
    const names = Array.from(doc.querySelectorAll('text'), (t) => t.textContent)
    // The mix-up's attacker is drawn as the server it runs.
    expect(names).toContain('evil-as.example')
  })
})
