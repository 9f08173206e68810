-- A metrics push writes thousands of rows at once. Per 1,000 rows (EXPLAIN ANALYZE on the
-- organisation benchmark's table) the foreign-key check to releases took 5.6 of 33 ms, one
-- trigger call per row, and the surrogate id cost a sequence call and an index entry per row that
-- nothing reads. The ingest use case checks every release it is sent inside its transaction, and
-- releases are never deleted, so the key check protected nothing the app can do; the bucket, which
-- was unique already, is the primary key now (its index is kept, renamed, not rebuilt).
ALTER TABLE "metric_samples" DROP CONSTRAINT "metric_samples_release_id_releases_id_fk";--> statement-breakpoint
ALTER TABLE "metric_samples" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "metric_samples" ADD CONSTRAINT "metric_samples_pkey" PRIMARY KEY USING INDEX "metric_samples_bucket_uq";
