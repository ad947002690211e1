ALTER TYPE "public"."participant_role" ADD VALUE 'adjuster';--> statement-breakpoint
ALTER TYPE "public"."participant_role" ADD VALUE 'substitute';