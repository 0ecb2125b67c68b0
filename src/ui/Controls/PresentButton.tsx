import { memo } from 'react'
import { PRESENT_BUTTON_ATTR, usePresentationContext } from '../usePresentation.ts'

const ENTER = 'M7 14H5v5h5v-2H7v-3zm-2-4h2V7h3V5H5v5zm12 7h-3v2h5v-5h-2v3zM14 5v2h3v3h2V5h-5z'
const LEAVE = 'M5 16h3v3h2v-5H5v2zm3-8H5v2h5V5H8v3zm6 11h2v-3h3v-2h-5v5zm2-11V5h-2v5h5V8h-3z'

/**
 * Presentation mode on and off (a toggle button: its name stays "Present", aria-pressed says
 * whether it is on). Nothing outside a Lab, which owns the mode.
 */
export const PresentButton = memo(function PresentButton() {
  const presentation = usePresentationContext()
  if (!presentation) return null
  const { presenting, toggle } = presentation
  return (
    <button
      type="button"
      className="ofl-button ofl-controls-present"
      aria-pressed={presenting}
      aria-keyshortcuts="P"
      title={presenting ? 'Leave presentation mode (P or Escape)' : 'Presentation mode (P)'}
      onClick={toggle}
      {...{ [PRESENT_BUTTON_ATTR]: '' }}
    >
      <svg
        className="ofl-controls-icon"
        viewBox="0 0 24 24"
        width="20"
        height="20"
        aria-hidden="true"
        focusable="false"
      >
        <path d={presenting ? LEAVE : ENTER} fill="currentColor" />
      </svg>
      <span>Present</span>
    </button>
  )
})
