// Preloaded with `node --import ./bench/rusage.mjs …` when /usr/bin/time is not
// available: writes the process's own resource usage (CPU time in microseconds,
// maxRSS in kilobytes) as JSON to $BENCH_RUSAGE_OUT when the process exits.
import { writeFileSync } from 'node:fs';

const out = process.env.BENCH_RUSAGE_OUT;
if (out) {
  process.on('exit', () => {
    writeFileSync(out, JSON.stringify(process.resourceUsage()));
  });
}
