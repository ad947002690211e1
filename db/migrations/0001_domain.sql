CREATE TYPE "public"."entity_type" AS ENUM('region', 'organisation', 'person', 'membership', 'meeting', 'meeting_participant', 'agenda_item', 'decision', 'assignment', 'assignment_report', 'audit', 'recommendation', 'audit_response', 'recommendation_response', 'grant_programme', 'grant', 'allocation', 'indicator', 'indicator_target', 'observation', 'document', 'topic', 'api_key');--> statement-breakpoint
CREATE TYPE "public"."organisation_kind" AS ENUM('regional_council', 'board', 'committee', 'steering_group', 'administration', 'operational_area', 'health_centre', 'municipality', 'national_body', 'working_group', 'auditor', 'other');--> statement-breakpoint
CREATE TYPE "public"."ownership" AS ENUM('public', 'private');--> statement-breakpoint
CREATE TYPE "public"."meeting_kind" AS ENUM('sitting', 'steering_group', 'dialogue_meeting', 'seminar', 'workshop', 'other');--> statement-breakpoint
CREATE TYPE "public"."participant_role" AS ENUM('chair', 'secretary', 'present', 'absent', 'presenter', 'guest');--> statement-breakpoint
CREATE TYPE "public"."decision_kind" AS ENUM('decision', 'direction', 'delegation', 'approval');--> statement-breakpoint
CREATE TYPE "public"."assignment_forecast" AS ENUM('expected_done', 'not_expected_done');--> statement-breakpoint
CREATE TYPE "public"."assignment_status" AS ENUM('not_started', 'started', 'ongoing', 'completed', 'not_applicable', 'not_handled');--> statement-breakpoint
CREATE TYPE "public"."grant_status" AS ENUM('requested', 'awarded', 'paid');--> statement-breakpoint
CREATE TYPE "public"."indicator_direction" AS ENUM('higher_is_better', 'lower_is_better', 'neutral');--> statement-breakpoint
CREATE TYPE "public"."target_comparator" AS ENUM('at_most', 'at_least', 'equal');--> statement-breakpoint
CREATE TYPE "public"."document_kind" AS ENUM('minutes', 'information_letter', 'audit_report', 'audit_response', 'report', 'grant_letter', 'dashboard', 'other');--> statement-breakpoint
CREATE TYPE "public"."change_operation" AS ENUM('create', 'update', 'delete', 'restore');--> statement-breakpoint
CREATE TYPE "public"."api_key_scope" AS ENUM('write', 'admin');--> statement-breakpoint
CREATE TABLE "regions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"county_name" text NOT NULL,
	"iso_code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "regions_code_format" CHECK ("regions"."code" ~ '^[0-9]{2}$'),
	CONSTRAINT "regions_iso_code_format" CHECK ("regions"."iso_code" ~ '^SE-[A-Z]{1,2}$')
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "organisation_kind" NOT NULL,
	"name" text NOT NULL,
	"aliases" text[] DEFAULT ARRAY[]::text[] NOT NULL,
	"region_id" uuid,
	"parent_id" uuid,
	"ownership" "ownership",
	"organisation_number" text,
	"municipality_code" text,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "organisations_municipality_code_format" CHECK ("organisations"."municipality_code" ~ '^[0-9]{4}$'),
	CONSTRAINT "organisations_municipality_has_code" CHECK (("organisations"."kind" = 'municipality') = ("organisations"."municipality_code" IS NOT NULL)),
	CONSTRAINT "organisations_organisation_number_format" CHECK ("organisations"."organisation_number" ~ '^[0-9]{6}-[0-9]{4}$'),
	CONSTRAINT "organisations_not_own_parent" CHECK ("organisations"."parent_id" IS NULL OR "organisations"."parent_id" <> "organisations"."id")
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"title" text,
	"started_on" date,
	"ended_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "memberships_dates_ordered" CHECK ("memberships"."started_on" IS NULL OR "memberships"."ended_on" IS NULL OR "memberships"."started_on" <= "memberships"."ended_on")
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"aliases" text[] DEFAULT ARRAY[]::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agenda_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"ordinal" integer NOT NULL,
	"title" text NOT NULL,
	"summary" text,
	"search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('swedish'::regconfig, naravard_unaccent(coalesce(title, '') || ' ' || coalesce(summary, '')))) STORED,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "agenda_items_ordinal_positive" CHECK ("agenda_items"."ordinal" > 0)
);
--> statement-breakpoint
CREATE TABLE "meeting_participants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"person_id" uuid,
	"organisation_id" uuid,
	"role" "participant_role" NOT NULL,
	"title" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "meeting_participants_has_subject" CHECK ("meeting_participants"."person_id" IS NOT NULL OR "meeting_participants"."organisation_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "meetings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"kind" "meeting_kind" NOT NULL,
	"organisation_id" uuid,
	"region_id" uuid,
	"held_on" date NOT NULL,
	"starts_at" time,
	"ends_at" time,
	"place" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "decision_kind" NOT NULL,
	"title" text,
	"text" text NOT NULL,
	"decided_on" date,
	"decided_by_id" uuid,
	"meeting_id" uuid,
	"agenda_item_id" uuid,
	"region_id" uuid,
	"search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('swedish'::regconfig, naravard_unaccent(coalesce(title, '') || ' ' || coalesce(text, '')))) STORED,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assignment_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assignment_id" uuid NOT NULL,
	"reported_on" date,
	"source" text,
	"status" "assignment_status",
	"forecast" "assignment_forecast",
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text,
	"title" text NOT NULL,
	"description" text,
	"issued_by_id" uuid,
	"assignee_organisation_id" uuid,
	"assignee_person_id" uuid,
	"origin_decision_id" uuid,
	"origin" text,
	"region_id" uuid,
	"issued_on" date,
	"due_on" date,
	"status" "assignment_status" DEFAULT 'not_started' NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('swedish'::regconfig, naravard_unaccent(coalesce(reference, '') || ' ' || coalesce(title, '') || ' ' || coalesce(description, '')))) STORED,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "assignments_dates_ordered" CHECK ("assignments"."issued_on" IS NULL OR "assignments"."due_on" IS NULL OR "assignments"."issued_on" <= "assignments"."due_on")
);
--> statement-breakpoint
CREATE TABLE "audit_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"audit_id" uuid NOT NULL,
	"respondent_id" uuid,
	"responded_on" date,
	"document_id" uuid,
	"case_officer_id" uuid,
	"signatory_id" uuid,
	"summary" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"auditor_id" uuid,
	"audited_id" uuid,
	"region_id" uuid,
	"reported_on" date,
	"summary" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recommendation_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"audit_response_id" uuid NOT NULL,
	"recommendation_id" uuid NOT NULL,
	"actions_taken" text,
	"planned_actions" text,
	"timeline" text,
	"other_comments" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recommendations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"audit_id" uuid NOT NULL,
	"ordinal" integer NOT NULL,
	"text" text NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('swedish'::regconfig, naravard_unaccent(coalesce(text, '')))) STORED,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "recommendations_ordinal_positive" CHECK ("recommendations"."ordinal" > 0)
);
--> statement-breakpoint
CREATE TABLE "allocations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"grant_id" uuid,
	"programme_id" uuid,
	"from_organisation_id" uuid,
	"recipient_organisation_id" uuid,
	"recipient_description" text,
	"region_id" uuid,
	"period" text,
	"amount_sek" numeric(18, 2),
	"rate_sek" numeric(18, 2),
	"rate_max_sek" numeric(18, 2),
	"rate_unit" text,
	"cap_sek" numeric(18, 2),
	"cap_unit" text,
	"paid_on" date,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "allocations_period_format" CHECK (period ~ '^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$'),
	CONSTRAINT "allocations_amount_non_negative" CHECK (amount_sek IS NULL OR amount_sek >= 0),
	CONSTRAINT "allocations_rate_non_negative" CHECK (rate_sek IS NULL OR rate_sek >= 0),
	CONSTRAINT "allocations_rate_max_non_negative" CHECK (rate_max_sek IS NULL OR rate_max_sek >= 0),
	CONSTRAINT "allocations_cap_non_negative" CHECK (cap_sek IS NULL OR cap_sek >= 0),
	CONSTRAINT "allocations_has_amount_or_rate" CHECK ("allocations"."amount_sek" IS NOT NULL OR "allocations"."rate_sek" IS NOT NULL),
	CONSTRAINT "allocations_rate_has_unit" CHECK ("allocations"."rate_sek" IS NULL OR "allocations"."rate_unit" IS NOT NULL),
	CONSTRAINT "allocations_rate_range_ordered" CHECK ("allocations"."rate_max_sek" IS NULL OR ("allocations"."rate_sek" IS NOT NULL AND "allocations"."rate_sek" <= "allocations"."rate_max_sek")),
	CONSTRAINT "allocations_has_source" CHECK ("allocations"."grant_id" IS NOT NULL OR "allocations"."programme_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "grant_programmes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"legal_basis" text,
	"grantor_id" uuid,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"recipient_region_id" uuid,
	"recipient_organisation_id" uuid,
	"period" text NOT NULL,
	"amount_sek" numeric(18, 2),
	"amount_is_approximate" boolean DEFAULT false NOT NULL,
	"status" "grant_status" NOT NULL,
	"requisition_due_on" date,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "grants_period_format" CHECK (period ~ '^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$'),
	CONSTRAINT "grants_amount_non_negative" CHECK (amount_sek IS NULL OR amount_sek >= 0),
	CONSTRAINT "grants_has_recipient" CHECK ("grants"."recipient_region_id" IS NOT NULL OR "grants"."recipient_organisation_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "indicator_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"indicator_id" uuid NOT NULL,
	"comparator" "target_comparator" NOT NULL,
	"value" numeric NOT NULL,
	"region_id" uuid,
	"valid_from" date,
	"valid_to" date,
	"basis" text,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "indicator_targets_dates_ordered" CHECK ("indicator_targets"."valid_from" IS NULL OR "indicator_targets"."valid_to" IS NULL OR "indicator_targets"."valid_from" <= "indicator_targets"."valid_to")
);
--> statement-breakpoint
CREATE TABLE "indicators" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"unit" text NOT NULL,
	"direction" "indicator_direction" DEFAULT 'neutral' NOT NULL,
	"source_system" text,
	"kolada_kpi_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "indicators_code_format" CHECK ("indicators"."code" ~ '^[A-Z0-9][A-Z0-9_]*$'),
	CONSTRAINT "indicators_kolada_kpi_id_format" CHECK ("indicators"."kolada_kpi_id" ~ '^[NU][0-9]{5}$')
);
--> statement-breakpoint
CREATE TABLE "observations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"indicator_id" uuid NOT NULL,
	"region_id" uuid,
	"organisation_id" uuid,
	"period" text NOT NULL,
	"period_grain" text GENERATED ALWAYS AS ((CASE WHEN period !~ '^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$' THEN NULL WHEN length(period) = 4 THEN 'year' WHEN substr(period, 6, 1) = 'Q' THEN 'quarter' ELSE 'month' END)) STORED,
	"period_start" date GENERATED ALWAYS AS ((CASE WHEN period !~ '^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$' THEN NULL WHEN length(period) = 4 THEN make_date(substr(period, 1, 4)::int, 1, 1) WHEN substr(period, 6, 1) = 'Q' THEN make_date(substr(period, 1, 4)::int, (substr(period, 7, 1)::int - 1) * 3 + 1, 1) ELSE make_date(substr(period, 1, 4)::int, substr(period, 6, 2)::int, 1) END)) STORED,
	"value" numeric NOT NULL,
	"dimensions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "observations_identity_key" UNIQUE NULLS NOT DISTINCT("indicator_id","region_id","organisation_id","period","dimensions"),
	CONSTRAINT "observations_period_format" CHECK (period ~ '^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$'),
	CONSTRAINT "observations_has_one_subject" CHECK (num_nonnulls("observations"."region_id", "observations"."organisation_id") = 1),
	CONSTRAINT "observations_dimensions_object" CHECK (jsonb_typeof("observations"."dimensions") = 'object')
);
--> statement-breakpoint
CREATE TABLE "citations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"entity_type" "entity_type" NOT NULL,
	"entity_id" uuid NOT NULL,
	"quote" text NOT NULL,
	"line_start" integer,
	"line_end" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "citations_quote_not_blank" CHECK (length(btrim("citations"."quote")) > 0),
	CONSTRAINT "citations_lines_ordered" CHECK (("citations"."line_start" IS NULL AND "citations"."line_end" IS NULL) OR ("citations"."line_start" >= 1 AND "citations"."line_end" >= "citations"."line_start"))
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"kind" "document_kind" NOT NULL,
	"region_id" uuid,
	"issued_by_id" uuid,
	"issued_on" date,
	"registry_number" text,
	"origin" text NOT NULL,
	"text_sha256" text NOT NULL,
	"text" text NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('swedish'::regconfig, naravard_unaccent(coalesce(title, '') || ' ' || coalesce(text, '')))) STORED,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "documents_text_sha256_format" CHECK ("documents"."text_sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "topic_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"topic_id" uuid NOT NULL,
	"entity_type" "entity_type" NOT NULL,
	"entity_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "topics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"swedish_name" text,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "topics_slug_format" CHECK ("topics"."slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$')
);
--> statement-breakpoint
CREATE TABLE "change_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"api_key_id" uuid,
	"operation" "change_operation" NOT NULL,
	"entity_type" "entity_type" NOT NULL,
	"entity_id" uuid NOT NULL,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"scopes" "api_key_scope"[] NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "api_keys_has_scope" CHECK (cardinality("api_keys"."scopes") > 0),
	CONSTRAINT "api_keys_secret_hash_format" CHECK ("api_keys"."secret_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "seed_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"checksum" text NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_parent_id_organisations_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_items" ADD CONSTRAINT "agenda_items_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_participants" ADD CONSTRAINT "meeting_participants_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_participants" ADD CONSTRAINT "meeting_participants_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_participants" ADD CONSTRAINT "meeting_participants_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_decided_by_id_organisations_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_agenda_item_id_agenda_items_id_fk" FOREIGN KEY ("agenda_item_id") REFERENCES "public"."agenda_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_reports" ADD CONSTRAINT "assignment_reports_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_issued_by_id_organisations_id_fk" FOREIGN KEY ("issued_by_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_assignee_organisation_id_organisations_id_fk" FOREIGN KEY ("assignee_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_assignee_person_id_people_id_fk" FOREIGN KEY ("assignee_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_origin_decision_id_decisions_id_fk" FOREIGN KEY ("origin_decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_responses" ADD CONSTRAINT "audit_responses_audit_id_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_responses" ADD CONSTRAINT "audit_responses_respondent_id_organisations_id_fk" FOREIGN KEY ("respondent_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_responses" ADD CONSTRAINT "audit_responses_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_responses" ADD CONSTRAINT "audit_responses_case_officer_id_people_id_fk" FOREIGN KEY ("case_officer_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_responses" ADD CONSTRAINT "audit_responses_signatory_id_people_id_fk" FOREIGN KEY ("signatory_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audits" ADD CONSTRAINT "audits_auditor_id_organisations_id_fk" FOREIGN KEY ("auditor_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audits" ADD CONSTRAINT "audits_audited_id_organisations_id_fk" FOREIGN KEY ("audited_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audits" ADD CONSTRAINT "audits_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendation_responses" ADD CONSTRAINT "recommendation_responses_audit_response_id_audit_responses_id_fk" FOREIGN KEY ("audit_response_id") REFERENCES "public"."audit_responses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendation_responses" ADD CONSTRAINT "recommendation_responses_recommendation_id_recommendations_id_fk" FOREIGN KEY ("recommendation_id") REFERENCES "public"."recommendations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendations" ADD CONSTRAINT "recommendations_audit_id_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_programme_id_grant_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."grant_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_from_organisation_id_organisations_id_fk" FOREIGN KEY ("from_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_recipient_organisation_id_organisations_id_fk" FOREIGN KEY ("recipient_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_programmes" ADD CONSTRAINT "grant_programmes_grantor_id_organisations_id_fk" FOREIGN KEY ("grantor_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_programme_id_grant_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."grant_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_recipient_region_id_regions_id_fk" FOREIGN KEY ("recipient_region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_recipient_organisation_id_organisations_id_fk" FOREIGN KEY ("recipient_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_targets" ADD CONSTRAINT "indicator_targets_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_targets" ADD CONSTRAINT "indicator_targets_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "citations" ADD CONSTRAINT "citations_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_issued_by_id_organisations_id_fk" FOREIGN KEY ("issued_by_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "topic_links" ADD CONSTRAINT "topic_links_topic_id_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."topics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_log" ADD CONSTRAINT "change_log_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "regions_code_key" ON "regions" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "regions_iso_code_key" ON "regions" USING btree ("iso_code");--> statement-breakpoint
CREATE INDEX "organisations_region_idx" ON "organisations" USING btree ("region_id");--> statement-breakpoint
CREATE INDEX "organisations_parent_idx" ON "organisations" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "organisations_kind_idx" ON "organisations" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "organisations_updated_at_idx" ON "organisations" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "organisations_name_trgm_idx" ON "organisations" USING gin (naravard_unaccent(lower("name")) gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_municipality_code_key" ON "organisations" USING btree ("municipality_code");--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_organisation_number_key" ON "organisations" USING btree ("organisation_number");--> statement-breakpoint
CREATE INDEX "memberships_person_idx" ON "memberships" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "memberships_organisation_idx" ON "memberships" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "people_updated_at_idx" ON "people" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "people_name_trgm_idx" ON "people" USING gin (naravard_unaccent(lower("name")) gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "agenda_items_meeting_ordinal_key" ON "agenda_items" USING btree ("meeting_id","ordinal");--> statement-breakpoint
CREATE INDEX "agenda_items_updated_at_idx" ON "agenda_items" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "agenda_items_search_idx" ON "agenda_items" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "agenda_items_trgm_idx" ON "agenda_items" USING gin (naravard_unaccent(lower("title" || ' ' || coalesce("summary", ''))) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "meeting_participants_meeting_idx" ON "meeting_participants" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "meeting_participants_person_idx" ON "meeting_participants" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "meetings_organisation_idx" ON "meetings" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "meetings_region_held_on_idx" ON "meetings" USING btree ("region_id","held_on");--> statement-breakpoint
CREATE INDEX "meetings_held_on_idx" ON "meetings" USING btree ("held_on");--> statement-breakpoint
CREATE INDEX "meetings_updated_at_idx" ON "meetings" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "decisions_decided_by_idx" ON "decisions" USING btree ("decided_by_id");--> statement-breakpoint
CREATE INDEX "decisions_meeting_idx" ON "decisions" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "decisions_agenda_item_idx" ON "decisions" USING btree ("agenda_item_id");--> statement-breakpoint
CREATE INDEX "decisions_region_decided_on_idx" ON "decisions" USING btree ("region_id","decided_on");--> statement-breakpoint
CREATE INDEX "decisions_updated_at_idx" ON "decisions" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "decisions_search_idx" ON "decisions" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "decisions_trgm_idx" ON "decisions" USING gin (naravard_unaccent(lower(coalesce("title", '') || ' ' || "text")) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "assignment_reports_assignment_idx" ON "assignment_reports" USING btree ("assignment_id","reported_on");--> statement-breakpoint
CREATE INDEX "assignment_reports_updated_at_idx" ON "assignment_reports" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "assignments_issued_by_idx" ON "assignments" USING btree ("issued_by_id");--> statement-breakpoint
CREATE INDEX "assignments_assignee_organisation_idx" ON "assignments" USING btree ("assignee_organisation_id");--> statement-breakpoint
CREATE INDEX "assignments_assignee_person_idx" ON "assignments" USING btree ("assignee_person_id");--> statement-breakpoint
CREATE INDEX "assignments_origin_decision_idx" ON "assignments" USING btree ("origin_decision_id");--> statement-breakpoint
CREATE INDEX "assignments_region_status_idx" ON "assignments" USING btree ("region_id","status");--> statement-breakpoint
CREATE INDEX "assignments_updated_at_idx" ON "assignments" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "assignments_search_idx" ON "assignments" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "assignments_trgm_idx" ON "assignments" USING gin (naravard_unaccent(lower("title" || ' ' || coalesce("description", ''))) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "audit_responses_audit_idx" ON "audit_responses" USING btree ("audit_id");--> statement-breakpoint
CREATE INDEX "audit_responses_updated_at_idx" ON "audit_responses" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "audits_region_idx" ON "audits" USING btree ("region_id","reported_on");--> statement-breakpoint
CREATE INDEX "audits_updated_at_idx" ON "audits" USING btree ("updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "recommendation_responses_response_recommendation_key" ON "recommendation_responses" USING btree ("audit_response_id","recommendation_id");--> statement-breakpoint
CREATE INDEX "recommendation_responses_recommendation_idx" ON "recommendation_responses" USING btree ("recommendation_id");--> statement-breakpoint
CREATE INDEX "recommendation_responses_updated_at_idx" ON "recommendation_responses" USING btree ("updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "recommendations_audit_ordinal_key" ON "recommendations" USING btree ("audit_id","ordinal");--> statement-breakpoint
CREATE INDEX "recommendations_updated_at_idx" ON "recommendations" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "recommendations_search_idx" ON "recommendations" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "recommendations_trgm_idx" ON "recommendations" USING gin (naravard_unaccent(lower("text")) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "allocations_grant_idx" ON "allocations" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "allocations_programme_idx" ON "allocations" USING btree ("programme_id");--> statement-breakpoint
CREATE INDEX "allocations_region_idx" ON "allocations" USING btree ("region_id");--> statement-breakpoint
CREATE INDEX "allocations_updated_at_idx" ON "allocations" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "grant_programmes_updated_at_idx" ON "grant_programmes" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "grants_programme_idx" ON "grants" USING btree ("programme_id");--> statement-breakpoint
CREATE INDEX "grants_recipient_region_idx" ON "grants" USING btree ("recipient_region_id","period");--> statement-breakpoint
CREATE INDEX "grants_recipient_organisation_idx" ON "grants" USING btree ("recipient_organisation_id");--> statement-breakpoint
CREATE INDEX "grants_updated_at_idx" ON "grants" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "indicator_targets_indicator_idx" ON "indicator_targets" USING btree ("indicator_id");--> statement-breakpoint
CREATE UNIQUE INDEX "indicators_code_key" ON "indicators" USING btree ("code");--> statement-breakpoint
CREATE INDEX "indicators_updated_at_idx" ON "indicators" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "observations_indicator_period_idx" ON "observations" USING btree ("indicator_id","period_start");--> statement-breakpoint
CREATE INDEX "observations_region_idx" ON "observations" USING btree ("region_id");--> statement-breakpoint
CREATE INDEX "observations_organisation_idx" ON "observations" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "observations_updated_at_idx" ON "observations" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "observations_dimensions_idx" ON "observations" USING gin ("dimensions");--> statement-breakpoint
CREATE INDEX "citations_entity_idx" ON "citations" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "citations_document_idx" ON "citations" USING btree ("document_id");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_text_sha256_key" ON "documents" USING btree ("text_sha256");--> statement-breakpoint
CREATE INDEX "documents_region_issued_on_idx" ON "documents" USING btree ("region_id","issued_on");--> statement-breakpoint
CREATE INDEX "documents_updated_at_idx" ON "documents" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "documents_search_idx" ON "documents" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "documents_trgm_idx" ON "documents" USING gin (naravard_unaccent(lower("text")) gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "topic_links_topic_entity_key" ON "topic_links" USING btree ("topic_id","entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "topic_links_entity_idx" ON "topic_links" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "topics_slug_key" ON "topics" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "change_log_entity_idx" ON "change_log" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "change_log_occurred_at_idx" ON "change_log" USING btree ("occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_name_key" ON "api_keys" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_secret_hash_key" ON "api_keys" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "api_keys_prefix_idx" ON "api_keys" USING btree ("prefix");--> statement-breakpoint
CREATE UNIQUE INDEX "seed_runs_checksum_key" ON "seed_runs" USING btree ("checksum");