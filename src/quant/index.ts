/** Public face of the quant module: Q15 quantization, the integer-exact reference, and the solution contract. */
export type { Solution, SolutionLayer, QuantLayer } from './solution.ts';
