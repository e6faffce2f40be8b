-- Support Console schema, SQLite dialect. Times are UTC milliseconds since the epoch.
-- Checks list allowed values with OR rather than IN (...): SQLite evaluates an IN list by
-- building a temporary index on every insert, a fifth of the cost of storing a ticket.

CREATE TABLE tickets (
    id          INTEGER PRIMARY KEY,
    subject     TEXT    NOT NULL DEFAULT '',
    body        TEXT    NOT NULL,
    form        TEXT    NOT NULL CHECK (form = 'text' OR form = 'subject_body'),
    source      TEXT    NOT NULL CHECK (source = 'api' OR source = 'gui' OR source = 'import'),
    status      TEXT    NOT NULL DEFAULT 'open'
                        CHECK (status = 'open' OR status = 'in_progress' OR status = 'resolved'
                               OR status = 'closed'),
    -- The current category: the latest classification's, kept here so filters use an index.
    category    TEXT    CHECK (category = 'technical' OR category = 'billing' OR category = 'general'),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE INDEX tickets_created ON tickets (created_at, id);
CREATE INDEX tickets_category_created ON tickets (category, created_at, id);
CREATE INDEX tickets_status_created ON tickets (status, created_at, id);

-- What the public dataset said about an imported ticket; import_key makes re-imports no-ops.
CREATE TABLE imported_tickets (
    ticket_id   INTEGER PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    import_key  TEXT    NOT NULL UNIQUE,
    queue       TEXT    NOT NULL,
    priority    TEXT    NOT NULL,
    language    TEXT    NOT NULL,
    answer      TEXT    NOT NULL
);

CREATE TABLE classifications (
    id            INTEGER PRIMARY KEY,
    ticket_id     INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    category      TEXT    NOT NULL
                          CHECK (category = 'technical' OR category = 'billing' OR category = 'general'),
    confidence    REAL    NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    summary       TEXT    NOT NULL DEFAULT '',
    model         TEXT    NOT NULL,
    processing_ms INTEGER NOT NULL CHECK (processing_ms >= 0),
    created_at    INTEGER NOT NULL
);

CREATE INDEX classifications_ticket ON classifications (ticket_id, id);

CREATE TABLE idempotency_keys (
    key          TEXT    PRIMARY KEY,
    request_hash TEXT    NOT NULL,
    ticket_id    INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL
);

-- Tickets per UTC day, category ('' = not yet classified) and status, kept by the triggers
-- below so that /stats and list totals read a few hundred rows instead of a million.
CREATE TABLE ticket_counts (
    day       INTEGER NOT NULL,
    category  TEXT    NOT NULL,
    status    TEXT    NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (day, category, status)
) WITHOUT ROWID;

CREATE TRIGGER tickets_counted_on_insert AFTER INSERT ON tickets
BEGIN
    INSERT INTO ticket_counts (day, category, status, n)
    VALUES (NEW.created_at / 86400000, COALESCE(NEW.category, ''), NEW.status, 1)
    ON CONFLICT (day, category, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tickets_counted_on_update AFTER UPDATE OF category, status ON tickets
WHEN OLD.category IS NOT NEW.category OR OLD.status IS NOT NEW.status
BEGIN
    UPDATE ticket_counts SET n = n - 1
    WHERE day = OLD.created_at / 86400000 AND category = COALESCE(OLD.category, '')
      AND status = OLD.status;
    INSERT INTO ticket_counts (day, category, status, n)
    VALUES (NEW.created_at / 86400000, COALESCE(NEW.category, ''), NEW.status, 1)
    ON CONFLICT (day, category, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tickets_counted_on_delete AFTER DELETE ON tickets
BEGIN
    UPDATE ticket_counts SET n = n - 1
    WHERE day = OLD.created_at / 86400000 AND category = COALESCE(OLD.category, '')
      AND status = OLD.status;
END;

-- A new classification becomes the ticket's current category.
CREATE TRIGGER classifications_set_ticket_category AFTER INSERT ON classifications
BEGIN
    UPDATE tickets SET category = NEW.category, updated_at = MAX(updated_at, NEW.created_at)
    WHERE id = NEW.ticket_id;
END;
