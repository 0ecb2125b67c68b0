/**
 * The director: given the world as it is, what happens next. A pure function, so the flow
 * follows whatever the servers really answered (a login error, a denial, a refused code).
 */
import { ORIGINS, pageKindOfHtml, SPA_SESSION, type WorldState } from '../../protocol/index.ts'
import type { Action, Awaiting, FlowConfig, Milestone, UserInput } from '../types.ts'
import { own } from '../../protocol/records.ts'

/** The kind of page on screen, as the world's pages declare it (`login`, `client-home`, `attacker-lure`…). */
export function pageKind(world: WorldState): string | null {
  return pageKindOfHtml(world.browser.page?.body ?? '')
}

/** What the user must do on the page on screen, if anything. */
export function awaitingOf(world: WorldState): Awaiting {
  if (world.browser.pendingRedirect) return null
  const kind = pageKind(world)
  return kind === 'login' ? 'credentials' : kind === 'consent' ? 'consent' : null
}

/** The simulated user's answer when the learner did not give one. */
export function defaultInput(awaiting: Exclude<Awaiting, null>): UserInput {
  return awaiting === 'credentials'
    ? { type: 'credentials', username: 'alice', password: 'wonderland' }
    : { type: 'consent', decision: 'allow' }
}

/** The action for a user's input on the login or consent page. */
export function userAction(input: UserInput): Action {
  return input.type === 'credentials'
    ? { type: 'submit', formId: 'login-form', values: { username: input.username, password: input.password }, user: 'sign-in' }
    : { type: 'submit', formId: 'consent-form', values: {}, button: { name: 'decision', value: input.decision }, user: input.decision }
}

/**
 * The next action of the flow, or an `end` action. User pages (login, consent) need input:
 * the caller passes the learner's or the simulated user's answer.
 */
export function nextAction(world: WorldState, config: FlowConfig, progress: readonly Milestone[], input?: UserInput): Action {
  const b = world.browser
  if (b.pendingRedirect) return { type: 'follow-redirect' }
  const awaiting = awaitingOf(world)
  if (awaiting) return userAction(input ?? defaultInput(awaiting))
  const kind = pageKind(world)
  const done = (m: Milestone) => progress.includes(m)

  if (config.clientType === 'confidential') {
    if (b.url === 'about:blank') return { type: 'navigate', url: `${ORIGINS.webClient}/`, user: 'open' }
    switch (kind) {
      case 'client-start':
        return done('revoke')
          ? { type: 'end', outcome: 'success' }
          : { type: 'navigate', url: `${ORIGINS.webClient}/login`, user: 'click-sign-in' }
      case 'client-home':
        if (config.refresh && !done('refresh')) return { type: 'submit', formId: 'refresh-form', values: {}, user: null, milestone: 'refresh' }
        if (config.revoke && !done('revoke')) return { type: 'submit', formId: 'logout-form', values: {}, user: null, milestone: 'revoke' }
        return { type: 'end', outcome: 'success' }
      default:
        return { type: 'end', outcome: 'failure' }
    }
  }

  // The public client: its code runs in the page.
  if (b.url === 'about:blank') return { type: 'spa', op: 'open' }
  const session = own(world.spa.sessions, SPA_SESSION)
  if (kind !== 'spa' || !b.url.startsWith(`${ORIGINS.spaClient}/`)) return { type: 'end', outcome: 'failure' }
  const onCallback = new URL(b.url).pathname === '/callback'
  if (session?.error) return { type: 'end', outcome: 'failure' }
  if (!session?.tokens) {
    if (done('revoke')) return { type: 'end', outcome: 'success' }
    if (onCallback && !done('callback')) return { type: 'spa', op: 'handle-callback', milestone: 'callback' }
    if (!onCallback) return { type: 'spa', op: 'start-login' }
    return { type: 'end', outcome: 'failure' }
  }
  if (!done('api')) return { type: 'spa', op: 'call-api', milestone: 'api' }
  if (config.refresh && !done('refresh')) return { type: 'spa', op: 'refresh', milestone: 'refresh' }
  if (config.revoke && !done('revoke')) return { type: 'spa', op: 'revoke', milestone: 'revoke' }
  return { type: 'end', outcome: 'success' }
}
