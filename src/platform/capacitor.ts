/**
 * Capacitor (energy buffer) and harvester model (reference §1.9). The system runs from Von down to Voff; a power
 * cycle may use Eav = ½·C·(Von² − Voff²)·margin. After a cycle that used Epc the capacitor recharges through the
 * harvester's equivalent resistance R towards Vsup (RC charging), from Vpce back up to Von.
 */
import { fail, issue, ok, type Result } from '../settings/index.ts';
import { capacitorEnergyJ } from './units.ts';

/** The energy buffer. */
export interface Capacitor {
  readonly capacitance_f: number;
  /** Turn-on voltage (V). */
  readonly von_v: number;
  /** Turn-off voltage (V). */
  readonly voff_v: number;
  /** Fraction of ½·C·(Von² − Voff²) assumed usable per power cycle. */
  readonly energy_margin: number;
  /** Eav: the energy budget of one power cycle (J). */
  readonly usable_energy_j: number;
}

/** The energy harvester, modelled as a voltage source behind an equivalent resistance (RC charging). */
export interface Harvester {
  readonly kind: 'rc';
  /** Open-circuit supply voltage (V). */
  readonly vsup_v: number;
  /** Equivalent series resistance of the harvesting module (ohm); the original calibrated it per setup. */
  readonly resistance_ohm: number;
}

/** Builds a capacitor record (no validation; `createPlatform` validates the settings). */
export function createCapacitor(capacitanceF: number, vonV: number, voffV: number, energyMargin: number): Capacitor {
  // Same evaluation order as the original: ½·C·(Von² − Voff²)·margin.
  const usable = 0.5 * capacitanceF * (vonV * vonV - voffV * voffV) * energyMargin;
  return { capacitance_f: capacitanceF, von_v: vonV, voff_v: voffV, energy_margin: energyMargin, usable_energy_j: usable };
}

/** Builds an RC harvester record. */
export function createHarvester(vsupV: number, resistanceOhm: number): Harvester {
  return { kind: 'rc', vsup_v: vsupV, resistance_ohm: resistanceOhm };
}

/**
 * Recharge time (s) after a power cycle that used `energyJ` (hot-path scalar form; no checks): the voltage at the end
 * of the cycle is Vpce = sqrt(2·(Eav − E)/C + Voff²) (the margin is folded in, as in the original), then
 * t = −R·C·ln((Von − Vsup)/(Vpce − Vsup)). Returns NaN where the model is undefined; use `rechargeTime` for checks.
 */
export function rechargeTimeS(cap: Capacitor, harv: Harvester, energyJ: number): number {
  const c = cap.capacitance_f;
  const vpce = Math.sqrt((2 * (cap.usable_energy_j - energyJ)) / c + cap.voff_v * cap.voff_v);
  return -harv.resistance_ohm * c * Math.log((cap.von_v - harv.vsup_v) / (vpce - harv.vsup_v));
}

/** The recharge time with the original's validity checks as typed `capacitor` issues (it called sys.exit). */
export function rechargeTime(cap: Capacitor, harv: Harvester, energyJ: number): Result<number> {
  const path = 'platform';
  if (!(energyJ > 0)) {
    return fail(issue('capacitor', path, `a power cycle must use a positive energy (got ${energyJ} J)`, { energy_j: energyJ }));
  }
  if (energyJ > cap.usable_energy_j) {
    return fail(issue('capacitor', path,
      `a power cycle needs ${energyJ} J but the capacitor provides only ${cap.usable_energy_j} J per cycle (C1)`,
      { energy_j: energyJ, budget_j: cap.usable_energy_j }));
  }
  if (!(harv.vsup_v > cap.von_v)) {
    return fail(issue('capacitor', path, `the harvester supply ${harv.vsup_v} V must exceed the turn-on voltage ${cap.von_v} V`,
      { vsup_v: harv.vsup_v, von_v: cap.von_v }));
  }
  if (!(cap.voff_v < cap.von_v)) {
    return fail(issue('capacitor', path, `the turn-off voltage ${cap.voff_v} V must be below the turn-on voltage ${cap.von_v} V`,
      { voff_v: cap.voff_v, von_v: cap.von_v }));
  }
  return ok(rechargeTimeS(cap, harv, energyJ));
}

/** Full ½·C·(Von² − Voff²) of the capacitor without the margin (J). */
export function capacitorWindowEnergyJ(cap: Capacitor): number {
  return capacitorEnergyJ(cap.capacitance_f, cap.von_v, cap.voff_v);
}

/** Charging current of the RC harvester at capacitor voltage v (A); 0 at or above Vsup. */
export function harvesterCurrentA(harv: Harvester, voltageV: number): number {
  return voltageV >= harv.vsup_v ? 0 : (harv.vsup_v - voltageV) / harv.resistance_ohm;
}
