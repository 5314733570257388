/** Public face of the faults module: fault models, specs, campaigns on the Q15 reference (TS engine) and on the host-built firmware (firmware engine), statistics and logs. */
export type { FaultKind } from './bits.ts';
/** Word-level fault operations on two's-complement Q15/int8 words. */
export { FAULT_KINDS, applyWordFault, signExtend } from './bits.ts';
export type { FaultSpec, FaultSpecInput, FaultTarget, FaultAmount, Persistence } from './spec.ts';
/** Fault specifications (what, how, how much, how long). */
export { FAULT_TARGETS, PERSISTENCES, parseFaultSpec, eligibleBits } from './spec.ts';
export type { FaultTensor, DrawnFault } from './sample.ts';
/** The fault space of a model and seeded (common-random-number) fault drawing. */
export { faultSpace, populationSize, drawFaults, runRng } from './sample.ts';
export type { Protection, DueKind, AppliedFault, EvalSet, RunOutcome } from './engine_ts.ts';
/** The TS engine: the Q15 reference with faults applied. */
export { PROTECTIONS, buildEvalSet, runOnce, cleanWeightCrcs } from './engine_ts.ts';
export type { FirmwareLayerMap, FirmwareTarget, FirmwareCampaignOptions, FirmwareReference, FiLine } from './engine_firmware.ts';
/** The firmware engine: campaigns on the host-built firmware with faults injected at NVM addresses. */
export {
  STATE_REGIONS, weightAddress, firmwareSpace, firmwareSpecIssue, checkCampaignFailures, checkTornShape, parseFiLine, dueOfStatus,
  firmwareReference, runFirmwareCampaign, replayFirmwareRun,
} from './engine_firmware.ts';
export type { CampaignOptions, CampaignResult, Vulnerability } from './campaign.ts';
/** Campaigns: planning (Leveugle), execution on worker threads, aggregation, replay. */
export { plannedRuns, runTsCampaign, summarize, replayRun } from './campaign.ts';
/** Statistics: sample size, Wilson intervals, rule of three, percentiles. */
export { leveugleSampleSize, wilsonInterval, ruleOfThree, criticalValue, normalQuantile, percentile } from './stats.ts';
export type { LogHeader } from './log.ts';
/** Replayable campaign logs. */
export { writeLog, readLog } from './log.ts';
/** CRC-32 (IEEE). */
export { crc32 } from './crc32.ts';
export type { FaultyAccuracyOptions } from './tolerance.ts';
/** Faulty accuracy of a float child for the fault-tolerant search reward. */
export { createFaultyAccuracy } from './tolerance.ts';
