/**
 * The lab's CSS for shadow roots. The web component and the React component render into a shadow
 * root, where the page's stylesheets don't reach (so the host page can't break the lab, and the
 * lab's CSS can't leak out). Their builds turn every CSS import of the lab into `addCss(text)`
 * (see `cssAsText` in `scripts/build.ts`), in import order, so the cascade is the page's.
 *
 * The text is attached as ONE constructable stylesheet shared by every instance
 * (`adoptedStyleSheets`): a strict Content Security Policy (`style-src 'self'`) blocks `<style>`
 * elements but not adopted sheets. Browsers without them get a `<style>` in the shadow root.
 */

const texts: string[] = []
let sheet: CSSStyleSheet | null = null
const fallbacks = new Set<HTMLStyleElement>()

/**
 * Around the lab in its shadow root: the host is a block whose width the lab's text size follows;
 * inside it, nothing is inherited from the host page (`all` stops inheritance; selectors of the
 * page don't reach into a shadow root anyway).
 *
 * Height: the lab fills its host, and its panes scroll inside it (the control bar stays in view).
 * A host given no height gets 500 px: the frame the embed's default panes are chosen for
 * (`EMBED_PANELS`, a 700×500 frame), and what a docs column gives a figure without the reader
 * scrolling past it. Any height the page sets on the element (`oauth-flow-lab { height: 70vh }`,
 * a `style`, a `className`) wins over this `:host` rule: the outer page's CSS comes first. With
 * `height="auto"` (the element's attribute, the React component's `data-height`) the host and the
 * lab take the lab's natural height instead. Should the lab ever be taller than its box, the box
 * scrolls rather than the lab spilling over the page below; it is also the containing block of
 * the lab's absolutely placed bits, which stay inside it.
 */
const HOST_CSS = `:host { all: initial; display: block; container-type: inline-size; height: 500px; }
:host([hidden]) { display: none; }
:host([height='auto']), :host([data-height='auto']) { height: auto; }
.ofl-mount { display: block; height: 100%; }
.ofl-embedded { all: initial; position: relative; display: block; height: 100%; overflow: auto; }
.ofl-embedded[data-fill='false'] { height: auto; overflow: visible; }`

function allCss(): string {
  return [HOST_CSS, ...texts, ...devCss()].join('\n')
}

/** Registers one CSS file's text (called by the build's CSS transform, in import order). */
export function addCss(text: string): void {
  texts.push(text)
  refresh()
}

function refresh() {
  const css = allCss()
  if (sheet) {
    try {
      sheet.replaceSync(css)
    } catch {
      // A sheet that can't be replaced keeps its rules; the lab stays usable.
    }
  }
  for (const style of fallbacks) style.textContent = css
}

function canAdopt(root: ShadowRoot): boolean {
  return (
    'adoptedStyleSheets' in root &&
    typeof CSSStyleSheet === 'function' &&
    typeof CSSStyleSheet.prototype.replaceSync === 'function'
  )
}

/** Gives a shadow root the lab's styles (once; calling again is harmless). */
export function adoptStyles(root: ShadowRoot): void {
  if (canAdopt(root)) {
    try {
      if (!sheet) {
        sheet = new CSSStyleSheet()
        sheet.replaceSync(allCss())
      }
      if (!root.adoptedStyleSheets.includes(sheet))
        root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
      watchDev()
      return
    } catch {
      // Fall through to a <style> element.
    }
  }
  if (root.querySelector('style[data-ofl-styles]')) return
  const style = root.ownerDocument.createElement('style')
  style.dataset.oflStyles = ''
  style.textContent = allCss()
  root.prepend(style)
  fallbacks.add(style)
  watchDev()
}

/**
 * In `vite dev` the lab's CSS imports are `<style>` elements in the document's head (the build's
 * transform isn't there): copy them, and follow them as they change (hot reload, lazy panels).
 */
function devCss(): string[] {
  if (!import.meta.env.DEV || typeof document === 'undefined') return []
  return Array.from(
    document.querySelectorAll<HTMLStyleElement>('style[data-vite-dev-id]'),
    (s) => s.textContent ?? '',
  )
}

let watching = false
function watchDev() {
  if (!import.meta.env.DEV || watching || typeof MutationObserver === 'undefined') return
  watching = true
  new MutationObserver(refresh).observe(document.head, {
    childList: true,
    subtree: true,
    characterData: true,
  })
}
