/**
 * Unit conversions of the platform module (STYLE §4: conversions live only here). Values are SI: seconds, joules,
 * farads, ohms, volts, bytes, hertz.
 */

/** Converts a cycle count at a clock frequency into seconds. */
export function cyclesToSeconds(cycles: number, clockHz: number): number {
  return cycles / clockHz;
}

/** Energy stored between two voltages of a capacitor: ½·C·(Vtop² − Vbot²) (J). */
export function capacitorEnergyJ(capacitanceF: number, vTopV: number, vBottomV: number): number {
  return 0.5 * capacitanceF * (vTopV * vTopV - vBottomV * vBottomV);
}
