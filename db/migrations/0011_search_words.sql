-- Approximate search goes through the list of the words of every searchable text (see
-- search_words in db/src/schema/search-words.ts), so the trigram indexes over the texts
-- themselves are no longer used.
CREATE TABLE "search_words" (
	"word" text NOT NULL
);
--> statement-breakpoint
DROP INDEX "agenda_items_trgm_idx";--> statement-breakpoint
DROP INDEX "meetings_trgm_idx";--> statement-breakpoint
DROP INDEX "decisions_trgm_idx";--> statement-breakpoint
DROP INDEX "assignments_trgm_idx";--> statement-breakpoint
DROP INDEX "recommendations_trgm_idx";--> statement-breakpoint
DROP INDEX "grant_programmes_trgm_idx";--> statement-breakpoint
DROP INDEX "grants_trgm_idx";--> statement-breakpoint
DROP INDEX "documents_trgm_idx";--> statement-breakpoint
CREATE INDEX "search_words_word_idx" ON "search_words" USING btree ("word");--> statement-breakpoint
CREATE INDEX "search_words_trgm_idx" ON "search_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
-- Adds the words of some texts that the list does not have yet: accent-folded and lower-cased as
-- search folds a query, split at everything that is not a letter or a digit, at most 64
-- characters (longer ones are not words).
CREATE FUNCTION naravard_add_search_words(texts text[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO search_words (word)
  SELECT DISTINCT split.word
  FROM unnest(texts) AS texts(text), regexp_split_to_table(naravard_unaccent(lower(texts.text)), '[^[:alnum:]]+') AS split(word)
  WHERE split.word <> '' AND length(split.word) <= 64
    AND NOT EXISTS (SELECT 1 FROM search_words AS listed WHERE listed.word = split.word)
$$;--> statement-breakpoint
-- The trigger of each searchable table, once per statement: TG_ARGV[0] is the table's searchable
-- text as an expression over its row "r". On UPDATE only rows whose text changed are read.
CREATE FUNCTION naravard_collect_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('SELECT naravard_add_search_words(array(SELECT %s FROM added AS r))', TG_ARGV[0]);
  ELSE
    EXECUTE format(
      'SELECT naravard_add_search_words(array(
         SELECT changed.text FROM (SELECT r.id, %1$s AS text FROM changed AS r) AS changed
         JOIN (SELECT r.id, %1$s AS text FROM previous AS r) AS previous ON previous.id = changed.id
         WHERE changed.text IS DISTINCT FROM previous.text))',
      TG_ARGV[0]);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER documents_search_words_added AFTER INSERT ON documents REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION naravard_collect_search_words('coalesce(r.title, '''') || '' '' || coalesce(r.text, '''')');--> statement-breakpoint
