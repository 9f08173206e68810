ALTER TABLE "releases" ADD COLUMN "trace_parent" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "traceparent" text;