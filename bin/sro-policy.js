#!/usr/bin/env node
// The only place that exits the process; everything else returns an exit code.
import { loadCli } from './load-cli.js';

const { main } = loadCli().exports;

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
