ALTER TABLE "gate_checks" ADD COLUMN "summary" text;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "contract_change" jsonb;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "payload_digest" text DEFAULT '' NOT NULL;