// The entry point of a large build's worker threads (bundled into bundle/shard-worker.js).
import './build/worker.js';
