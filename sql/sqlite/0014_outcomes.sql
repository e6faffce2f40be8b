-- Issue 14: how soon the team answers and resolves, and how often an AI draft is offered and
-- sent, for the statistics.

-- When the team first answered the customer in public, and when the ticket was first resolved
-- or closed: each is measured once per ticket, however often it is reopened.
ALTER TABLE tickets ADD COLUMN first_reply_at INTEGER;
ALTER TABLE tickets ADD COLUMN resolved_at INTEGER;

-- First replies and first resolutions per UTC day on which they happened, in the backlog's age
-- buckets (under an hour, a day, a week, and over) of how long after the ticket came they
-- were, with the seconds summed for the mean. Kept by the triggers below, so that a 90-day
-- window reads a few hundred rows at any number of tickets.
CREATE TABLE response_counts (
    day      INTEGER NOT NULL,
    measure  TEXT    NOT NULL CHECK (measure = 'first_reply' OR measure = 'resolution'),
    bucket   INTEGER NOT NULL CHECK (bucket >= 0 AND bucket <= 3),
    n        INTEGER NOT NULL,
    seconds  INTEGER NOT NULL,
    PRIMARY KEY (day, measure, bucket)
) WITHOUT ROWID;

-- A ticket's first reply is its first public message from the team, in the order they were
-- added. The dataset's answer of an imported ticket carries the import's time, not a reply's: it
-- marks the ticket answered but is left out of the times.
UPDATE tickets SET first_reply_at =
    (SELECT m.created_at FROM ticket_messages m
     WHERE m.ticket_id = tickets.id AND m.visibility = 'public' AND m.author_kind <> 'customer'
     ORDER BY m.id LIMIT 1);
-- The first resolution is the first change to resolved or closed in the history, whatever the
-- status is now. A ticket resolved before the history was kept has only its last change's time.
UPDATE tickets SET resolved_at = COALESCE(
    (SELECT MIN(e.created_at) FROM ticket_events e
     WHERE e.ticket_id = tickets.id AND e.field = 'status'
       AND e.value_after IN ('resolved', 'closed')),
    CASE WHEN status IN ('resolved', 'closed') THEN updated_at END)
WHERE status IN ('resolved', 'closed')
   OR EXISTS (SELECT 1 FROM ticket_events e
              WHERE e.ticket_id = tickets.id AND e.field = 'status'
                AND e.value_after IN ('resolved', 'closed'));

INSERT INTO response_counts (day, measure, bucket, n, seconds)
SELECT t.first_reply_at / 86400000, 'first_reply',
       CASE WHEN t.first_reply_at - t.created_at < 3600000 THEN 0
            WHEN t.first_reply_at - t.created_at < 86400000 THEN 1
            WHEN t.first_reply_at - t.created_at < 604800000 THEN 2 ELSE 3 END,
       COUNT(*), SUM(MAX(t.first_reply_at - t.created_at, 0) / 1000)
FROM tickets t
WHERE t.first_reply_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM imported_tickets i WHERE i.ticket_id = t.id
                  AND (SELECT m.author FROM ticket_messages m
                       WHERE m.ticket_id = t.id AND m.visibility = 'public'
                         AND m.author_kind <> 'customer' ORDER BY m.id LIMIT 1) = 'import')
GROUP BY 1, 3;
INSERT INTO response_counts (day, measure, bucket, n, seconds)
SELECT resolved_at / 86400000, 'resolution',
       CASE WHEN resolved_at - created_at < 3600000 THEN 0
            WHEN resolved_at - created_at < 86400000 THEN 1
            WHEN resolved_at - created_at < 604800000 THEN 2 ELSE 3 END,
       COUNT(*), SUM(MAX(resolved_at - created_at, 0) / 1000)
FROM tickets WHERE resolved_at IS NOT NULL
GROUP BY 1, 3;

CREATE TRIGGER ticket_messages_first_reply AFTER INSERT ON ticket_messages
WHEN NEW.visibility = 'public' AND NEW.author_kind <> 'customer'
BEGIN
    INSERT INTO response_counts (day, measure, bucket, n, seconds)
    SELECT NEW.created_at / 86400000, 'first_reply',
           CASE WHEN NEW.created_at - created_at < 3600000 THEN 0
                WHEN NEW.created_at - created_at < 86400000 THEN 1
                WHEN NEW.created_at - created_at < 604800000 THEN 2 ELSE 3 END,
           1, MAX(NEW.created_at - created_at, 0) / 1000
    FROM tickets
    WHERE id = NEW.ticket_id AND first_reply_at IS NULL
      AND NOT (NEW.author = 'import'
               AND EXISTS (SELECT 1 FROM imported_tickets WHERE ticket_id = NEW.ticket_id))
    ON CONFLICT (day, measure, bucket) DO UPDATE SET n = n + 1, seconds = seconds + excluded.seconds;
    UPDATE tickets SET first_reply_at = NEW.created_at
    WHERE id = NEW.ticket_id AND first_reply_at IS NULL;
END;

-- Every status writer sets updated_at with the status, so it is the moment of resolution.
CREATE TRIGGER tickets_first_resolution AFTER UPDATE OF status ON tickets
WHEN NEW.status IN ('resolved', 'closed') AND NEW.resolved_at IS NULL
BEGIN
    INSERT INTO response_counts (day, measure, bucket, n, seconds)
    VALUES (NEW.updated_at / 86400000, 'resolution',
            CASE WHEN NEW.updated_at - NEW.created_at < 3600000 THEN 0
                 WHEN NEW.updated_at - NEW.created_at < 86400000 THEN 1
                 WHEN NEW.updated_at - NEW.created_at < 604800000 THEN 2 ELSE 3 END,
            1, MAX(NEW.updated_at - NEW.created_at, 0) / 1000)
    ON CONFLICT (day, measure, bucket) DO UPDATE SET n = n + 1, seconds = seconds + excluded.seconds;
    UPDATE tickets SET resolved_at = NEW.updated_at WHERE id = NEW.id;
END;

-- Every AI draft put in front of someone, whether or not it was sent: the acceptance rate is
-- the replies sent from a provider's drafts over the drafts it offered.
CREATE TABLE draft_offers (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    provider    TEXT    NOT NULL,
    model       TEXT    NOT NULL,
    -- The user or integration token that asked for it.
    offered_to  TEXT    NOT NULL,
    offered_at  INTEGER NOT NULL
);
CREATE INDEX draft_offers_offered ON draft_offers (offered_at);
CREATE INDEX ticket_messages_drafted ON ticket_messages (created_at)
WHERE draft_provider IS NOT NULL;
