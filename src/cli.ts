// The command line's entry point (bundled into bundle/cli.cjs, which bin/ loads).
export { EXIT_CONTENT, EXIT_OK, EXIT_USAGE, main, version, type Io } from './cli/main.js';
