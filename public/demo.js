// The demo page's own script (no inline scripts, so a strict CSP works): points the iframe at
// embed.html with this page's origin allowed, resizes it to what it reports, sends it Back, Next
// and Go to step, and lists the messages it sends back (as text).
const SOURCE = 'oauth-flow-lab'
const frame = document.getElementById('frame')
const status = document.getElementById('frame-status')
const log = document.getElementById('frame-log')

const src = new URL('embed.html', location.href)
src.search = new URLSearchParams({
  scenario: 'pkce-spa',
  controls: 'compact',
  origins: location.origin,
}).toString()
frame.src = src.href

function send(message) {
  frame.contentWindow?.postMessage({ source: SOURCE, ...message }, src.origin)
}

document.getElementById('frame-back').addEventListener('click', () => send({ type: 'back' }))
document.getElementById('frame-next').addEventListener('click', () => send({ type: 'next' }))
document.getElementById('frame-go').addEventListener('click', () => {
  const step = Number(document.getElementById('frame-step').value)
  send({ type: 'goTo', step })
})

function note(text) {
  const item = document.createElement('li')
  item.textContent = text
  log.prepend(item)
  while (log.children.length > 12) log.lastElementChild.remove()
}

window.addEventListener('message', (event) => {
  if (event.source !== frame.contentWindow || event.origin !== src.origin) return
  const data = event.data
  if (!data || data.source !== SOURCE) return
  if (data.type === 'resize' && Number.isFinite(data.height)) {
    frame.style.height = `${Math.min(Math.max(Math.ceil(data.height), 200), 20000)}px`
    note(`resize: ${data.height}px`)
  } else if (data.type === 'step') {
    const text = `Step ${data.step} of ${data.total}${data.complete ? '' : '…'}: ${data.title}`
    status.textContent = `The iframe shows ${text}`
    status.dataset.step = String(data.step)
    note(`step: ${text}`)
  } else if (data.type === 'ready') {
    note('ready')
  }
})
