/**
 * `createPlatform`: validated platform settings + a cost profile + the compat mode → a `Platform` with a flat cost
 * table the cost model reads in its hot loops (all SI: joules, seconds, cycles).
 */
import { fail, issue, ok, type CompatMode, type InasIssue, type PlatformSettings, type PowerType, type Result } from '../settings/index.ts';
import { createCapacitor, createHarvester, type Capacitor, type Harvester } from './capacitor.ts';
import { COST_PROFILES, OVERHEAD_COUNTS, TECS21_LATENCY_BUG_KEYS, type CostProfile, type OverheadKey } from './profiles.ts';
import { cyclesToSeconds } from './units.ts';

/**
 * Flat cost table (numbers only, so the explorer's inner loops stay monomorphic). Linear primitives:
 * energy = *Ea·x + *Eb (J); latency = (*Ca·x + *Cb)/clock (s). Overheads: *E (J) and *L (s).
 */
export interface CostTable {
  readonly clockHz: number;
  readonly rdEa: number; readonly rdEb: number; readonly rdCa: number; readonly rdCb: number;
  readonly wrEa: number; readonly wrEb: number; readonly wrCa: number; readonly wrCb: number;
  readonly macEa: number; readonly macEb: number; readonly macCa: number; readonly macCb: number;
  readonly addE: number; readonly addL: number;
  readonly mulE: number; readonly mulL: number;
  readonly maxE: number; readonly maxL: number;
  readonly rbE: number; readonly rbL: number;
  readonly fdIE: number; readonly fdIL: number;
  readonly fdWE: number; readonly fdWL: number;
  readonly fdORuiE: number; readonly fdORuiL: number;
  readonly fdORuwE: number; readonly fdORuwL: number;
  readonly fdORuoE: number; readonly fdORuoL: number;
  readonly bdORuiE: number; readonly bdORuiL: number;
  readonly bdORuwE: number; readonly bdORuwL: number;
  readonly bdORuoE: number; readonly bdORuoL: number;
  readonly psumE: number; readonly psumL: number;
  readonly acumE: number; readonly acumL: number;
  readonly maxCmpE: number; readonly maxCmpL: number;
  readonly maxOvhdE: number; readonly maxOvhdL: number;
}

/** A ready-to-use platform. */
export interface Platform {
  readonly profile: CostProfile;
  readonly compat: CompatMode;
  readonly costs: CostTable;
  readonly capacitor: Capacitor;
  readonly harvester: Harvester;
  readonly vm_capacity_bytes: number;
  readonly nvm_capacity_bytes: number;
  readonly data_size_bytes: number;
  /** Clock used for cycle → second conversion (tecs21: the profile's 16 MHz, as the original hard-codes it). */
  readonly clock_hz: number;
  readonly power: PowerType;
  /** End-to-end latency requirement (s); null when none is set numerically (e.g. a percentile still to resolve). */
  readonly latency_requirement_s: number | null;
  /** Remarks the CLI should show (compat mode, derived numbers, capped capacities). */
  readonly notes: readonly string[];
  readonly settings: PlatformSettings;
}

/** The sentence every output shows about the compat mode. */
export function compatNote(compat: CompatMode): string {
  return compat === 'tecs21'
    ? 'tecs21 constants (original iNAS, incl. its latency-constant bug) until a measured calibration exists'
    : 'corrected constants (fixed output fetch/backup latency formulas, GAVGPOOL tiles and clock; not yet calibrated on hardware)';
}

