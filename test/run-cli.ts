// Run the CLI two ways with one test table: in-process through main(), and as a
// subprocess through the real bin (as users and CI run it).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const BIN = join(import.meta.dirname, '..', 'bin', 'sro-policy.js');

export async function runInProcess(argv: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv,
    cwd,
    env: { ...env },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

export function runBin(argv: string[], cwd: string, env: Record<string, string | undefined> = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...argv], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export const RUNNERS = {
  'in-process': runInProcess,
  subprocess: async (argv: string[], cwd: string, env?: Record<string, string | undefined>) => runBin(argv, cwd, env),
} as const;
