/**
 * Fault specifications: what is corrupted (target, layers, bits), how (fault kind), how much (exact count, bit error
 * rate, or a rate scaled by MACs / stored bits) and for how long (transient: a fresh draw per inference;
 * permanent: one draw per run, applied to every inference of the run).
 */
import { fail, issue, ok, type InasIssue, type Result } from '../settings/index.ts';
import { FAULT_KINDS, type FaultKind } from './bits.ts';

/**
 * What a fault corrupts. `state` (the runtime's own NVM footprints/counters), `psums` (32-bit partial sums as loaded
 * into SRAM) and torn writes need the firmware engine.
 */
export const FAULT_TARGETS = ['weights', 'activations', 'scales', 'state', 'psums'] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];

export const PERSISTENCES = ['transient', 'permanent'] as const;
export type Persistence = (typeof PERSISTENCES)[number];

/** How many faults a run gets. */
export type FaultAmount =
  | { readonly kind: 'count'; readonly count: number }
  | { readonly kind: 'ber'; readonly rate: number }
  | { readonly kind: 'scaled'; readonly rate: number; readonly by: 'macs' | 'bits' };

/** A complete fault specification. */
export interface FaultSpec {
  readonly model: FaultKind;
  readonly target: FaultTarget;
  /** Layer names to restrict to (empty = every layer that has the target). */
  readonly layers: readonly string[];
  /** Inclusive range of bit positions (0 = LSB); 'msb' = only the sign bit. */
  readonly bits: { readonly lo: number; readonly hi: number } | 'msb' | 'all';
  readonly excludeBits: readonly number[];
  /** Adjacent bits hit by a `burst` fault. */
  readonly burstLength: number;
  readonly amount: FaultAmount;
  readonly persistence: Persistence;
}

/** Raw (string) options as a CLI or a settings file gives them. */
export interface FaultSpecInput {
  readonly model?: string;
  readonly target?: string;
  readonly layers?: string;
  readonly bits?: string;
  readonly excludeBits?: string;
  readonly burst?: string | number;
  readonly count?: string | number;
  readonly ber?: string | number;
  readonly rate?: string | number;
  readonly scaleBy?: string;
  readonly persistence?: string;
}

function num(v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  return Number.isFinite(n) ? n : NaN;
}

/** Highest bit position of the widest word of a target: 31 for the 32-bit partial sums, 15 otherwise (Q15 words). */
export function maxBitOf(target: string): number {
  return target === 'psums' ? 31 : 15;
}

/** Parses and checks a fault specification; every problem names the option and the value. */
export function parseFaultSpec(input: FaultSpecInput): Result<FaultSpec> {
  const issues: InasIssue[] = [];
  const model = (input.model ?? 'bitflip') as FaultKind;
  if (!(FAULT_KINDS as readonly string[]).includes(model)) issues.push(issue('invalid_argument', '--model', `must be one of ${FAULT_KINDS.join(', ')} (got "${input.model}")`));
  const target = (input.target ?? 'weights') as FaultTarget;
  if (!(FAULT_TARGETS as readonly string[]).includes(target)) issues.push(issue('invalid_argument', '--target', `must be one of ${FAULT_TARGETS.join(', ')} (got "${input.target}")`));
  const persistence = (input.persistence ?? (target === 'activations' || target === 'state' || target === 'psums' ? 'transient' : 'permanent')) as Persistence;
  if (!(PERSISTENCES as readonly string[]).includes(persistence)) issues.push(issue('invalid_argument', '--persistence', `must be transient or permanent (got "${input.persistence}")`));
  let bits: FaultSpec['bits'] = 'all';
  if (input.bits !== undefined && input.bits !== 'all') {
    if (input.bits === 'msb') bits = 'msb';
    else {
      const m = /^(\d+)(?:-(\d+))?$/.exec(input.bits.trim());
      if (!m) issues.push(issue('invalid_argument', '--bits', `expected "all", "msb", a bit "7" or a range "0-7" (got "${input.bits}")`));
      else {
        const lo = Number(m[1]), hi = Number(m[2] ?? m[1]);
        const max = maxBitOf(target);
        if (lo > hi || hi > max) issues.push(issue('invalid_argument', '--bits', `range must satisfy 0 <= lo <= hi <= ${max}: the words of target "${target}" are at most ${max + 1} bits wide (got "${input.bits}")`));
        bits = { lo, hi };
      }
    }
  }
  const excludeBits: number[] = [];
  if (input.excludeBits) {
    for (const part of input.excludeBits.split(',')) {
      const b = Number(part.trim());
      if (!Number.isInteger(b) || b < 0 || b > maxBitOf(target)) issues.push(issue('invalid_argument', '--exclude-bits', `expected bit positions 0..${maxBitOf(target)} separated by commas (got "${input.excludeBits}")`));
      else excludeBits.push(b);
    }
  }
  const burstLength = num(input.burst) ?? 2;
  if (!Number.isInteger(burstLength) || burstLength < 1 || burstLength > maxBitOf(target) + 1) issues.push(issue('invalid_argument', '--burst', `must be an integer 1..${maxBitOf(target) + 1} (got ${input.burst})`));
  const count = num(input.count), ber = num(input.ber), rate = num(input.rate);
  const given = [count, ber, rate].filter((x) => x !== undefined).length;
  let amount: FaultAmount = { kind: 'count', count: 1 };
  if (given > 1) issues.push(issue('invalid_argument', '--count/--ber/--rate', 'give only one of --count, --ber and --rate'));
  else if (count !== undefined) {
    if (!Number.isInteger(count) || count < 0) issues.push(issue('invalid_argument', '--count', `must be a non-negative integer (got ${input.count})`));
    amount = { kind: 'count', count };
  } else if (ber !== undefined) {
    if (!(ber >= 0 && ber <= 1)) issues.push(issue('invalid_argument', '--ber', `must be a probability in [0, 1] (got ${input.ber})`));
    amount = { kind: 'ber', rate: ber };
  } else if (rate !== undefined) {
    const by = input.scaleBy ?? (target === 'activations' ? 'macs' : 'bits');
    if (by !== 'macs' && by !== 'bits') issues.push(issue('invalid_argument', '--scale-by', `must be macs or bits (got "${by}")`));
    if (!(rate >= 0)) issues.push(issue('invalid_argument', '--rate', `must be >= 0 (got ${input.rate})`));
    amount = { kind: 'scaled', rate, by: by === 'macs' ? 'macs' : 'bits' };
  }
  const layers = input.layers ? input.layers.split(',').map((s) => s.trim()).filter(Boolean) : [];
  if (issues.length) return fail(...issues);
  return ok({ model, target, layers, bits, excludeBits, burstLength, amount, persistence });
}

/** Eligible bit positions of a word of `width` bits under a spec. */
export function eligibleBits(spec: FaultSpec, width: number): number[] {
  let lo = 0, hi = width - 1;
  if (spec.bits === 'msb') lo = hi;
  else if (spec.bits !== 'all') { lo = Math.min(spec.bits.lo, width - 1); hi = Math.min(spec.bits.hi, width - 1); }
  const out: number[] = [];
  for (let b = lo; b <= hi; b++) if (!spec.excludeBits.includes(b)) out.push(b);
  return out;
}
