/**
 * Worker thread of a TS-engine campaign: builds the eval set, reports ready, and on 'go' takes chunks of run
 * indices from the shared counter, posting outcomes in batches.
 */
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
  runs: number;
  chunk: number;
  counter: SharedArrayBuffer;
  protect: Protection;
  fast: boolean;
}

const job = workerData as Job;
const set = buildEvalSet(job.q, job.inputs, job.labels);
const space = faultSpace(job.q, job.spec);
const crcs = cleanWeightCrcs(job.q);
const counter = new Int32Array(job.counter);
parentPort?.once('message', () => {
  let batch: RunOutcome[] = [];
  let last = Date.now();
  for (;;) {
    const start = Atomics.add(counter, 0, job.chunk);
    if (start >= job.runs) break;
    for (let run = start; run < Math.min(job.runs, start + job.chunk); run++) {
      batch.push(runOnce(job.q, space, job.spec, set, job.seed, run, job.protect, crcs, job.fast));
    }
    if (Date.now() - last > 200) {
      parentPort?.postMessage({ outcomes: batch });
      batch = [];
      last = Date.now();
    }
  }
  parentPort?.postMessage({ outcomes: batch, done: true });
});
parentPort?.postMessage({ ready: true });
