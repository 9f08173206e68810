DROP TABLE "drift_references" CASCADE;--> statement-breakpoint
DROP TABLE "drift_snapshots" CASCADE;