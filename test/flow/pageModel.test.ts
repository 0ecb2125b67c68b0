// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import {
  answerStepFor,
  browserView as viewWith,
  parsePage as parseWith,
  reasonPhrase,
  splitAddress,
  type Block,
} from '../../src/flow/index.ts'
import { parseHtml } from '../../src/ui/MockBrowser/parseHtml.ts'
import type { WorldState } from '../../src/protocol/index.ts'
import { newStore, whenComplete } from '../ui/render.tsx'

// The page parses with the platform's DOMParser (here jsdom's).
const parsePage = (html: string) => parseWith(html, parseHtml)
const browserView = (world: WorldState) => viewWith(world, parseHtml)

const textOf = (blocks: Block[]) => JSON.stringify(blocks)

describe('parsePage', () => {
  it('reads the title, the page kind, headings, paragraphs and lists', () => {
    const page = parsePage(
      '<!doctype html><html><head><meta name="oauth-lab-page" content="consent"><title>Allow &amp; go</title></head><body><main><h1>Hello <span>there</span></h1><p>Signed in as <strong>Alice</strong>.</p><ul><li><code>openid</code> — you</li><li>two</li></ul></main></body></html>',
    )
    expect(page.title).toBe('Allow & go')
    expect(page.kind).toBe('consent')
    expect(page.blocks).toEqual([
      { type: 'heading', level: 1, content: [{ type: 'text', text: 'Hello there' }] },
      {
        type: 'paragraph',
        alert: false,
        content: [
          { type: 'text', text: 'Signed in as ' },
          { type: 'strong', children: [{ type: 'text', text: 'Alice' }] },
          { type: 'text', text: '.' },
        ],
      },
      {
        type: 'list',
        ordered: false,
        items: [
          [
            { type: 'code', children: [{ type: 'text', text: 'openid' }] },
            { type: 'text', text: ' — you' },
          ],
          [{ type: 'text', text: 'two' }],
        ],
      },
    ])
  })

  it('reads forms: labelled inputs, hidden fields and buttons with their values', () => {
    const page = parsePage(
      '<form id="f" method="post" action="/login"><input type="hidden" name="request_id" value="r1"><label>Username <input name="username" value="al&quot;ice"></label><label for="pw">Password</label><input id="pw" name="password" type="password"><button type="submit" name="decision" value="allow">Allow</button></form>',
    )
    expect(page.blocks).toEqual([
      {
        type: 'form',
        id: 'f',
        method: 'POST',
        action: '/login',
        items: [
          {
            type: 'input',
            name: 'request_id',
            inputType: 'hidden',
            value: 'r1',
            label: 'request_id',
            autocomplete: '',
          },
          {
            type: 'input',
            name: 'username',
            inputType: 'text',
            value: 'al"ice',
            label: 'Username',
            autocomplete: '',
          },
          {
            type: 'input',
            name: 'password',
            inputType: 'password',
            value: '',
            label: 'Password',
            autocomplete: '',
          },
          {
            type: 'button',
            name: 'decision',
            value: 'allow',
            label: 'Allow',
            buttonType: 'submit',
          },
        ],
      },
    ])
  })

  it('marks role="alert" paragraphs', () => {
    const [block] = parsePage('<p role="alert" id="login-error">Wrong password</p>').blocks
    expect(block).toMatchObject({ type: 'paragraph', alert: true })
  })

  describe('when the page is hostile', () => {
    it('keeps scripts as inert notes and drops event handlers, images and frames', () => {
      const page = parsePage(
        '<p>hi<img src=x onerror="alert(1)" alt="cat"></p><script>alert("<b>x</b>")</script><iframe src="https://evil.example">inner</iframe><a href="javascript:alert(2)" onclick="x()">click</a><style>body{display:none}</style>',
      )
      const json = textOf(page.blocks)
      expect(json).not.toContain('onerror')
      expect(json).not.toContain('onclick')
      expect(json).not.toContain('inner')
      expect(json).not.toContain('display:none')
      expect(page.blocks).toContainEqual({
        type: 'paragraph',
        alert: false,
        content: [
          { type: 'text', text: 'hi' },
          { type: 'image', alt: 'cat' },
        ],
      })
      expect(page.blocks).toContainEqual({ type: 'script', src: null, text: 'alert("<b>x</b>")' })
      expect(page.blocks).toContainEqual({
        type: 'paragraph',
        alert: false,
        content: [
          {
            type: 'link',
            href: 'javascript:alert(2)',
            children: [{ type: 'text', text: 'click' }],
          },
        ],
      })
    })

    it('survives malformed markup, stray brackets and deep nesting', () => {
      // As a browser shows it: a tag cut off by the end of the page is dropped.
      expect(parsePage('a < b > c <p unclosed="x').blocks).toEqual([
        {
          type: 'paragraph',
          alert: false,
          content: [{ type: 'text', text: 'a < b > c' }],
        },
      ])
      const deep = parsePage(`${'<div>'.repeat(1500)}deep${'</div>'.repeat(1500)}`)
      expect(deep.blocks).toEqual([
        { type: 'paragraph', alert: false, content: [{ type: 'text', text: 'deep' }] },
      ])
      expect(parsePage('<p>one<p>two').blocks).toHaveLength(2)
    })
  })
})

