/** The roles' display names: light, for the views that show before the simulated world loads. */
import type { Role } from '../protocol/types.ts'

/** Display names of the lanes. */
export const ROLE_NAMES: Record<Role, string> = {
  browser: 'Browser',
  client: 'Client',
  'authorization-server': 'Authorization Server',
  'resource-server': 'Resource Server',
  attacker: 'Attacker',
}