/** Builds the flat cost table of a profile in a compat mode at a clock. */
export function buildCostTable(p: CostProfile, compat: CompatMode, clockHz: number): CostTable {
  const lAdd = cyclesToSeconds(p.add.cycles, clockHz);
  const lMul = cyclesToSeconds(p.multiply.cycles, clockHz);
  const eAdd = p.add.energy_j, eMul = p.multiply.energy_j;
  const ov = (k: OverheadKey): [number, number] => {
    const c = OVERHEAD_COUNTS[k];
    const e = c.energy.add * eAdd + c.energy.mul * eMul;
    if (compat === 'tecs21' && TECS21_LATENCY_BUG_KEYS.includes(k)) return [e, e];
    return [e, c.latency.add * lAdd + c.latency.mul * lMul];
  };
  const [fdIE, fdIL] = ov('FD_I');
  const [fdWE, fdWL] = ov('FD_W');
  const [fdORuiE, fdORuiL] = ov('FD_O_RUI');
  const [fdORuwE, fdORuwL] = ov('FD_O_RUW');
  const [fdORuoE, fdORuoL] = ov('FD_O_RUO');
  const [bdORuiE, bdORuiL] = ov('BD_O_RUI');
  const [bdORuwE, bdORuwL] = ov('BD_O_RUW');
  const [bdORuoE, bdORuoL] = ov('BD_O_RUO');
  const [psumE, psumL] = ov('OP_PSUM');
  const [acumE, acumL] = ov('OP_ACUM');
  const [maxOvhdE, maxOvhdL] = ov('OP_MAX_OVHD');
  return {
    clockHz,
    rdEa: p.nvm_read.energy_per_element_j, rdEb: p.nvm_read.energy_fixed_j, rdCa: p.nvm_read.cycles_per_element, rdCb: p.nvm_read.cycles_fixed,
    wrEa: p.nvm_write.energy_per_element_j, wrEb: p.nvm_write.energy_fixed_j, wrCa: p.nvm_write.cycles_per_element, wrCb: p.nvm_write.cycles_fixed,
    macEa: p.vector_mac.energy_per_element_j, macEb: p.vector_mac.energy_fixed_j, macCa: p.vector_mac.cycles_per_element, macCb: p.vector_mac.cycles_fixed,
    addE: eAdd, addL: lAdd,
    mulE: eMul, mulL: lMul,
    maxE: p.max.energy_j, maxL: cyclesToSeconds(p.max.cycles, clockHz),
    rbE: p.reboot.energy_j, rbL: p.reboot.latency_s,
    fdIE, fdIL, fdWE, fdWL, fdORuiE, fdORuiL, fdORuwE, fdORuwL, fdORuoE, fdORuoL,
    bdORuiE, bdORuiL, bdORuwE, bdORuwL, bdORuoE, bdORuoL,
    psumE, psumL, acumE, acumL,
    maxCmpE: p.max.energy_j, maxCmpL: cyclesToSeconds(p.max.cycles, clockHz),
    maxOvhdE, maxOvhdL,
  };
}

const PERCENTILE = /^p(\d{1,2}(\.\d+)?)$/;

