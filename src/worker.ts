import { runProcess } from './app/process.js';
import { startWorker } from './app/worker.js';

/** `npm run worker`: the schedules alone, no HTTP server (nothing under src/http is loaded: .dependency-cruiser.cjs). */
await runProcess((config, logger) => startWorker(config, logger));
