-- Every "newest first" index was built DESC NULLS LAST (drizzle's default for .desc()), but the
-- queries ask for ORDER BY x DESC, which Postgres reads as DESC NULLS FIRST: the planner cannot
-- use such an index for that order, in either direction. The Overview's "latest versions" sorted
-- all 20,000 versions (12 ms) instead of reading 8 index entries (0.1 ms); the models list, the
-- release lists and the audit explorer's filtered pages paid the same way. Rebuilt as DESC NULLS
-- FIRST, which serves ORDER BY x DESC forwards and ORDER BY x ASC backwards.
DROP INDEX "model_versions_model_registered_idx";--> statement-breakpoint
DROP INDEX "model_versions_registered_idx";--> statement-breakpoint
DROP INDEX "model_versions_order_idx";--> statement-breakpoint
DROP INDEX "releases_state_idx";--> statement-breakpoint
DROP INDEX "releases_model_idx";--> statement-breakpoint
DROP INDEX "analysis_runs_release_idx";--> statement-breakpoint
DROP INDEX "experiments_created_idx";--> statement-breakpoint
DROP INDEX "drift_snapshots_reference_time_idx";--> statement-breakpoint
DROP INDEX "alerts_state_idx";--> statement-breakpoint
DROP INDEX "alerts_model_idx";--> statement-breakpoint
DROP INDEX "incidents_created_idx";--> statement-breakpoint
DROP INDEX "mlflow_syncs_finished_idx";--> statement-breakpoint
DROP INDEX "audit_events_occurred_idx";--> statement-breakpoint
DROP INDEX "audit_events_target_idx";--> statement-breakpoint
DROP INDEX "audit_events_actor_idx";--> statement-breakpoint
DROP INDEX "audit_events_action_idx";--> statement-breakpoint
CREATE INDEX "model_versions_model_registered_idx" ON "model_versions" USING btree ("model_id","registered_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "model_versions_registered_idx" ON "model_versions" USING btree ("registered_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "model_versions_order_idx" ON "model_versions" USING btree ("model_id","major" DESC NULLS FIRST,"minor" DESC NULLS FIRST,"patch" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "releases_state_idx" ON "releases" USING btree ("state","updated_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "releases_model_idx" ON "releases" USING btree ("model_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "analysis_runs_release_idx" ON "analysis_runs" USING btree ("release_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "experiments_created_idx" ON "experiments" USING btree ("created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "drift_snapshots_reference_time_idx" ON "drift_snapshots" USING btree ("reference_id","environment_id","window_end" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "alerts_state_idx" ON "alerts" USING btree ("state","severity","opened_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "alerts_model_idx" ON "alerts" USING btree ("model_id","opened_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "incidents_created_idx" ON "incidents" USING btree ("created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "mlflow_syncs_finished_idx" ON "mlflow_syncs" USING btree ("finished_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_occurred_idx" ON "audit_events" USING btree ("occurred_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_target_idx" ON "audit_events" USING btree ("target_type","target_id","seq" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_actor_idx" ON "audit_events" USING btree ("actor_id","seq" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_action_idx" ON "audit_events" USING btree ("action","seq" DESC NULLS FIRST);