function checkPositive(issues: InasIssue[], key: keyof PlatformSettings, value: unknown, unit: string, opts: { integer?: boolean; max?: number } = {}): void {
  const path = `/platform/${key}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    issues.push(issue('invalid_value', path, `must be a finite number in ${unit} (got ${JSON.stringify(value)})`, { actual: value }));
  } else if (!(value > 0)) {
    issues.push(issue('invalid_value', path, `must be > 0 (got ${value})`, { actual: value, minimum_exclusive: 0 }));
  } else if (opts.integer && !Number.isInteger(value)) {
    issues.push(issue('invalid_value', path, `must be a whole number of ${unit} (got ${value})`, { actual: value }));
  } else if (opts.max !== undefined && value > opts.max) {
    issues.push(issue('invalid_value', path, `must be ≤ ${opts.max} (got ${value})`, { actual: value, maximum: opts.max }));
  }
}

/**
 * Validates platform settings and builds the platform: the cost profile (§1.5) in the requested compat mode, the
 * capacitor (§1.9) and the harvester. Invalid values give `invalid_value` issues naming the field; never throws.
 */
export function createPlatform(p: PlatformSettings): Result<Platform> {
  const issues: InasIssue[] = [];
  const profile = COST_PROFILES[p.profile];
  if (!profile) {
    issues.push(issue('invalid_value', '/platform/profile', `unknown platform profile ${JSON.stringify(p.profile)} (expected one of ${Object.keys(COST_PROFILES).join(', ')})`, { actual: p.profile }));
  }
  if (p.compat !== 'tecs21' && p.compat !== 'corrected') {
    issues.push(issue('invalid_value', '/platform/compat', `must be "tecs21" or "corrected" (got ${JSON.stringify(p.compat)})`, { actual: p.compat }));
  }
  if (p.power !== 'int' && p.power !== 'cont') {
    issues.push(issue('invalid_value', '/platform/power', `must be "int" or "cont" (got ${JSON.stringify(p.power)})`, { actual: p.power }));
  }
  checkPositive(issues, 'capacitance_f', p.capacitance_f, 'F');
  checkPositive(issues, 'von_v', p.von_v, 'V');
  checkPositive(issues, 'voff_v', p.voff_v, 'V');
  checkPositive(issues, 'vsup_v', p.vsup_v, 'V');
  checkPositive(issues, 'harvester_resistance_ohm', p.harvester_resistance_ohm, 'ohm');
  checkPositive(issues, 'energy_margin', p.energy_margin, '(fraction)', { max: 1 });
  checkPositive(issues, 'vm_capacity_bytes', p.vm_capacity_bytes, 'bytes', { integer: true });
  checkPositive(issues, 'nvm_capacity_bytes', p.nvm_capacity_bytes, 'bytes', { integer: true });
  checkPositive(issues, 'data_size_bytes', p.data_size_bytes, 'bytes', { integer: true });
  checkPositive(issues, 'clock_hz', p.clock_hz, 'Hz');
  if (issues.length === 0) {
    if (!(p.voff_v < p.von_v)) {
      issues.push(issue('invalid_value', '/platform/voff_v', `the turn-off voltage must be below the turn-on voltage von_v = ${p.von_v} V (got ${p.voff_v} V)`,
        { actual: p.voff_v, von_v: p.von_v }));
    }
    if (!(p.vsup_v > p.von_v)) {
      issues.push(issue('invalid_value', '/platform/vsup_v', `the harvester supply must exceed the turn-on voltage von_v = ${p.von_v} V, or the capacitor never recharges (got ${p.vsup_v} V)`,
        { actual: p.vsup_v, von_v: p.von_v }));
    }
  }
  let latencyRequirementS: number | null = null;
  const lr: unknown = p.latency_requirement_s;
  if (typeof lr === 'number') {
    if (!Number.isFinite(lr) || !(lr > 0)) {
      issues.push(issue('invalid_value', '/platform/latency_requirement_s', `must be > 0 seconds or a percentile like "p50" (got ${lr})`, { actual: lr }));
    } else latencyRequirementS = lr;
  } else if (typeof lr !== 'string' || !PERCENTILE.test(lr)) {
    issues.push(issue('invalid_value', '/platform/latency_requirement_s', `must be > 0 seconds or a percentile like "p50" (got ${JSON.stringify(lr)})`, { actual: lr }));
  }
  if (issues.length || !profile) return fail(...issues);

  const notes: string[] = [compatNote(p.compat)];
  // tecs21 reproduces the original, which hard-codes 16 MHz; corrected scales cycle counts with the set clock.
  const clockHz = p.compat === 'tecs21' ? profile.clock_hz : p.clock_hz;
  if (p.compat === 'tecs21' && p.clock_hz !== profile.clock_hz) {
    notes.push(`clock_hz ${p.clock_hz} ignored in tecs21 mode: the original cost model hard-codes ${profile.clock_hz} Hz`);
  }
  let nvm = p.nvm_capacity_bytes;
  if (profile.max_nvm_bytes !== null && nvm > profile.max_nvm_bytes) {
    notes.push(`nvm_capacity_bytes ${nvm} capped to the ${profile.max_nvm_bytes} bytes of the ${profile.name} profile`);
    nvm = profile.max_nvm_bytes;
  }
  if (profile.name === 'msp430fr5994-fram') notes.push(`${profile.name}: NVM transfer costs are datasheet-derived estimates (${profile.provenance})`);
  if (typeof lr === 'string') notes.push(`latency requirement ${lr} is a percentile; it is resolved by the search, not by explore`);
  return ok({
    profile,
    compat: p.compat,
    costs: buildCostTable(profile, p.compat, clockHz),
    capacitor: createCapacitor(p.capacitance_f, p.von_v, p.voff_v, p.energy_margin),
    harvester: createHarvester(p.vsup_v, p.harvester_resistance_ohm),
    vm_capacity_bytes: p.vm_capacity_bytes,
    nvm_capacity_bytes: nvm,
    data_size_bytes: p.data_size_bytes,
    clock_hz: clockHz,
    power: p.power,
    latency_requirement_s: latencyRequirementS,
    notes,
    settings: { ...p },
  });
}
