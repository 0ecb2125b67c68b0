// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { ELEMENT_NAME, defineOAuthFlowLab, queryFromAttributes } from '../../src/embed/element.ts'

/** Waits until `check` gives something (the lab computes its run asynchronously). */
function until<T>(check: () => T | null | undefined | false, what: string): Promise<T> {
  return vi.waitFor(
    () => {
      const v = check()
      if (!v) throw new Error(`waiting for ${what}`)
      return v
    },
    { timeout: 5000, interval: 10 },
  )
}

const lab = (el: Element) => el.shadowRoot?.querySelector<HTMLElement>('.ofl-lab') ?? null
const button = (el: Element, name: string) =>
  Array.from(el.shadowRoot?.querySelectorAll('button') ?? []).find(
    (b) => b.textContent?.trim() === name,
  )

function add(attributes: Record<string, string>): HTMLElement {
  const el = document.createElement(ELEMENT_NAME)
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v)
  document.body.append(el)
  return el
}

beforeAll(() => defineOAuthFlowLab())
afterEach(() => document.body.replaceChildren())

describe('<oauth-flow-lab>', () => {
  it('is defined once, even when the script runs twice', () => {
    const first = customElements.get(ELEMENT_NAME)
    expect(first).toBeDefined()
    expect(() => defineOAuthFlowLab()).not.toThrow()
    expect(customElements.get(ELEMENT_NAME)).toBe(first)
  })

  it('reads its attributes as the URL parameters', () => {
    const el = document.createElement('div')
    el.setAttribute('scenario', 'pkce-spa')
    el.setAttribute('step', '4')
    el.setAttribute('theme', 'dark')
    el.setAttribute('onclick', 'alert(1)')
    expect(queryFromAttributes(el)).toBe('scenario=pkce-spa&step=4&theme=dark')
  })

  it('renders the lab in its own shadow root, at the step and theme asked for', async () => {
    const el = add({ scenario: 'pkce-spa', step: '4', theme: 'dark', controls: 'compact' })
    const root = await until(() => {
      const l = lab(el)
      return l?.getAttribute('data-step-index') === '3' && l
    }, 'step 4')
    expect(root.getAttribute('data-theme')).toBe('dark')
    expect(root.getAttribute('data-controls')).toBe('compact')
    expect(root.getAttribute('data-scope')).toBe('embed')
    // Nothing of the lab in the light DOM: the page's CSS can't reach it.
    expect(el.children).toHaveLength(0)
    expect(document.querySelector('.ofl-lab')).toBeNull()
    // Compact controls: no Reset, no speed.
    expect(button(el, 'Reset')).toBeUndefined()
    expect(el.shadowRoot?.querySelector('select')).toBeNull()
  })

  it('shows hostile attributes as plain text in a notice and stays usable', async () => {
    const el = add({
      scenario: '<img src=x onerror="globalThis.__pwned=1">',
      step: '99999',
      seed: '"><script>globalThis.__pwned=2</script>',
      theme: 'x'.repeat(50_000),
    })
    const notice = await until(
      () => el.shadowRoot?.querySelector('.ofl-notice-text') ?? null,
      'the notice',
    )
    expect(notice.textContent).toContain('There is no scenario called “<img src=x onerror=')
    expect(el.shadowRoot?.querySelector('img[src="x"], script')).toBeNull()
    expect((globalThis as { __pwned?: number }).__pwned).toBeUndefined()
    // The default flow runs and Next works.
    const root = await until(() => lab(el), 'the lab')
    await until(() => button(el, 'Next') && !button(el, 'Next')?.disabled, 'Next enabled')
    button(el, 'Next')?.click()
    await until(() => root.getAttribute('data-step-index') === '1', 'step 2')
  })

  it('runs each element independently', async () => {
    const a = add({ scenario: 'oidc' })
    const b = add({ scenario: 'oidc' })
    const labA = await until(() => lab(a), 'lab a')
    const labB = await until(() => lab(b), 'lab b')
    await until(() => button(a, 'Next') && !button(a, 'Next')?.disabled, 'Next enabled')
    button(a, 'Next')?.click()
    await until(() => labA.getAttribute('data-step-index') === '1', 'a at step 2')
    expect(labB.getAttribute('data-step-index')).toBe('0')
  })

  it('follows attribute changes: a new step moves, a new scenario starts over', async () => {
    const el = add({ scenario: 'pkce-spa' })
    await until(() => lab(el)?.getAttribute('data-complete') === 'true', 'the run')
    el.setAttribute('step', '3')
    await until(() => lab(el)?.getAttribute('data-step-index') === '2', 'step 3')
    el.setAttribute('theme', 'dark')
    await until(() => lab(el)?.getAttribute('data-theme') === 'dark', 'dark')
    el.setAttribute('scenario', 'confidential')
    el.removeAttribute('step')
    await until(
      () =>
        el.shadowRoot?.textContent?.includes('Web app with a back end') &&
        lab(el)?.getAttribute('data-step-index') === '0',
      'the other scenario',
    )
  })

  it('fills its host, or takes its natural height with height="auto"', async () => {
    const filling = add({ scenario: 'oidc' })
    const natural = add({ scenario: 'oidc', height: 'auto' })
    expect((await until(() => lab(filling), 'lab')).getAttribute('data-fill')).toBe('true')
    expect((await until(() => lab(natural), 'lab')).getAttribute('data-fill')).toBe('false')
    natural.setAttribute('height', 'fill')
    await until(() => lab(natural)?.getAttribute('data-fill') === 'true', 'filling')
  })

  it('applies a theme attribute at once, and follows the reader’s setting when it is removed', async () => {
    const el = add({ scenario: 'oidc', theme: 'light' })
    const root = await until(() => lab(el), 'the lab')
    expect(root.getAttribute('data-theme')).toBe('light')
    el.setAttribute('theme', 'dark')
    await until(() => root.getAttribute('data-theme') === 'dark', 'dark')
    el.setAttribute('theme', 'purple')
    await until(() => el.shadowRoot?.querySelector('.ofl-notice-text'), 'the notice')
    el.removeAttribute('theme')
    await until(() => root.getAttribute('data-theme') === 'system', 'system')
  })

  it('unmounts when removed for good, and keeps its lab when moved', async () => {
    const el = add({ scenario: 'pkce-spa' })
    await until(() => lab(el), 'the lab')
    const other = document.createElement('div')
    document.body.append(other)
    other.append(el) // moved: removed and added in the same task
    await Promise.resolve()
    await until(() => lab(el), 'the lab after the move')
    el.remove()
    await until(() => el.shadowRoot?.querySelector('.ofl-lab') === null && 'gone', 'unmounted')
  })

  it('says why it shows nothing, and throws nothing, when the page attached a closed shadow root first', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const el = document.createElement(ELEMENT_NAME)
    const closed = el.attachShadow({ mode: 'closed' })
    expect(() => document.body.append(el)).not.toThrow()
    el.setAttribute('scenario', 'pkce-spa')
    await Promise.resolve()
    expect(closed.childNodes).toHaveLength(0)
    expect(errors).toHaveBeenCalledTimes(1)
    expect(String(errors.mock.calls[0]?.[0])).toMatch(/closed shadow root.*embed the iframe instead/)
    // Moved in the page: still nothing thrown, and not said again.
    expect(() => document.body.append(el)).not.toThrow()
    expect(errors).toHaveBeenCalledTimes(1)
    errors.mockRestore()
  })

  it('renders into an open shadow root the page attached first', async () => {
    const el = document.createElement(ELEMENT_NAME)
    const open = el.attachShadow({ mode: 'open' })
    document.body.append(el)
    await until(() => open.querySelector('.ofl-lab'), 'the lab in the page’s open shadow root')
  })
})

