ALTER TYPE "public"."entity_type" ADD VALUE 'citation';--> statement-breakpoint
ALTER TYPE "public"."entity_type" ADD VALUE 'topic_link';