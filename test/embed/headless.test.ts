/**
 * The package's `.` entry is headless: it loads with React made unloadable (zustand's trick for
 * its vanilla entry), and a flow runs. The React entry needs React, so it fails here.
 */
import { describe, expect, it, vi } from 'vitest'

vi.mock('react', () => {
  throw new Error('the headless entry imported react')
})
vi.mock('react-dom', () => {
  throw new Error('the headless entry imported react-dom')
})

describe('the package entry without React', () => {
  it('loads, and runs a request through the simulated world', async () => {
    const { createLab } = await import('../../src/index.ts')
    const lab = await createLab({ seed: 'headless', now: Date.UTC(2026, 10, 21, 9) })
    const res = await lab.fetch('https://auth.example/.well-known/openid-configuration')
    expect(res.status).toBe(200)
    expect(((await res.json()) as { issuer?: string }).issuer).toBe('https://auth.example')
  })

  it('is what the mock catches: the React entry cannot load without React', async () => {
    await expect(import('../../src/react.ts')).rejects.toThrow(/error when mocking/)
  })
})
