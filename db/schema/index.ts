// The whole domain, one file per aggregate. Later issues extend it by migration.
export * from './users';
export * from './models';
export * from './environments';
export * from './releases';
export * from './telemetry';
export * from './experiments';
export * from './drift';
export * from './alerts';
export * from './slos';
export * from './webhooks';
export * from './integrations';
export * from './audit';
