-- Issue 3: asynchronous classification with provenance, a persistent job queue and review flags.

ALTER TABLE classifications ADD COLUMN priority TEXT NOT NULL DEFAULT 'medium'
    CHECK (priority IN ('low', 'medium', 'high'));
ALTER TABLE classifications ADD COLUMN provider TEXT NOT NULL DEFAULT 'rules'
    CHECK (provider IN ('remote', 'fasttext', 'rules', 'agent'));
ALTER TABLE classifications ADD COLUMN model_version TEXT NOT NULL DEFAULT '';
ALTER TABLE classifications ADD COLUMN fallback INTEGER NOT NULL DEFAULT 0 CHECK (fallback IN (0, 1));
ALTER TABLE classifications ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0);
ALTER TABLE classifications ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0
    CHECK (needs_review IN (0, 1));

ALTER TABLE tickets ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0
    CHECK (needs_review IN (0, 1));
-- The classification the ticket's category comes from, so that reading a ticket joins it by key
-- and shows the same verdict as its category (an agent's, when there is one).
ALTER TABLE tickets ADD COLUMN classification_id BIGINT;
UPDATE tickets SET classification_id =
    (SELECT MAX(id) FROM classifications WHERE ticket_id = tickets.id);
CREATE INDEX tickets_needs_review_created ON tickets (created_at, id) WHERE needs_review = 1;

-- An agent's word is final: a later machine result is kept in the history but neither changes
-- the ticket's category nor flags it for review.
CREATE OR REPLACE FUNCTION classifications_set_ticket_category() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.provider = 'agent'
       OR NOT EXISTS (SELECT 1 FROM classifications
                      WHERE ticket_id = NEW.ticket_id AND provider = 'agent' AND id <> NEW.id) THEN
        UPDATE tickets SET category = NEW.category, needs_review = NEW.needs_review,
                           classification_id = NEW.id,
                           updated_at = GREATEST(updated_at, NEW.created_at)
        WHERE id = NEW.ticket_id;
    END IF;
    RETURN NULL;
END;
$$;

-- Tickets waiting for a classification. A row exists from the ticket's insert until a result is
-- stored, in the same transaction that deletes it, so a stop or crash loses nothing and nothing
-- is classified twice. next_attempt_at is NULL once retries are used up.
CREATE TABLE classification_jobs (
    ticket_id       BIGINT  PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT,
    last_error      TEXT    NOT NULL DEFAULT '',
    updated_at      BIGINT  NOT NULL
);

CREATE INDEX classification_jobs_retry ON classification_jobs (next_attempt_at)
WHERE next_attempt_at > 0;

CREATE FUNCTION tickets_queue_for_classification() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO classification_jobs (ticket_id, next_attempt_at, updated_at)
    VALUES (NEW.id, 0, NEW.updated_at);
    RETURN NULL;
END;
$$;

CREATE TRIGGER tickets_queued_for_classification AFTER INSERT ON tickets
FOR EACH ROW EXECUTE FUNCTION tickets_queue_for_classification();

INSERT INTO classification_jobs (ticket_id, next_attempt_at, updated_at)
SELECT id, 0, updated_at FROM tickets
WHERE NOT EXISTS (SELECT 1 FROM classifications c WHERE c.ticket_id = tickets.id);
