ALTER TABLE "meetings" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('swedish'::regconfig, naravard_unaccent(coalesce(title, '') || ' ' || coalesce(place, '')))) STORED;--> statement-breakpoint
ALTER TABLE "grant_programmes" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('swedish'::regconfig, naravard_unaccent(coalesce(name, '') || ' ' || coalesce(legal_basis, '') || ' ' || coalesce(description, '')))) STORED;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('swedish'::regconfig, naravard_unaccent(coalesce(description, '')))) STORED;--> statement-breakpoint
CREATE INDEX "meetings_search_idx" ON "meetings" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "meetings_trgm_idx" ON "meetings" USING gin (naravard_unaccent(lower("title" || ' ' || coalesce("place", ''))) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "grant_programmes_search_idx" ON "grant_programmes" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "grant_programmes_trgm_idx" ON "grant_programmes" USING gin (naravard_unaccent(lower("name" || ' ' || coalesce("description", ''))) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "grants_search_idx" ON "grants" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "grants_trgm_idx" ON "grants" USING gin (naravard_unaccent(lower(coalesce("description", ''))) gin_trgm_ops);