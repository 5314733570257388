/**
 * The platform cost profile the host simulator charges per operation (costs.h), from the cost model's flat cost
 * table (src/platform `CostTable`, reference §1.5) so the simulator and the prediction use the same constants.
 */
import type { PlatformSettings } from '../settings/index.ts';
import type { CostTable } from '../platform/index.ts';

/** The fields of the platform module's `CostTable` the simulator uses (any CostTable fits). */
export type CostTableLike = Omit<CostTable, 'mulE' | 'mulL' | 'maxE' | 'maxL'>;

/** Cost table + the division cost (not in the flat table: the cost model never charges GAP's division). */
export interface FirmwareCosts {
  readonly table: CostTableLike;
  readonly divide_energy_j: number;
  readonly divide_latency_s: number;
}

/** One primitive as the C struct inas_host_cost_t: fixed energy, energy per element, fixed latency, per element. */
export type CostRow = readonly [number, number, number, number];

/** The host profile (hal/host/hal_host.h `inas_host_profile_t`), every number in SI units. */
export interface HostProfile {
  readonly clock_hz: number;
  readonly nvm_read: CostRow; readonly nvm_write: CostRow; readonly vmac: CostRow;
  readonly mac_ovhd: CostRow; readonly pool: CostRow; readonly div: CostRow;
  readonly fd_i: CostRow; readonly fd_w: CostRow;
  /** Indexed by the firmware order code: [reuse_O, reuse_I, reuse_W]. */
  readonly fd_o: readonly [CostRow, CostRow, CostRow];
  readonly bd_o: readonly [CostRow, CostRow, CostRow];
  readonly reboot: CostRow;
  readonly capacitance_f: number; readonly von_v: number; readonly voff_v: number; readonly vsup_v: number;
  readonly harvester_resistance_ohm: number;
}

/** Maps the cost model's table and the platform settings to the simulator's profile. */
export function hostProfile(c: FirmwareCosts, p: PlatformSettings): HostProfile {
  const t = c.table;
  const hz = t.clockHz;
  const fixed = (e: number, l: number): CostRow => [e, 0, l, 0];
  return {
    clock_hz: hz,
    nvm_read: [t.rdEb, t.rdEa, t.rdCb / hz, t.rdCa / hz],
    nvm_write: [t.wrEb, t.wrEa, t.wrCb / hz, t.wrCa / hz],
    vmac: [t.macEb, t.macEa, t.macCb / hz, t.macCa / hz],
    mac_ovhd: fixed(t.addE + t.psumE + t.acumE, t.addL + t.psumL + t.acumL),
    pool: fixed(t.maxCmpE + t.maxOvhdE, t.maxCmpL + t.maxOvhdL),
    div: fixed(c.divide_energy_j, c.divide_latency_s),
    fd_i: fixed(t.fdIE, t.fdIL),
    fd_w: fixed(t.fdWE, t.fdWL),
    fd_o: [fixed(t.fdORuoE, t.fdORuoL), fixed(t.fdORuiE, t.fdORuiL), fixed(t.fdORuwE, t.fdORuwL)],
    bd_o: [fixed(t.bdORuoE, t.bdORuoL), fixed(t.bdORuiE, t.bdORuiL), fixed(t.bdORuwE, t.bdORuwL)],
    reboot: fixed(t.rbE, t.rbL),
    capacitance_f: p.capacitance_f, von_v: p.von_v, voff_v: p.voff_v, vsup_v: p.vsup_v,
    harvester_resistance_ohm: p.harvester_resistance_ohm,
  };
}
