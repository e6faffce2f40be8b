-- Issue 13: the learned local model may be a fastText or a linear model, and the rules'
-- confidence may be calibrated on the team's own verdicts. The same rules as sql/sqlite/0010.

-- Results of the learned model, whatever its recipe, are stored as 'learned'; rows from before
-- keep 'fasttext'.
ALTER TABLE classifications DROP CONSTRAINT classifications_provider_check;
ALTER TABLE classifications ADD CONSTRAINT classifications_provider_check
    CHECK (provider IN ('remote', 'learned', 'fasttext', 'rules', 'agent'));

-- One active classifier model, whatever its kind, so that `train` and a rollback choose the one
-- every node uses; a calibration of the rules is active beside it. A pinned model is kept active
-- by `train` and by background retraining until an admin unpins it.
ALTER TABLE learned_models DROP CONSTRAINT learned_models_kind_check;
ALTER TABLE learned_models ADD CONSTRAINT learned_models_kind_check
    CHECK (kind IN ('fasttext', 'linear', 'rules_calibration'));
ALTER TABLE learned_models ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0
    CHECK (pinned IN (0, 1) AND pinned <= active);
DROP INDEX learned_models_one_active;
CREATE UNIQUE INDEX learned_models_one_active ON learned_models
    ((CASE WHEN kind = 'rules_calibration' THEN kind ELSE 'classifier' END)) WHERE active = 1;

-- Background retraining: one node at a time trains (it holds the lease until lease_until, in
-- milliseconds since the epoch), once enough agent verdicts are newer than the last training's.
CREATE TABLE model_training (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    lease_owner     TEXT,
    lease_until     BIGINT,
    -- The newest agent verdict (classifications.id) the last training read.
    trained_through BIGINT  NOT NULL DEFAULT 0,
    finished_at     BIGINT
);
INSERT INTO model_training (id) VALUES (1);
