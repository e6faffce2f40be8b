-- Issue 4: searching a million tickets as fast as filtering them. A full-text index over the
-- subject and body, kept by triggers, so the API, the window and imports never think about it.
-- Words are folded for case and accents alike, so "uber" finds "Über".
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