CREATE TRIGGER documents_search_words_changed AFTER UPDATE ON documents REFERENCING OLD TABLE AS previous NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION naravard_collect_search_words('coalesce(r.title, '''') || '' '' || coalesce(r.text, '''')');--> statement-breakpoint
CREATE TRIGGER meetings_search_words_added AFTER INSERT ON meetings REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION naravard_collect_search_words('coalesce(r.title, '''') || '' '' || coalesce(r.place, '''')');--> statement-breakpoint
CREATE TRIGGER meetings_search_words_changed AFTER UPDATE ON meetings REFERENCING OLD TABLE AS previous NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION naravard_collect_search_words('coalesce(r.title, '''') || '' '' || coalesce(r.place, '''')');--> statement-breakpoint
CREATE TRIGGER agenda_items_search_words_added AFTER INSERT ON agenda_items REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION naravard_collect_search_words('coalesce(r.title, '''') || '' '' || coalesce(r.summary, '''')');--> statement-breakpoint
CREATE TRIGGER agenda_items_search_words_changed AFTER UPDATE ON agenda_items REFERENCING OLD TABLE AS previous NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION naravard_collect_search_words('coalesce(r.title, '''') || '' '' || coalesce(r.summary, '''')');--> statement-breakpoint
CREATE TRIGGER decisions_search_words_added AFTER INSERT ON decisions REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION naravard_collect_search_words('coalesce(r.title, '''') || '' '' || coalesce(r.text, '''')');--> statement-breakpoint
CREATE TRIGGER decisions_search_words_changed AFTER UPDATE ON decisions REFERENCING OLD TABLE AS previous NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION naravard_collect_search_words('coalesce(r.title, '''') || '' '' || coalesce(r.text, '''')');--> statement-breakpoint
CREATE TRIGGER assignments_search_words_added AFTER INSERT ON assignments REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION naravard_collect_search_words('coalesce(r.title, '''') || '' '' || coalesce(r.description, '''')');--> statement-breakpoint
CREATE TRIGGER assignments_search_words_changed AFTER UPDATE ON assignments REFERENCING OLD TABLE AS previous NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION naravard_collect_search_words('coalesce(r.title, '''') || '' '' || coalesce(r.description, '''')');--> statement-breakpoint
CREATE TRIGGER recommendations_search_words_added AFTER INSERT ON recommendations REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION naravard_collect_search_words('coalesce(r.text, '''')');--> statement-breakpoint
CREATE TRIGGER recommendations_search_words_changed AFTER UPDATE ON recommendations REFERENCING OLD TABLE AS previous NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION naravard_collect_search_words('coalesce(r.text, '''')');--> statement-breakpoint
CREATE TRIGGER grant_programmes_search_words_added AFTER INSERT ON grant_programmes REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION naravard_collect_search_words('coalesce(r.name, '''') || '' '' || coalesce(r.description, '''')');--> statement-breakpoint
CREATE TRIGGER grant_programmes_search_words_changed AFTER UPDATE ON grant_programmes REFERENCING OLD TABLE AS previous NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION naravard_collect_search_words('coalesce(r.name, '''') || '' '' || coalesce(r.description, '''')');--> statement-breakpoint
CREATE TRIGGER grants_search_words_added AFTER INSERT ON grants REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION naravard_collect_search_words('coalesce(r.description, '''')');--> statement-breakpoint
CREATE TRIGGER grants_search_words_changed AFTER UPDATE ON grants REFERENCING OLD TABLE AS previous NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION naravard_collect_search_words('coalesce(r.description, '''')');--> statement-breakpoint
-- The words of the texts already stored: on a national data set (350 MB of text) this takes
-- longer than the statement timeout of a connection, which is for requests, not migrations.
SET LOCAL statement_timeout = 0;--> statement-breakpoint
SELECT naravard_add_search_words(array(SELECT coalesce(r.title, '') || ' ' || coalesce(r.text, '') FROM documents AS r));--> statement-breakpoint
SELECT naravard_add_search_words(array(SELECT coalesce(r.title, '') || ' ' || coalesce(r.place, '') FROM meetings AS r));--> statement-breakpoint
SELECT naravard_add_search_words(array(SELECT coalesce(r.title, '') || ' ' || coalesce(r.summary, '') FROM agenda_items AS r));--> statement-breakpoint
SELECT naravard_add_search_words(array(SELECT coalesce(r.title, '') || ' ' || coalesce(r.text, '') FROM decisions AS r));--> statement-breakpoint
SELECT naravard_add_search_words(array(SELECT coalesce(r.title, '') || ' ' || coalesce(r.description, '') FROM assignments AS r));--> statement-breakpoint
SELECT naravard_add_search_words(array(SELECT coalesce(r.text, '') FROM recommendations AS r));--> statement-breakpoint
SELECT naravard_add_search_words(array(SELECT coalesce(r.name, '') || ' ' || coalesce(r.description, '') FROM grant_programmes AS r));--> statement-breakpoint
SELECT naravard_add_search_words(array(SELECT coalesce(r.description, '') FROM grants AS r));
