-- Issue 14: every change an integration may follow over GET /events, written by triggers in the
-- transaction of the change itself (see sql/sqlite/0015_change_events.sql).
--
-- Many connections write at once here, and identity values are taken in the order statements
-- run, not in the order their transactions commit: a reader that asked for "id > last" could
-- pass over an event whose transaction committed after a later id's. So each event also gets a
-- position as its transaction commits, under a lock held until the commit is done: positions
-- follow commit order, and a reader that has seen position N has seen every position below it.
--
-- No sequence is used, not even at the commit: the repositories read a new row's id with QtSql's
-- lastInsertId(), which is lastval() here, and a trigger of that insert, or the end of its
-- statement when it commits on its own, must not move it. Under the lock, the next position is
-- simply one past the highest (an index's last entry), or past what was trimmed. Within a
-- transaction, events are numbered in the order written.
CREATE TABLE ticket_change_events (
    position    BIGINT  UNIQUE,
    written_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    txid        xid8    NOT NULL DEFAULT pg_current_xact_id(),
    type        TEXT    NOT NULL,
    ticket_id   BIGINT  NOT NULL,
    internal    BOOLEAN NOT NULL DEFAULT false,
    data        JSONB   NOT NULL,
    -- When it was written, by the database's clock: the week it is kept for starts here.
    created_at  BIGINT  NOT NULL DEFAULT ((extract(epoch FROM clock_timestamp()) * 1000)::BIGINT)
);
CREATE INDEX ticket_change_events_created ON ticket_change_events (created_at);
-- The events of the transaction being committed; empty at any other moment.
CREATE INDEX ticket_change_events_unnumbered ON ticket_change_events (txid)
WHERE position IS NULL;

CREATE TABLE ticket_change_events_trimmed (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    through  BIGINT  NOT NULL
);
INSERT INTO ticket_change_events_trimmed (id, through) VALUES (1, 0);

-- Deferred to the commit, after every other statement of the transaction, so the lock ("SCEVENTS"
-- in ASCII) is held only for the commit itself and never while the transaction waits for a row
-- another one holds. The first call numbers all of the transaction's events in the order they
-- were written (by the time each was written, then by place; a tie within a microsecond of one
-- statement may come out either way).
CREATE FUNCTION ticket_change_events_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Fired once per event, all at the commit: the first call numbers them all, so the rest
    -- return at once, without the lock.
    IF current_setting('support_console.events_numbered', true) = 'yes' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('support_console.events_numbered', 'yes', true);
    PERFORM pg_advisory_xact_lock(5999715365419897939);
    UPDATE ticket_change_events e SET position = numbered.position
    FROM (SELECT ctid AS row_id,
                 GREATEST((SELECT MAX(position) FROM ticket_change_events),
                          (SELECT through FROM ticket_change_events_trimmed))
                 + row_number() OVER (ORDER BY written_at, ctid) AS position
          FROM ticket_change_events
          WHERE txid = pg_current_xact_id() AND position IS NULL) numbered
    WHERE e.ctid = numbered.row_id;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER ticket_change_events_numbered AFTER INSERT ON ticket_change_events
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ticket_change_events_number();

-- Every node's subscribers hear of new events, once they are committed and numbered.
CREATE TRIGGER ticket_change_events_notify AFTER INSERT ON ticket_change_events
FOR EACH STATEMENT EXECUTE FUNCTION notify_tickets_changed();

CREATE FUNCTION tickets_events_created() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ticket_change_events (type, ticket_id, data)
    SELECT 'ticket.created', id, jsonb_build_object('source', source, 'status', status)
    FROM new_rows ORDER BY id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER tickets_event_created AFTER INSERT ON tickets
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION tickets_events_created();

CREATE FUNCTION classifications_event_classified() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ticket_change_events (type, ticket_id, data)
    VALUES ('ticket.classified', NEW.ticket_id,
            jsonb_build_object('category', NEW.category, 'confidence', NEW.confidence,
                               'provider', NEW.provider, 'model', NEW.model));
    RETURN NULL;
END;
$$;
CREATE TRIGGER classifications_event_classified AFTER INSERT ON classifications
FOR EACH ROW WHEN (NEW.provider <> 'agent')
EXECUTE FUNCTION classifications_event_classified();

CREATE FUNCTION ticket_events_event_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ticket_change_events (type, ticket_id, data)
    VALUES ('ticket.updated', NEW.ticket_id,
            jsonb_build_object('field', NEW.field, 'before', NEW.value_before,
                               'after', NEW.value_after,
                               'actor', jsonb_build_object('kind', NEW.actor_kind,
                                                           'name', NEW.actor)));
    RETURN NULL;
END;
$$;
CREATE TRIGGER ticket_events_event_updated AFTER INSERT ON ticket_events
FOR EACH ROW EXECUTE FUNCTION ticket_events_event_updated();

CREATE FUNCTION ticket_messages_event_replied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ticket_change_events (type, ticket_id, internal, data)
    VALUES ('ticket.replied', NEW.ticket_id, NEW.visibility = 'internal',
            jsonb_build_object('message_id', NEW.id, 'visibility', NEW.visibility,
                               'author', jsonb_build_object('kind', NEW.author_kind,
                                                            'name', NEW.author)));
    RETURN NULL;
END;
$$;
CREATE TRIGGER ticket_messages_event_replied AFTER INSERT ON ticket_messages
FOR EACH ROW EXECUTE FUNCTION ticket_messages_event_replied();

CREATE FUNCTION ticket_feedback_history_event_rated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ticket_change_events (type, ticket_id, data)
    VALUES ('ticket.rated', NEW.ticket_id,
            jsonb_build_object('rating', NEW.rating, 'resolved', NEW.resolved = 1));
    RETURN NULL;
END;
$$;
CREATE TRIGGER ticket_feedback_history_event_rated AFTER INSERT ON ticket_feedback_history
FOR EACH ROW EXECUTE FUNCTION ticket_feedback_history_event_rated();
