#!/usr/bin/env node
// The only place that exits the process; everything else returns an exit code.
// bundle/ holds the CLI in a few modules (npm run build bundles it), split so
// that a rebuild with nothing to do loads only a small part: loading a few
// modules instead of hundreds keeps start-up close to bare Node.
import { main } from '../bundle/cli.js';

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
