CREATE TYPE "public"."date_precision" AS ENUM('day', 'month', 'year');--> statement-breakpoint
ALTER TYPE "public"."assignment_status" ADD VALUE 'directed_elsewhere' BEFORE 'not_handled';--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "decided_on_precision" date_precision DEFAULT 'day' NOT NULL;--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "meeting_id" uuid;--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "related_decision_id" uuid;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_related_decision_id_decisions_id_fk" FOREIGN KEY ("related_decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignments_meeting_idx" ON "assignments" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "assignments_related_decision_idx" ON "assignments" USING btree ("related_decision_id");--> statement-breakpoint
CREATE INDEX "assignments_issued_on_idx" ON "assignments" USING btree ("issued_on");--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_decided_on_precision_start" CHECK ("decisions"."decided_on" IS NULL OR "decisions"."decided_on_precision" = 'day'
        OR ("decisions"."decided_on_precision" = 'month' AND extract(day from "decisions"."decided_on") = 1)
        OR ("decisions"."decided_on_precision" = 'year' AND extract(day from "decisions"."decided_on") = 1 AND extract(month from "decisions"."decided_on") = 1));--> statement-breakpoint

-- An assignment that comes from a decision taken at a meeting was given at that meeting.
UPDATE "assignments" SET "meeting_id" = "decisions"."meeting_id", "updated_at" = now(), "version" = "assignments"."version" + 1
  FROM "decisions"
  WHERE "decisions"."id" = "assignments"."origin_decision_id" AND "decisions"."meeting_id" IS NOT NULL AND "assignments"."meeting_id" IS NULL;
