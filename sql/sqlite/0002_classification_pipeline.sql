-- Issue 3: asynchronous classification with provenance, a persistent job queue and review flags.

-- Provenance of every result: which provider answered, which model and model or prompt version,
-- how many remote attempts it took, whether a provider earlier in the order had failed, and
-- whether its confidence was under the review threshold when it was stored.
ALTER TABLE classifications ADD COLUMN priority TEXT NOT NULL DEFAULT 'medium'
    CHECK (priority = 'low' OR priority = 'medium' OR priority = 'high');
ALTER TABLE classifications ADD COLUMN provider TEXT NOT NULL DEFAULT 'rules'
    CHECK (provider = 'remote' OR provider = 'fasttext' OR provider = 'rules' OR provider = 'agent');
ALTER TABLE classifications ADD COLUMN model_version TEXT NOT NULL DEFAULT '';
ALTER TABLE classifications ADD COLUMN fallback INTEGER NOT NULL DEFAULT 0 CHECK (fallback = 0 OR fallback = 1);
ALTER TABLE classifications ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0);
ALTER TABLE classifications ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0
    CHECK (needs_review = 0 OR needs_review = 1);

ALTER TABLE tickets ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0
    CHECK (needs_review = 0 OR needs_review = 1);
-- The classification the ticket's category comes from, so that reading a ticket joins it by key
-- and shows the same verdict as its category (an agent's, when there is one).
ALTER TABLE tickets ADD COLUMN classification_id INTEGER;
UPDATE tickets SET classification_id =
    (SELECT MAX(id) FROM classifications WHERE ticket_id = tickets.id);
CREATE INDEX tickets_needs_review_created ON tickets (created_at, id) WHERE needs_review = 1;

-- An agent's word is final: a later machine result is kept in the history but neither changes
-- the ticket's category nor flags it for review.
DROP TRIGGER classifications_set_ticket_category;
CREATE TRIGGER classifications_set_ticket_category AFTER INSERT ON classifications
WHEN NEW.provider = 'agent'
     OR NOT EXISTS (SELECT 1 FROM classifications
                    WHERE ticket_id = NEW.ticket_id AND provider = 'agent' AND id <> NEW.id)
BEGIN
    UPDATE tickets SET category = NEW.category, needs_review = NEW.needs_review,
                       classification_id = NEW.id, updated_at = MAX(updated_at, NEW.created_at)
    WHERE id = NEW.ticket_id;
END;

-- Tickets waiting for a classification. A row exists from the ticket's insert until a result is
-- stored, in the same transaction that deletes it, so a stop or crash loses nothing and nothing
-- is classified twice. next_attempt_at is NULL once retries are used up.
CREATE TABLE classification_jobs (
    ticket_id       INTEGER PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state = 'pending' OR state = 'failed'),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    last_error      TEXT    NOT NULL DEFAULT '',
    updated_at      INTEGER NOT NULL
);

-- Retries by due time. Partial, so that queueing a new ticket (next_attempt_at 0) writes no
-- index page: every page a POST's commit touches costs it about a tenth of its throughput.
-- New jobs are read newest first along the primary key.
CREATE INDEX classification_jobs_retry ON classification_jobs (next_attempt_at)
WHERE next_attempt_at > 0;

CREATE TRIGGER tickets_queued_for_classification AFTER INSERT ON tickets
BEGIN
    INSERT INTO classification_jobs (ticket_id, next_attempt_at, updated_at)
    VALUES (NEW.id, 0, NEW.updated_at);
END;

INSERT INTO classification_jobs (ticket_id, next_attempt_at, updated_at)
SELECT id, 0, updated_at FROM tickets
WHERE NOT EXISTS (SELECT 1 FROM classifications c WHERE c.ticket_id = tickets.id);
