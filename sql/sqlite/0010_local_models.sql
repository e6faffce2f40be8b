-- Issue 13: the learned local model may be a fastText or a linear model, and the rules'
-- confidence may be calibrated on the team's own verdicts. SQLite cannot change a CHECK
-- constraint in place, so both tables are rebuilt with the same rows.

-- Results of the learned model, whatever its recipe, are stored as 'learned'; rows from before
-- keep 'fasttext'.
-- This trigger on tickets reads classifications: it would stop the rename below.
DROP TRIGGER tickets_confidence_uncounted_on_delete;

CREATE TABLE classifications_rebuilt (
    id            INTEGER PRIMARY KEY,
    ticket_id     INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    category      TEXT    NOT NULL
                          CHECK (category = 'technical' OR category = 'billing' OR category = 'general'),
    confidence    REAL    NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    summary       TEXT    NOT NULL DEFAULT '',
    model         TEXT    NOT NULL,
    processing_ms INTEGER NOT NULL CHECK (processing_ms >= 0),
    created_at    INTEGER NOT NULL,
    priority      TEXT    NOT NULL DEFAULT 'medium'
                          CHECK (priority = 'low' OR priority = 'medium' OR priority = 'high'),
    provider      TEXT    NOT NULL DEFAULT 'rules'
                          CHECK (provider IN ('remote', 'learned', 'fasttext', 'rules', 'agent')),
    model_version TEXT    NOT NULL DEFAULT '',
    fallback      INTEGER NOT NULL DEFAULT 0 CHECK (fallback = 0 OR fallback = 1),
    attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    needs_review  INTEGER NOT NULL DEFAULT 0 CHECK (needs_review = 0 OR needs_review = 1),
    actor_kind    TEXT
                          CHECK (actor_kind IS NULL OR actor_kind = 'user' OR actor_kind = 'integration')
);
INSERT INTO classifications_rebuilt
    (id, ticket_id, category, confidence, summary, model, processing_ms, created_at, priority,
     provider, model_version, fallback, attempts, needs_review, actor_kind)
SELECT id, ticket_id, category, confidence, summary, model, processing_ms, created_at, priority,
       provider, model_version, fallback, attempts, needs_review, actor_kind
FROM classifications;
DROP TABLE classifications;
ALTER TABLE classifications_rebuilt RENAME TO classifications;

CREATE INDEX classifications_ticket ON classifications (ticket_id, id);
CREATE INDEX classifications_agent_created ON classifications (created_at)
WHERE provider = 'agent';

CREATE TRIGGER classifications_set_ticket_category AFTER INSERT ON classifications
WHEN NEW.provider = 'agent'
     OR NOT EXISTS (SELECT 1 FROM classifications
                    WHERE ticket_id = NEW.ticket_id AND provider = 'agent' AND id <> NEW.id)
BEGIN
    UPDATE tickets SET category = NEW.category, needs_review = NEW.needs_review,
                       classification_id = NEW.id, updated_at = MAX(updated_at, NEW.created_at)
    WHERE id = NEW.ticket_id;
END;

CREATE TRIGGER classifications_confidence_counted AFTER INSERT ON classifications
WHEN NEW.provider <> 'agent'
BEGIN
    UPDATE confidence_counts SET n = n - 1
    WHERE (day, category, bucket) =
          (SELECT t.created_at / 86400000, p.category, MIN(CAST(p.confidence * 10 AS INTEGER), 9)
           FROM classifications p JOIN tickets t ON t.id = p.ticket_id
           WHERE p.ticket_id = NEW.ticket_id AND p.provider <> 'agent' AND p.id < NEW.id
           ORDER BY p.id DESC LIMIT 1);
    INSERT INTO confidence_counts (day, category, bucket, n)
    SELECT created_at / 86400000, NEW.category, MIN(CAST(NEW.confidence * 10 AS INTEGER), 9), 1
    FROM tickets WHERE id = NEW.ticket_id
    ON CONFLICT (day, category, bucket) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tickets_confidence_uncounted_on_delete BEFORE DELETE ON tickets
BEGIN
    UPDATE confidence_counts SET n = n - 1
    WHERE (day, category, bucket) =
          (SELECT OLD.created_at / 86400000, p.category,
                  MIN(CAST(p.confidence * 10 AS INTEGER), 9)
           FROM classifications p
           WHERE p.ticket_id = OLD.id AND p.provider <> 'agent'
           ORDER BY p.id DESC LIMIT 1);
END;

-- One active classifier model, whatever its kind, so that `train` and a rollback choose the one
-- every node uses; a calibration of the rules is active beside it. A pinned model is kept active
-- by `train` and by background retraining until an admin unpins it.
CREATE TABLE learned_models_rebuilt (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL CHECK (kind IN ('fasttext', 'linear', 'rules_calibration')),
    version     TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    -- What the program knows about the model (its kind's JSON).
    metadata    TEXT    NOT NULL,
    model       BLOB    NOT NULL,
    active      INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    pinned      INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1) AND pinned <= active)
);
INSERT INTO learned_models_rebuilt (id, kind, version, created_at, metadata, model, active)
SELECT id, kind, version, created_at, metadata, model, active FROM learned_models;
DROP TABLE learned_models;
ALTER TABLE learned_models_rebuilt RENAME TO learned_models;

CREATE UNIQUE INDEX learned_models_one_active ON learned_models
    ((CASE WHEN kind = 'rules_calibration' THEN kind ELSE 'classifier' END)) WHERE active = 1;

-- Background retraining: one node at a time trains (it holds the lease until lease_until, in
-- milliseconds since the epoch), once enough agent verdicts are newer than the last training's.
CREATE TABLE model_training (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    lease_owner     TEXT,
    lease_until     INTEGER,
    -- The newest agent verdict (classifications.id) the last training read.
    trained_through INTEGER NOT NULL DEFAULT 0,
    finished_at     INTEGER
);
INSERT INTO model_training (id) VALUES (1);
