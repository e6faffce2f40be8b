-- Issue 11: who may do what, and who did what.

-- People who sign in to the window, and whom tickets are assigned to. Never deleted, only
-- disabled, so that every name in a ticket's history keeps meaning someone.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    role          TEXT    NOT NULL CHECK (role = 'agent' OR role = 'manager' OR role = 'admin'),
    -- libsodium's Argon2id string (crypto_pwhash_str). NULL: the operating-system account
    -- that owns a one-person console, which signs in without a password.
    password_hash TEXT,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled = 0 OR disabled = 1),
    created_by    TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

-- Credentials of external systems. Only a hash of each secret is kept: a BLAKE2b-256 digest
-- in hex, which a lookup matches by index. Revoked tokens stay listed, so that their name in
-- a ticket's history still says which integration acted; a name is unique among live ones.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    secret_hash  TEXT    NOT NULL UNIQUE,
    -- Space-separated, as OAuth writes scopes: "tickets:read stats:read".
    scopes       TEXT    NOT NULL,
    created_by   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;

-- What people and integrations changed on a ticket: status, verdicts and assignments.
-- value_before / value_after are the values' names; NULL means none (no category, unassigned).
CREATE TABLE ticket_events (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    field        TEXT    NOT NULL
                         CHECK (field = 'status' OR field = 'category' OR field = 'assignee'),
    value_before TEXT,
    value_after  TEXT,
    actor_kind   TEXT    NOT NULL
                         CHECK (actor_kind = 'user' OR actor_kind = 'integration'
                                OR actor_kind = 'system'),
    actor        TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);
-- Verdicts per person over time, for the corrections each agent made.
CREATE INDEX ticket_events_verdicts ON ticket_events (created_at) WHERE field = 'category';

ALTER TABLE tickets ADD COLUMN assignee TEXT REFERENCES users (name);
-- Bumped by every change to what a ticket says (status, category, assignee, classification):
-- the ticket's ETag, which a conditional update compares and sets in one statement.
ALTER TABLE tickets ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX tickets_assignee_created ON tickets (assignee, created_at, id)
WHERE assignee IS NOT NULL;

-- SQLite's BEFORE triggers cannot change NEW; the second update names only version, which no
-- other trigger watches.
CREATE TRIGGER tickets_versioned AFTER UPDATE OF status, category, classification_id, assignee
ON tickets
WHEN NEW.version = OLD.version
     AND (OLD.status IS NOT NEW.status OR OLD.category IS NOT NEW.category
          OR OLD.classification_id IS NOT NEW.classification_id
          OR OLD.assignee IS NOT NEW.assignee)
BEGIN
    UPDATE tickets SET version = OLD.version + 1 WHERE id = NEW.id;
END;

-- Who gave a verdict: a person (training data) or an integration (counted apart). NULL for
-- the machine's own results.
ALTER TABLE classifications ADD COLUMN actor_kind TEXT
    CHECK (actor_kind IS NULL OR actor_kind = 'user' OR actor_kind = 'integration');
UPDATE classifications SET actor_kind = 'user' WHERE provider = 'agent';

-- Idempotency keys belong to the credential that sent them and expire after a day, so that
-- nobody can claim another client's predictable key. The API stores each as "token-name:key"
-- (token names cannot hold a colon). Keys from before had no owner and are dropped.
DELETE FROM idempotency_keys;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
