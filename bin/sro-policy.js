#!/usr/bin/env node
// The only place that exits the process; everything else returns an exit code.
// dist/sro-policy.mjs is the whole CLI in one file (npm run build bundles it):
// one module to load instead of hundreds keeps start-up close to bare Node.
import { main } from '../dist/sro-policy.mjs';

const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
process.once('SIGTERM', () => stop.abort());

process.exitCode = await main({
  signal: stop.signal,
  argv: process.argv.slice(2),
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
