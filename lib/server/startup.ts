import { getConfig, ConfigError } from '@/lib/config';
import { DatabaseUnavailableError, getDb, getDbHandle } from '@/db';
import { seedDemo } from '@/db/seed/demo';
import { bootstrap } from './bootstrap';
import { startController } from './controller/run';
import { configuredPrometheus, PrometheusConfigError } from './prometheus-provider';
import { configuredMlflow, MlflowConfigError } from '@/lib/config/mlflow';
import { mlflowScheduleJob } from './mlflow/schedule';
import { configuredSentry, SentryConfigError } from './observability/error-reporter';
import { startDemoSimulator } from './demo-simulator';
import { startWebhookWorker } from './webhook-worker';

/**
 * Everything a server does once before it answers: validate the configuration, open and migrate
 * the database, bootstrap the first admin/API key, seed the demo. A configuration or database
 * problem ends the process with one readable line and exit code 1 — not a stack trace.
 */
export async function prepareServer(log: (line: string) => void = (line) => console.log(line)): Promise<void> {
  try {
    const config = getConfig();
    configuredPrometheus(); // validates FLIGHTDECK_PROMETHEUS_URL now, not at the first analysis
    const mlflow = configuredMlflow();
    configuredSentry(); // a malformed SENTRY_DSN stops start-up instead of silently reporting nothing
    const handle = await getDbHandle();
    const notes = await bootstrap(handle.db, config);
    if (config.demo) notes.push(await seedDemo(handle.db));
    const where = handle.driver === 'pglite' ? `embedded PGlite (${config.dataDir})` : 'Postgres (DATABASE_URL)';
    log(`flightdeck: database ready on ${where}${notes.length ? `; ${notes.join('; ')}` : ''}`);
    // Tests and one-off scripts opt out. Several instances may all run the webhook worker (it skips
    // locked rows); the controller acts only in the instance holding the leader lock.
    if (process.env.FLIGHTDECK_DISABLE_WORKERS !== '1') {
      startWebhookWorker(getDb, 2000, config.authUrl);
      await startController(getDb, config, 1000, mlflow && mlflow.syncSeconds > 0 ? [mlflowScheduleJob(mlflow)] : []);
      if (config.demo) await startDemoSimulator(handle.db, config);
    }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatabaseUnavailableError || error instanceof PrometheusConfigError || error instanceof MlflowConfigError || error instanceof SentryConfigError) {
      console.error(`flightdeck: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
