// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { Controls } from '../../src/ui/Controls/Controls.tsx'
import { renderComputed } from './render.tsx'

afterEach(cleanup)

describe('Controls, compact (embeds)', () => {
  it('has Back, Play and Next and the step count; no Reset, speed, scrubber or hint', async () => {
    const { store } = await renderComputed(<Controls variant="compact" />)
    const region = screen.getByRole('region', { name: 'Controls' })
    expect(region.getAttribute('data-variant')).toBe('compact')
    for (const name of ['Back', 'Play', 'Next'])
      expect(screen.getByRole('button', { name })).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Reset' })).toBeNull()
    expect(screen.queryByRole('combobox')).toBeNull()
    expect(screen.queryByRole('slider')).toBeNull()
    expect(region.textContent).not.toContain('Keyboard')
    const total = store.getState().steps.length
    expect(region.textContent).toContain(`Step 1 of ${total}`)
  })

  it('steps the store with Next and Back', async () => {
    const { store, user } = await renderComputed(<Controls variant="compact" />)
    await user.click(screen.getByRole('button', { name: 'Next' }))
    await user.click(screen.getByRole('button', { name: 'Next' }))
    expect(store.getState().index).toBe(2)
    expect(screen.getByRole('region', { name: 'Controls' }).textContent).toContain('Step 3 of')
    await user.click(screen.getByRole('button', { name: 'Back' }))
    expect(store.getState().index).toBe(1)
  })
})
