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
 * Around the lab in its shadow root: the host is a block (the embedder may still size it) whose
 * width the lab's text size follows; inside it, nothing is inherited from the host page (`all`
 * stops inheritance; selectors of the page don't reach into a shadow root anyway).
 */
const HOST_CSS = `:host { all: initial; display: block; container-type: inline-size; }
:host([hidden]) { display: none; }
.ofl-embedded { all: initial; display: block; }`

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
