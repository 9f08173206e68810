import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** staging, production, … with their protection rules. */
export const environments = pgTable('environments', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  rank: integer('rank').notNull().default(0), // display and promotion order
  requiredApprovals: integer('required_approvals').notNull().default(0),
  approverRoles: text('approver_roles').array().notNull().default(['reviewer']),
  approvalTtlHours: integer('approval_ttl_hours').notNull().default(72),
  requiredChecks: text('required_checks').array().notNull().default([]),
  // Per check kind: thresholds the measured numbers must meet (MLflow-style validation rules).
  checkThresholds: jsonb('check_thresholds').notNull().default({}),
  policyVersion: integer('policy_version').notNull().default(1),
  defaultPlan: jsonb('default_plan').notNull().default([]),
  // [{ start: ISO, end: ISO, reason }] — only rollbacks are allowed inside.
  freezeWindows: jsonb('freeze_windows').notNull().default([]),
  // Canary analysis: how often the controller judges (seconds) and with which metrics and limits
  // (lib/domain/canary-judge AnalysisConfig; empty means the defaults).
  analysisIntervalSeconds: integer('analysis_interval_seconds').notNull().default(60),
  analysisConfig: jsonb('analysis_config').notNull().default({}),
  // What a critical drift or SLO alert does to a release in flight here: none | pause | rollback.
  alertGate: text('alert_gate').notNull().default('none'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