describe('character references', () => {
  it('decodes named and numeric references, and leaves unknown ones', () => {
    expect(parsePage('<p>&lt;a&gt; &#39;&#x41;&#65; &bogus; &#0;</p>').blocks).toEqual([
      {
        type: 'paragraph',
        alert: false,
        content: [{ type: 'text', text: "<a> 'AA &bogus; \ufffd" }],
      },
    ])
  })
})

describe('splitAddress and reasonPhrase', () => {
  it('splits an address into scheme, host and rest', () => {
    expect(splitAddress('https://auth.example/authorize?x=1')).toEqual({
      scheme: 'https://',
      host: 'auth.example',
      rest: '/authorize?x=1',
      secure: true,
    })
    expect(splitAddress('about:blank')).toEqual({
      scheme: '',
      host: '',
      rest: 'about:blank',
      secure: false,
    })
    expect(reasonPhrase(302)).toBe('Found')
    expect(reasonPhrase(299)).toBe('')
  })
})

describe('browserView over a real run', () => {
  it('shows blank, redirects with their Location, the login and consent forms', async () => {
    const store = newStore()
    await whenComplete(store)
    const steps = store.getState().steps
    expect(browserView(steps[0]!.snapshot)).toEqual({ type: 'blank' })
    const login = steps.find((s) => s.awaiting === 'credentials')!
    const view = browserView(login.snapshot)
    expect(view.type).toBe('html')
    if (view.type === 'html')
      expect(view.page.blocks.some((b) => b.type === 'form' && b.id === 'login-form')).toBe(true)
    // A redirect response says where it goes; while the browser follows it, the page is loading
    // and the address bar already shows the new URL.
    const views = steps.map((s) => browserView(s.snapshot))
    const redirects = views.filter((v) => v.type === 'redirect')
    expect(redirects.length).toBeGreaterThanOrEqual(2)
    for (const r of redirects) if (r.type === 'redirect') expect(r.location).toMatch(/^https:\/\//)
    const loading = steps.filter((s) => browserView(s.snapshot).type === 'loading')
    expect(loading.length).toBeGreaterThan(2)
    for (const s of loading)
      expect(browserView(s.snapshot)).toEqual({ type: 'loading', url: s.snapshot.browser.url })
    // The step after the login page (Alice types) points back to it.
    expect(answerStepFor(steps, login.index + 1, 'login-form')).toBe(login.index)
    expect(answerStepFor(steps, login.index, 'consent-form')).toBe(null)
  })

  it('shows what the SPA’s code renders in its shell', async () => {
    const store = newStore({ config: { clientType: 'public' } })
    await whenComplete(store)
    const steps = store.getState().steps
    const views = steps.map((s) => browserView(s.snapshot))
    const app = views.flatMap((v) => (v.type === 'html' ? v.app : []))
    expect(JSON.stringify(app)).toContain('Signed in as ')
    expect(JSON.stringify(app)).toContain('Sign in with auth.example')
  })

  it('shows the SPA’s error when the server refuses a public client without PKCE', async () => {
    const store = newStore({ config: { clientType: 'public', pkce: false } })
    await whenComplete(store)
    const end = store.getState().steps.at(-1)!
    expect(end.kind).toEqual({ type: 'end', outcome: 'failure' })
    const view = browserView(end.snapshot)
    expect(view.type === 'html' && view.app.some((b) => b.type === 'paragraph' && b.alert)).toBe(
      true,
    )
    expect(JSON.stringify(view)).toContain('invalid_request')
  })
})
