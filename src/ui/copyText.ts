/**
 * Writes text to the clipboard. False where there is no clipboard API or it refuses (a page not
 * served over HTTPS, a denied permission, a document without focus); never throws.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard
    if (!clipboard?.writeText) return false
    await clipboard.writeText(text)
    return true
  } catch {
    return false
  }
}
