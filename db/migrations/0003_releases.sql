ALTER TABLE "approvals" DROP CONSTRAINT "approvals_reviewer_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "approvals" ALTER COLUMN "reviewer_id" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "releases" ADD COLUMN "requested_by_id" text;