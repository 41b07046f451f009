// Types of bench/generate.mjs, for the tests that build generated manuals.
export function prng(seed: number): { next(): number; int(lo: number, hi: number): number; pick<T>(xs: readonly T[]): T; chance(p: number): boolean };
export function policyNumbers(count: number, seed?: number): string[];
export function generate(
  folder: string,
  count: number,
  options?: { seed?: number },
): { folder: string; library: string; config: string; numbers: string[]; bytes: number; listed: number };
