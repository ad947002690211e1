-- Accent folding and trigram similarity for Swedish and OCR-damaged text.
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- unaccent() is only STABLE (its dictionary could change), so generated columns and index
-- expressions cannot call it. This wrapper names the dictionary explicitly and is declared
-- IMMUTABLE, the usual way to index unaccented text.
CREATE OR REPLACE FUNCTION naravard_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
