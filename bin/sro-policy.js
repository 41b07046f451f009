#!/usr/bin/env node
// The only place that exits the process; everything else returns an exit code.
// Node 22 and later keep the compiled bundle in their compile cache (Node's own,
// per Node version); Node 20 has none and compiles it each time (see
// docs/performance.md, "Start-up").
import module, { createRequire } from 'node:module';

module.enableCompileCache?.();
const { main } = createRequire(import.meta.url)('../bundle/cli.cjs');

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
