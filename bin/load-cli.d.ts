import type vm from 'node:vm';

export const BUNDLE: string;
export const CODE_CACHE: string;
export function bundleHash(bytes: Uint8Array): Buffer;
export function loadCli(options?: { bundle?: string; cache?: string | false }): {
  exports: typeof import('../src/cli/main.js');
  script: vm.Script;
  bytes: Buffer;
  cached: boolean;
};
export function cachedDataFor(bundle: Uint8Array, path: string): Buffer | undefined;
export function cacheFile(bundle: Uint8Array, data: Uint8Array): Buffer;
