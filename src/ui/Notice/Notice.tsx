import { memo } from 'react'
import { useLab } from '../../store/index.ts'
import './Notice.css'

/**
 * What a link asked for and was ignored, as plain text (React escapes it; it is never markup),
 * with a button to dismiss it.
 */
export const Notice = memo(function Notice() {
  const notice = useLab((s) => s.notice)
  const dismiss = useLab((s) => s.dismissNotice)
  if (!notice) return null
  return (
    <div className="ofl-notice" role="status">
      <p className="ofl-notice-text">{notice}</p>
      <button type="button" className="ofl-button ofl-notice-dismiss" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  )
})
