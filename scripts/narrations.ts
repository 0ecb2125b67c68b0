/**
 * Prints every step of a scenario (or all): index, phase, lane statuses, title, narration and its
 * word count; with `--counts`, only each scenario's word counts per step (min, median, max).
 * `npx tsx scripts/narrations.ts [scenario] [variant] [--counts] [--set key=value …]`
 */
import { createFlow, defaultConfig, laneStatusText, SCENARIO_INFO, type FlowConfig, type Step } from '../src/flow/index.ts'

const args = process.argv.slice(2)
const counts = args.includes('--counts')
const sets = args.flatMap((a, i) => (args[i - 1] === '--set' ? [a] : []))
const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--set')
const [only, variantArg] = positional

/** Words in a step's narration, as a reader counts them. */
export function words(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length
}

function patch(): Partial<FlowConfig> {
  const out: Record<string, unknown> = {}
  for (const s of sets) {
    const [k, v] = s.split('=')
    if (!k) continue
    out[k] = v === 'true' ? true : v === 'false' ? false : v
  }
  return out as Partial<FlowConfig>
}

async function runOf(scenario: string, variant?: 'vulnerable' | 'defended'): Promise<readonly Step[]> {
  const flow = await createFlow({ ...defaultConfig(Date.UTC(2026, 0, 1)), scenario, ...(variant ? { variant } : {}), ...patch() })
  for (let i = 0; i < 200 && !flow.ended(); i++) await flow.advance()
  return flow.steps
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : 0
}

for (const info of SCENARIO_INFO) {
  if (only && info.id !== only) continue
  const variants = info.variants ? (variantArg ? [variantArg as 'vulnerable' | 'defended'] : (['vulnerable', 'defended'] as const)) : [undefined]
  for (const v of variants) {
    const steps = await runOf(info.id, v)
    const n = steps.filter((s) => s.kind.type !== 'end').map((s) => words(s.narration))
    if (counts) {
      console.log(`${info.id}${v ? ` (${v})` : ''}: ${steps.length} steps, words per step min ${Math.min(...n)}, median ${median(n)}, max ${Math.max(...n)}; ending ${words(steps.at(-1)?.narration ?? '')}`)
      continue
    }
    console.log(`\n=== ${info.id}${v ? ` (${v})` : ''}`)
    for (const s of steps) {
      const st = Object.entries(s.statuses).map(([r, t]) => `${r}=${laneStatusText(t)}`).join(' | ')
      console.log(`[${s.index + 1}] (${s.phase ?? '-'}) ${s.label} :: ${s.title} {${words(s.narration)}w}\n    ${s.narration}${s.more ? `\n    MORE: ${s.more}` : ''}\n    lanes: ${st}`)
    }
  }
}
