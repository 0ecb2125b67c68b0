// @vitest-environment jsdom
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { ErrorBoundary } from '../../src/ui/ErrorBoundary.tsx'

function Boom({ fail }: { fail: { current: boolean } }): never | string {
  if (fail.current) throw new Error('the panel broke')
  return 'fine again'
}

describe('ErrorBoundary', () => {
  it('shows a readable message instead of a blank box, and can try again', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const fail = { current: true }
    render(
      <ErrorBoundary>
        <Boom fail={fail} />
      </ErrorBoundary>,
    )
    expect(screen.getByRole('alert').textContent).toContain('the panel broke')
    fail.current = false
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(screen.getByText('fine again')).toBeTruthy()
    spy.mockRestore()
    warn.mockRestore()
  })
})
