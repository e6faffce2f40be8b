-- The learned model lives in the database instead of in files beside it, so every window and
-- API node sharing the database uses the model trained on any of them.

-- Every model kept, for rolling back; only the active one of each kind is loaded. AUTOINCREMENT
-- so an id is never reused after a model is deleted: the classifier notices a new model by the
-- active model's id.
CREATE TABLE learned_models (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL CHECK (kind IN ('fasttext')),
    version     TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    -- What the program knows about the model (FastTextModelInfo's JSON).
    metadata    TEXT    NOT NULL,
    model       BLOB    NOT NULL,
    active      INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1))
);

-- At most one active model per kind; also what the classifier's once-a-second check reads.
CREATE UNIQUE INDEX learned_models_one_active ON learned_models (kind) WHERE active = 1;
