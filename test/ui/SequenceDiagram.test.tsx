// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import type { LabStore } from '../../src/store/index.ts'
import { SequenceDiagram } from '../../src/ui/SequenceDiagram/SequenceDiagram.tsx'
import { newStore, renderWithLab, whenComplete } from './render.tsx'

afterEach(cleanup)

async function completed(): Promise<LabStore> {
  const store = newStore()
  await whenComplete(store)
  return store
}

const rows = () =>
  within(screen.getByRole('list', { name: 'Messages so far' })).getAllByRole('button')
const indexOf = (store: LabStore, label: string) => {
  const step = store.getState().steps.find((s) => s.label === label)
  if (!step) throw new Error(`no step labelled ${label}`)
  return step.index
}

describe('SequenceDiagram', () => {
  it('has its heading and starts empty', async () => {
    renderWithLab(<SequenceDiagram />, await completed())
    expect(screen.getByRole('heading', { level: 2, name: 'Sequence diagram' })).toBeTruthy()
    expect(screen.queryByRole('list', { name: 'Messages so far' })).toBeNull()
    expect(screen.getByText(/No messages yet/)).toBeTruthy()
  })

  it('grows one row per message as the store advances', async () => {
    const store = await completed()
    renderWithLab(<SequenceDiagram />, store)
    await act(async () => {
      await store.getState().next()
    })
    expect(rows().map((r) => r.getAttribute('aria-label'))).toEqual([
      'Step 2: GET /, Browser to Client',
    ])
    await act(async () => {
      await store.getState().next()
    })
    expect(rows()).toHaveLength(2)
    expect(rows()[1]?.getAttribute('aria-label')).toBe('Step 3: 200 start page, Client to Browser')
  })

  it('names rows by step, label and roles, user actions included, and marks the current one', async () => {
    const store = await completed()
    const token = indexOf(store, 'POST /token')
    await store.getState().goTo(token)
    renderWithLab(<SequenceDiagram />, store)
    const current = screen.getByRole('button', {
      name: `Step ${token + 1}: POST /token, Client to Authorization Server`,
    })
    expect(current.getAttribute('aria-current')).toBe('step')
    expect(current.closest('li')?.getAttribute('data-current')).toBe('true')
    expect(current.closest('li')?.textContent).toContain('Phase C')
    const typing = indexOf(store, 'types credentials')
    expect(
      screen.getByRole('button', {
        name: `Step ${typing + 1}: types credentials, the user in the Browser`,
      }),
    ).toBeTruthy()
    expect(rows().filter((r) => r.getAttribute('aria-current') === 'step')).toEqual([current])
    // Only what has happened so far: nothing after the current step.
    expect(rows().at(-1)).toBe(current)
  })

  it('jumps to a step when its row is clicked', async () => {
    const store = await completed()
    await store.getState().goTo(indexOf(store, 'POST /token'))
    renderWithLab(<SequenceDiagram />, store)
    const authorize = indexOf(store, 'GET /authorize?…')
    await userEvent.click(
      screen.getByRole('button', {
        name: `Step ${authorize + 1}: GET /authorize?…, Browser to Authorization Server`,
      }),
    )
    expect(store.getState().index).toBe(authorize)
    expect(rows().at(-1)?.getAttribute('aria-current')).toBe('step')
  })

  it('jumps with Enter and Space too', async () => {
    const store = await completed()
    await store.getState().goTo(indexOf(store, 'POST /token'))
    renderWithLab(<SequenceDiagram />, store)
    const user = userEvent.setup()
    rows()[2]?.focus()
    await user.keyboard('{Enter}')
    expect(store.getState().index).toBe(3)
    rows()[0]?.focus()
    await user.keyboard(' ')
    expect(store.getState().index).toBe(1)
  })

  it('on a step, touches only the rows whose current mark changes, and adds the new one', async () => {
    const store = await completed()
    await store.getState().goTo(indexOf(store, 'POST /token'))
    renderWithLab(<SequenceDiagram />, store)
    const list = screen.getByRole('list', { name: 'Messages so far' })
    const before = [...list.children]
    const touched = new Set<Element>()
    const observer = new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target instanceof Element ? r.target : r.target.parentElement
        const li = el === list ? null : el?.closest('li')
        if (li) touched.add(li)
        for (const n of r.addedNodes) if (n instanceof Element) touched.add(n)
      }
    })
    observer.observe(list, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    })
    await act(async () => {
      await store.getState().next()
    })
    observer.disconnect()
    const after = [...list.children]
    expect(after).toHaveLength(before.length + 1)
    // The old current row (its mark) and the new row; every other row untouched.
    expect([...touched].sort((a, b) => after.indexOf(a) - after.indexOf(b))).toEqual([
      before.at(-1),
      after.at(-1),
    ])
  })
})
