-- Issue 14: every change an integration may follow over GET /events, written by triggers in the
-- transaction of the change itself, so that no committed change goes untold and nothing is told
-- that did not commit, whichever code path made it. SQLite lets one writer in at a time, so the
-- id is already the order of commits; PostgreSQL numbers its events as each commits (see
-- sql/postgresql/0015_change_events.sql).
-- AUTOINCREMENT: an id is never given twice, not even after the newest events were trimmed.
CREATE TABLE ticket_change_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    type        TEXT    NOT NULL,
    ticket_id   INTEGER NOT NULL,
    -- Told only to tokens that may read internal notes.
    internal    INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
    -- What changed, as a JSON object.
    data        TEXT    NOT NULL,
    -- When it was written, by the database's clock: the week it is kept for starts here.
    created_at  INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);
-- Events are kept for a week; the oldest go first.
CREATE INDEX ticket_change_events_created ON ticket_change_events (created_at);

-- The last position removed for its age, so that a client resuming before it learns it missed
-- events rather than silently skipping them.
CREATE TABLE ticket_change_events_trimmed (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    through  INTEGER NOT NULL
);
INSERT INTO ticket_change_events_trimmed (id, through) VALUES (1, 0);

CREATE TRIGGER tickets_event_created AFTER INSERT ON tickets
BEGIN
    INSERT INTO ticket_change_events (type, ticket_id, data)
    VALUES ('ticket.created', NEW.id,
            json_object('source', NEW.source, 'status', NEW.status));
END;

-- An agent's verdict is told by the change of category it makes (ticket_events).
CREATE TRIGGER classifications_event_classified AFTER INSERT ON classifications
WHEN NEW.provider <> 'agent'
BEGIN
    INSERT INTO ticket_change_events (type, ticket_id, data)
    VALUES ('ticket.classified', NEW.ticket_id,
            json_object('category', NEW.category, 'confidence', NEW.confidence,
                        'provider', NEW.provider, 'model', NEW.model));
END;

CREATE TRIGGER ticket_events_event_updated AFTER INSERT ON ticket_events
BEGIN
    INSERT INTO ticket_change_events (type, ticket_id, data)
    VALUES ('ticket.updated', NEW.ticket_id,
            json_object('field', NEW.field, 'before', NEW.value_before, 'after', NEW.value_after,
                        'actor', json_object('kind', NEW.actor_kind, 'name', NEW.actor)));
END;

CREATE TRIGGER ticket_messages_event_replied AFTER INSERT ON ticket_messages
BEGIN
    INSERT INTO ticket_change_events (type, ticket_id, internal, data)
    VALUES ('ticket.replied', NEW.ticket_id, NEW.visibility = 'internal',
            json_object('message_id', NEW.id, 'visibility', NEW.visibility,
                        'author', json_object('kind', NEW.author_kind, 'name', NEW.author)));
END;

CREATE TRIGGER ticket_feedback_history_event_rated AFTER INSERT ON ticket_feedback_history
BEGIN
    INSERT INTO ticket_change_events (type, ticket_id, data)
    VALUES ('ticket.rated', NEW.ticket_id,
            json_object('rating', NEW.rating,
                        'resolved', json(CASE NEW.resolved WHEN 1 THEN 'true' ELSE 'false' END)));
END;
