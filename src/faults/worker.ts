/** Worker thread of a TS-engine campaign: evaluates a list of run indices and posts outcomes in batches. */
import { parentPort, workerData } from 'node:worker_threads';
import type { QModel } from '../quant/index.ts';
import { buildEvalSet, cleanWeightCrcs, runOnce, type Protection, type RunOutcome } from './engine_ts.ts';
import { faultSpace } from './sample.ts';
import type { FaultSpec } from './spec.ts';

interface Job {
  q: QModel;
  spec: FaultSpec;
  inputs: Int16Array[];
  labels: Int32Array;
  seed: number;
  runs: number[];
  protect: Protection;
}

const job = workerData as Job;
const set = buildEvalSet(job.q, job.inputs, job.labels);
const space = faultSpace(job.q, job.spec);
const crcs = cleanWeightCrcs(job.q);
let batch: RunOutcome[] = [];
let last = Date.now();
for (const run of job.runs) {
  batch.push(runOnce(job.q, space, job.spec, set, job.seed, run, job.protect, crcs));
  if (Date.now() - last > 200) {
    parentPort?.postMessage({ outcomes: batch });
    batch = [];
    last = Date.now();
  }
}
parentPort?.postMessage({ outcomes: batch, done: true });
