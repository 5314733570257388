/** Models too large for some MSP430 builds (test/firmware/msp430_fit.test.ts, test/cli/build.test.ts). */
import { buildNetwork, type Network } from '../../src/network/index.ts';
import { makeFixture, type Fixture } from './fixtures.ts';

/** An FC network of the fc family: input [n, 1, 1] (FC_0's kernel spans it), hidden units, 3 classes. */
export function fcNetwork(input: number, units: readonly number[]): Network {
  const r = buildNetwork([...units], { family: 'fc', layers: units.length, kernel_sizes: [1], filters: [4], input_shape: [input, 1, 1], classes: 3 }, { strictChoices: false });
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
  return r.value;
}

/**
 * The 250→64→48→3 FC model: 38 432 B of 16-bit weights (2 golden vectors), tile buffers 2 548 B (within the
 * 2.5 KiB budget). Too large for msp430-sim (weights image + NVM copy + code in the 48 KiB of lower FRAM).
 */
export function bigFcFixture(): Fixture {
  return makeFixture(fcNetwork(250, [64, 48]), ['1_1_2_1_reuse_O_S1', '1_1_8_16_reuse_O_S1', '1_1_3_16_reuse_O_S1'], { seed: 3, count: 2 });
}
