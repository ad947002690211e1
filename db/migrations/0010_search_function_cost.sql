-- The planner's cost of accent folding. At the default of an SQL function (100), it
-- made a sequential scan look cheaper than the trigram index on a table of few rows with long
-- texts (54 documents of the small data set): approximate search then folded and split every
-- document's full text, 1.8 s on the embedded database, instead of 0.24 s through the index.
-- unaccent walks every character of the text, so its cost rises with the length of what it folds.
ALTER FUNCTION naravard_unaccent(text) COST 1000;
