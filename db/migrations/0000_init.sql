CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"roles" text[] NOT NULL,
	"scopes" text[] NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_secret_hash_unique" UNIQUE("secret_hash")
);
--> statement-breakpoint
CREATE TABLE "login_throttle" (
	"email" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"last_failure_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text,
	"roles" text[] DEFAULT '{}' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sign_in_at" timestamp with time zone,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "gate_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"measurements" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"link" text,
	"reported_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"version" text NOT NULL,
	"major" integer NOT NULL,
	"minor" integer NOT NULL,
	"patch" integer NOT NULL,
	"prerelease" text,
	"artifact_uri" text NOT NULL,
	"artifact_digest" text NOT NULL,
	"git_commit" text,
	"data_snapshot_id" text,
	"data_snapshot_hash" text,
	"hyperparameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"offline_metrics" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"contract" jsonb DEFAULT '{"inputs":[],"outputs":[]}'::jsonb NOT NULL,
	"parent_version_id" uuid,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"status" text DEFAULT 'registered' NOT NULL,
	"registered_by" text NOT NULL,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"owner_team" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"serving_service" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "models_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "environments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"rank" integer DEFAULT 0 NOT NULL,
	"required_approvals" integer DEFAULT 0 NOT NULL,
	"approver_roles" text[] DEFAULT '{"reviewer"}' NOT NULL,
	"approval_ttl_hours" integer DEFAULT 72 NOT NULL,
	"required_checks" text[] DEFAULT '{}' NOT NULL,
	"check_thresholds" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"policy_version" integer DEFAULT 1 NOT NULL,
	"default_plan" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"freeze_windows" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "environments_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"release_id" uuid NOT NULL,
	"reviewer_id" uuid,
	"reviewer" text NOT NULL,
	"decision" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"evidence_digest" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"voided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "release_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"release_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"weight" integer NOT NULL,
	"hold_seconds" integer DEFAULT 0 NOT NULL,
	"analysis_required" boolean DEFAULT false NOT NULL,
	"manual_gate" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "releases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"baseline_version_id" uuid,
	"environment_id" uuid NOT NULL,
	"strategy" text NOT NULL,
	"state" text NOT NULL,
	"current_step" integer DEFAULT 0 NOT NULL,
	"current_weight" integer DEFAULT 0 NOT NULL,
	"routing" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"routing_revision" integer DEFAULT 0 NOT NULL,
	"requested_by" text NOT NULL,
	"requested_by_user_id" uuid,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"step_started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analysis_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"release_id" uuid NOT NULL,
	"step" integer NOT NULL,
	"interval_start" timestamp with time zone NOT NULL,
	"interval_end" timestamp with time zone NOT NULL,
	"verdict" text NOT NULL,
	"score" real,
	"metrics" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metric_samples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"release_id" uuid NOT NULL,
	"variant" text NOT NULL,
	"metric" text NOT NULL,
	"kind" text NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"count" double precision DEFAULT 0 NOT NULL,
	"errors" double precision DEFAULT 0 NOT NULL,
	"sum" double precision,
	"sum_squares" double precision,
	"histogram" jsonb,
	"simulated" boolean DEFAULT false NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "experiments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"release_id" uuid,
	"name" text NOT NULL,
	"hypothesis" text NOT NULL,
	"arms" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"randomisation_unit" text DEFAULT 'user' NOT NULL,
	"primary_metric" text NOT NULL,
	"secondary_metrics" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"guardrail_metrics" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"minimum_detectable_effect" double precision,
	"alpha" double precision DEFAULT 0.05 NOT NULL,
	"power" double precision DEFAULT 0.8 NOT NULL,
	"planned_sample_size" integer,
	"sequential" jsonb DEFAULT '{"method":"confidence_sequence","nStar":5000}'::jsonb NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"decision" text,
	"decision_reason" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "drift_references" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version_id" uuid NOT NULL,
	"feature" text NOT NULL,
	"feature_type" text NOT NULL,
	"bins" jsonb NOT NULL,
	"summary" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drift_snapshots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference_id" uuid NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"counts" jsonb NOT NULL,
	"scores" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"severity" text DEFAULT 'ok' NOT NULL,
	"max_score" real,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"severity" text NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"dedup_key" text NOT NULL,
	"title" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"model_id" uuid,
	"version_id" uuid,
	"release_id" uuid,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_by" text,
	"acknowledged_at" timestamp with time zone,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"release_id" uuid,
	"title" text NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"detected_at" timestamp with time zone,
	"rolled_back_at" timestamp with time zone,
	"rolled_back_by" text,
	"postmortem" text DEFAULT '' NOT NULL,
	"postmortem_owner" text,
	"action_items" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"webhook_id" uuid NOT NULL,
	"event" text NOT NULL,
	"payload" jsonb NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"outbox_id" bigint NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer,
	"attempted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"url" text NOT NULL,
	"secret" text NOT NULL,
	"events" text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_name" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"reason" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_events_id_unique" UNIQUE("id")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gate_checks" ADD CONSTRAINT "gate_checks_version_id_model_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_steps" ADD CONSTRAINT "release_steps_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "releases" ADD CONSTRAINT "releases_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "releases" ADD CONSTRAINT "releases_version_id_model_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "releases" ADD CONSTRAINT "releases_baseline_version_id_model_versions_id_fk" FOREIGN KEY ("baseline_version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "releases" ADD CONSTRAINT "releases_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "releases" ADD CONSTRAINT "releases_requested_by_user_id_users_id_fk" FOREIGN KEY ("requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_runs" ADD CONSTRAINT "analysis_runs_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_samples" ADD CONSTRAINT "metric_samples_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_references" ADD CONSTRAINT "drift_references_version_id_model_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_snapshots" ADD CONSTRAINT "drift_snapshots_reference_id_drift_references_id_fk" FOREIGN KEY ("reference_id") REFERENCES "public"."drift_references"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_version_id_model_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_webhook_id_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."webhooks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_outbox_id_outbox_id_fk" FOREIGN KEY ("outbox_id") REFERENCES "public"."outbox"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_created_idx" ON "api_keys" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "gate_checks_version_kind_uq" ON "gate_checks" USING btree ("version_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_model_version_uq" ON "model_versions" USING btree ("model_id","version");--> statement-breakpoint
CREATE INDEX "model_versions_model_registered_idx" ON "model_versions" USING btree ("model_id","registered_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "model_versions_registered_idx" ON "model_versions" USING btree ("registered_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "model_versions_order_idx" ON "model_versions" USING btree ("model_id","major" DESC NULLS LAST,"minor" DESC NULLS LAST,"patch" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "models_owner_idx" ON "models" USING btree ("owner_team");--> statement-breakpoint
CREATE INDEX "models_service_idx" ON "models" USING btree ("serving_service");--> statement-breakpoint
CREATE INDEX "approvals_release_idx" ON "approvals" USING btree ("release_id");--> statement-breakpoint
CREATE UNIQUE INDEX "approvals_release_reviewer_uq" ON "approvals" USING btree ("release_id","reviewer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "release_steps_release_position_uq" ON "release_steps" USING btree ("release_id","position");--> statement-breakpoint
CREATE INDEX "releases_state_idx" ON "releases" USING btree ("state","updated_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "releases_model_idx" ON "releases" USING btree ("model_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "releases_env_state_idx" ON "releases" USING btree ("environment_id","state");--> statement-breakpoint
CREATE INDEX "analysis_runs_release_idx" ON "analysis_runs" USING btree ("release_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "metric_samples_bucket_uq" ON "metric_samples" USING btree ("release_id","metric","variant","bucket_start");--> statement-breakpoint
CREATE INDEX "metric_samples_release_time_idx" ON "metric_samples" USING btree ("release_id","bucket_start");--> statement-breakpoint
CREATE INDEX "experiments_state_idx" ON "experiments" USING btree ("state","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "drift_references_version_feature_uq" ON "drift_references" USING btree ("version_id","feature");--> statement-breakpoint
CREATE UNIQUE INDEX "drift_snapshots_window_uq" ON "drift_snapshots" USING btree ("reference_id","window_start");--> statement-breakpoint
CREATE INDEX "drift_snapshots_severity_idx" ON "drift_snapshots" USING btree ("severity","window_end" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "alerts_state_idx" ON "alerts" USING btree ("state","severity","opened_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "alerts_model_idx" ON "alerts" USING btree ("model_id","opened_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "incidents_created_idx" ON "incidents" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_release_uq" ON "incidents" USING btree ("release_id");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("state","next_attempt_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_outbox_idx" ON "webhook_deliveries" USING btree ("outbox_id");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_events_prev_hash_uq" ON "audit_events" USING btree ("prev_hash");--> statement-breakpoint
CREATE INDEX "audit_events_occurred_idx" ON "audit_events" USING btree ("occurred_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_events_target_idx" ON "audit_events" USING btree ("target_type","target_id","seq" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_events_actor_idx" ON "audit_events" USING btree ("actor_id","seq" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_events_action_idx" ON "audit_events" USING btree ("action","seq" DESC NULLS LAST);