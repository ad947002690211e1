CREATE TYPE "public"."import_source" AS ENUM('kolada', 'csv');--> statement-breakpoint
CREATE TYPE "public"."import_status" AS ENUM('running', 'succeeded', 'failed');--> statement-breakpoint
CREATE TABLE "imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" "import_source" NOT NULL,
	"status" "import_status" DEFAULT 'running' NOT NULL,
	"actor" text NOT NULL,
	"api_key_id" uuid,
	"source_url" text NOT NULL,
	"parameters" jsonb NOT NULL,
	"checkpoint" jsonb,
	"dry_run" boolean DEFAULT false NOT NULL,
	"rows_read" bigint DEFAULT 0 NOT NULL,
	"indicators_created" integer DEFAULT 0 NOT NULL,
	"indicators_changed" integer DEFAULT 0 NOT NULL,
	"indicators_unchanged" integer DEFAULT 0 NOT NULL,
	"observations_created" bigint DEFAULT 0 NOT NULL,
	"observations_changed" bigint DEFAULT 0 NOT NULL,
	"observations_unchanged" bigint DEFAULT 0 NOT NULL,
	"observations_deleted" bigint DEFAULT 0 NOT NULL,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
-- Unlogged: staged rows are a working copy; a crash loses only what a rerun stages again.
CREATE UNLOGGED TABLE "observation_staging" (
	"import_id" uuid NOT NULL,
	"position" bigint NOT NULL,
	"indicator_code" text NOT NULL,
	"region_code" text,
	"municipality_code" text,
	"organisation_id" uuid,
	"period" text NOT NULL,
	"value" numeric,
	"dimensions" jsonb NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	CONSTRAINT "observation_staging_value_or_deleted" CHECK ("observation_staging"."value" IS NOT NULL OR "observation_staging"."deleted")
);
--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observation_staging" ADD CONSTRAINT "observation_staging_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "imports_started_at_idx" ON "imports" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "imports_source_status_idx" ON "imports" USING btree ("source","status");--> statement-breakpoint
CREATE INDEX "observation_staging_import_idx" ON "observation_staging" USING btree ("import_id","position");