-- Issue 4: what the window asks of a million tickets, answered from indexes.

-- The review queue of one category: a few thousand rows, where the category index alone would
-- visit every ticket of the category to find them.
CREATE INDEX tickets_review_category_created ON tickets (category, created_at, id)
WHERE needs_review = 1;

-- Searching as fast as filtering: a full-text index over the subject and body, kept by triggers,
-- so the API, the window and imports never think about it. Words are folded for case and
-- accents alike, so "uber" finds "Über".
CREATE VIRTUAL TABLE tickets_search USING fts5(
    subject, body,
    content = 'tickets', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER tickets_searchable_on_insert AFTER INSERT ON tickets
BEGIN
    INSERT INTO tickets_search (rowid, subject, body) VALUES (NEW.id, NEW.subject, NEW.body);
END;

CREATE TRIGGER tickets_searchable_on_delete AFTER DELETE ON tickets
BEGIN
    INSERT INTO tickets_search (tickets_search, rowid, subject, body)
    VALUES ('delete', OLD.id, OLD.subject, OLD.body);
END;

CREATE TRIGGER tickets_searchable_on_update AFTER UPDATE OF subject, body ON tickets
BEGIN
    INSERT INTO tickets_search (tickets_search, rowid, subject, body)
    VALUES ('delete', OLD.id, OLD.subject, OLD.body);
    INSERT INTO tickets_search (rowid, subject, body) VALUES (NEW.id, NEW.subject, NEW.body);
END;

INSERT INTO tickets_search (tickets_search) VALUES ('rebuild');
