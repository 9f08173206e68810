CREATE TABLE "drift_references" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version_id" uuid NOT NULL,
	"feature" text NOT NULL,
	"role" text DEFAULT 'feature' NOT NULL,
	"feature_type" text NOT NULL,
	"bins" jsonb NOT NULL,
	"summary" jsonb,
	"sample" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drift_snapshots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"counts" jsonb NOT NULL,
	"sample" jsonb,
	"n" integer NOT NULL,
	"method" text NOT NULL,
	"value" real NOT NULL,
	"scores" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"severity" text DEFAULT 'ok' NOT NULL,
	"simulated" boolean DEFAULT false NOT NULL,
	"evaluated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"alert_id" uuid NOT NULL,
	"action" text NOT NULL,
	"actor" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_instances" (
	"dedup_key" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"state" jsonb NOT NULL,
	"alert_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "drift_policy" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "environments" ADD COLUMN "alert_gate" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "environment_id" uuid;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "feature" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "resolved_by" text;--> statement-breakpoint
ALTER TABLE "webhooks" ADD COLUMN "format" text DEFAULT 'flightdeck' NOT NULL;--> statement-breakpoint
ALTER TABLE "drift_references" ADD CONSTRAINT "drift_references_version_id_model_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_snapshots" ADD CONSTRAINT "drift_snapshots_reference_id_drift_references_id_fk" FOREIGN KEY ("reference_id") REFERENCES "public"."drift_references"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_snapshots" ADD CONSTRAINT "drift_snapshots_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_instances" ADD CONSTRAINT "alert_instances_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "drift_references_version_feature_uq" ON "drift_references" USING btree ("version_id","feature");--> statement-breakpoint
CREATE UNIQUE INDEX "drift_snapshots_window_uq" ON "drift_snapshots" USING btree ("reference_id","environment_id","window_start");--> statement-breakpoint
CREATE INDEX "drift_snapshots_pending_idx" ON "drift_snapshots" USING btree ("evaluated_at","created_at");--> statement-breakpoint
CREATE INDEX "drift_snapshots_reference_time_idx" ON "drift_snapshots" USING btree ("reference_id","environment_id","window_end" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "alert_events_alert_idx" ON "alert_events" USING btree ("alert_id","created_at");--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_unresolved_dedup_uq" ON "alerts" USING btree ("dedup_key") WHERE state <> 'resolved';