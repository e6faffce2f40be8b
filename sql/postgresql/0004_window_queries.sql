-- Issue 4: what the window asks of a million tickets, answered from indexes.

CREATE INDEX tickets_review_category_created ON tickets (category NULLS FIRST, created_at, id)
WHERE needs_review = 1;

-- Searching as fast as filtering. PostgreSQL's own parser keeps e-mail addresses, paths and
-- versions as single tokens, and unaccent() cannot be indexed, so the program stores each
-- ticket's words already split and folded for case and accents (SearchText, the same rules
-- SQLite's unicode61 tokenizer applies) and this indexes them as plain words.
-- The vector is stored, not only indexed: a search rechecks and filters the rows it reads
-- (GIN answers which tickets, not in what order), and parsing each row's text again for that
-- made a common word take seconds at a million tickets.
ALTER TABLE tickets ADD COLUMN search_words TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_words)) STORED;
CREATE INDEX tickets_search_words ON tickets USING gin (search_vector);
