/**
 * The web component: `<script type="module" src="…/oauth-flow-lab.js">` defines
 * `<oauth-flow-lab scenario="pkce-spa" step="4" theme="dark">`. Attributes are named like the page's
 * URL parameters and get the same checks (what is wrong is ignored with a plain-text notice). Each
 * element runs its own lab in its own shadow root; every element on the page shares the script and
 * one stylesheet.
 */
import { createElement } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { EmbedLab } from './EmbedLab.tsx'
import { EMBED_PARAMS, embedQuery, paramsFromAttributes } from './params.ts'
import { adoptStyles } from './styles.ts'

export const ELEMENT_NAME = 'oauth-flow-lab'

/** Reads an element's attributes as the lab's query string. */
export function queryFromAttributes(el: { getAttribute(name: string): string | null }): string {
  return embedQuery(paramsFromAttributes(el))
}

/**
 * Defines the element class lazily, so that importing this module where there is no DOM (a
 * server render, a test in Node) does nothing.
 */
function createElementClass(): CustomElementConstructor {
  return class OAuthFlowLabElement extends HTMLElement {
    static get observedAttributes(): string[] {
      return [...EMBED_PARAMS]
    }

    #root: Root | null = null
    #mount: HTMLDivElement | null = null
    #scheduled = false
    #shadow: ShadowRoot | null = null
    #refused = false

    /**
     * The lab's shadow root: its own, or an open one the page attached first. A closed one the
     * page attached first cannot be reached (nor another attached): the lab says so once and
     * renders nothing, rather than throw into the page.
     */
    #shadowRoot(): ShadowRoot | null {
      if (this.#shadow || this.#refused) return this.#shadow
      try {
        this.#shadow = this.shadowRoot ?? this.attachShadow({ mode: 'open' })
      } catch (e) {
        this.#refused = true
        console.error(
          `OAuth Flow Lab: <${ELEMENT_NAME}> cannot show its lab: the page attached a closed shadow root to the element first, so the lab has nowhere to render (${e instanceof Error ? e.message : String(e)}). Leave the element's shadow root to the lab, or embed the iframe instead.`,
        )
      }
      return this.#shadow
    }

    connectedCallback() {
      const shadow = this.#shadowRoot()
      if (!shadow) return
      adoptStyles(shadow)
      if (!this.#mount) {
        this.#mount = this.ownerDocument.createElement('div')
        // Fills the host, so the lab can fill it (styles.ts).
        this.#mount.className = 'ofl-mount'
        shadow.append(this.#mount)
      }
      this.#root ??= createRoot(this.#mount)
      this.#render()
    }

    attributeChangedCallback() {
      // Several attributes set in a row make one update.
      if (!this.#root || this.#scheduled) return
      this.#scheduled = true
      queueMicrotask(() => {
        this.#scheduled = false
        this.#render()
      })
    }

    disconnectedCallback() {
      // Moved (removed and added in the same task) keeps its lab; removed for good unmounts it,
      // which also stops its autoplay timer.
      queueMicrotask(() => {
        if (this.isConnected || !this.#root) return
        this.#root.unmount()
        this.#root = null
      })
    }

    #render() {
      if (!this.#root || !this.isConnected) return
      this.#root.render(createElement(EmbedLab, { query: queryFromAttributes(this) }))
    }
  }
}

/** Defines `<oauth-flow-lab>` once (a second copy of the script on the page leaves the first). */
export function defineOAuthFlowLab(registry?: CustomElementRegistry): void {
  const r = registry ?? (typeof customElements === 'undefined' ? undefined : customElements)
  if (!r || r.get(ELEMENT_NAME)) return
  r.define(ELEMENT_NAME, createElementClass())
}

defineOAuthFlowLab()
