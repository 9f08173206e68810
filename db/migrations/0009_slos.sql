CREATE TABLE "service_samples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"model_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"requests" double precision NOT NULL,
	"errors" double precision DEFAULT 0 NOT NULL,
	"histogram" jsonb,
	"simulated" boolean DEFAULT false NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"objective" double precision NOT NULL,
	"latency_threshold_ms" double precision,
	"created_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "service_samples" ADD CONSTRAINT "service_samples_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_samples" ADD CONSTRAINT "service_samples_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slos" ADD CONSTRAINT "slos_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slos" ADD CONSTRAINT "slos_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "service_samples_bucket_uq" ON "service_samples" USING btree ("model_id","environment_id","bucket_start");--> statement-breakpoint
CREATE INDEX "service_samples_time_idx" ON "service_samples" USING btree ("model_id","environment_id","bucket_start");--> statement-breakpoint
CREATE UNIQUE INDEX "slos_model_env_kind_uq" ON "slos" USING btree ("model_id","environment_id","kind");