// CLI tests also run the real bin, which loads the bundle in bundle/: build it
// first (as npm ci does) so they never test stale output.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: join(import.meta.dirname, '..'), stdio: 'inherit' });
}
