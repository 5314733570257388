/** Public face of the platform module: cost profiles as data, the capacitor/harvester model, `createPlatform`. */
/** Cost-profile records and the two MSP430FR5994 profiles (external SPI FRAM as in iNAS; internal FRAM, derived). */
export type { CostProfile, LinearPrimitive, ScalarPrimitive, OpCounts, OverheadKey } from './profiles.ts';
export { MSP430FR5994_EXTFRAM, MSP430FR5994_FRAM, COST_PROFILES, OVERHEAD_COUNTS, TECS21_LATENCY_BUG_KEYS } from './profiles.ts';
/** Capacitor (energy buffer) and RC harvester model of §1.9. */
export type { Capacitor, Harvester } from './capacitor.ts';
export { createCapacitor, createHarvester, rechargeTimeS, rechargeTime, capacitorWindowEnergyJ, harvesterCurrentA } from './capacitor.ts';
/** The platform: validated settings + profile in a compat mode + flat cost table. */
export type { Platform, CostTable } from './platform.ts';
export { createPlatform, buildCostTable, compatNote } from './platform.ts';
/** Unit conversions (the only place they happen). */
export { cyclesToSeconds, capacitorEnergyJ } from './units.ts';
