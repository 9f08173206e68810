import { buildMlflowFixtures, startFakeMlflow, type MlflowFixtures } from './fake-mlflow';

/**
 * The fake MLflow tracking server for the end-to-end tests (playwright.config.ts starts it), with
 * the integration fixtures renamed: the sync takes a Flightdeck model whose name an MLflow name
 * slugs to as the same model, and "Fraud Detector" would slug to the demo's fraud-detector (as
 * "Churn Predictor" would to churn-predictor), retagging demo versions other journeys rely on.
 */
const RENAMES: Record<string, string> = { 'Fraud Detector': 'Card Fraud Scorer', 'churn_model.v2': 'Churn Forecaster' };

function renamed(fixtures: MlflowFixtures): MlflowFixtures {
  const name = (n: string) => RENAMES[n] ?? n;
  return {
    ...fixtures,
    registeredModels: fixtures.registeredModels.map((m) => ({ ...m, name: name(m.name) })),
    modelVersions: fixtures.modelVersions.map((v) => ({ ...v, name: name(v.name) })),
    mlmodels: fixtures.mlmodels && Object.fromEntries(Object.entries(fixtures.mlmodels).map(([key, text]) => [key.replace(/^(.*)@/, (_, n: string) => `${name(n)}@`), text])),
  };
}

const port = Number(process.env.FAKE_MLFLOW_PORT ?? 3199);
void startFakeMlflow(renamed(buildMlflowFixtures()), port).then((fake) => console.log(`fake MLflow listening on ${fake.url}`));

// Playwright ends it with a signal; open keep-alive sockets would hold a graceful close.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
