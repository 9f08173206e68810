ALTER TABLE "environments" ADD COLUMN "analysis_interval_seconds" integer DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE "environments" ADD COLUMN "analysis_config" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "analysis_runs" ADD COLUMN "evidence" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "analysis_runs_interval_uq" ON "analysis_runs" USING btree ("release_id","interval_start");