import { runProcess } from './app/process.js';
import { startApp } from './app/start.js';

/** `npm start`: the HTTP server, and the schedules unless SCHEDULER=off. */
await runProcess((config, logger) => startApp(config, logger));
