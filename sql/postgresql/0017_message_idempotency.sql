-- Issue 14: Idempotency-Key on POST /requests/{id}/messages; see
-- sql/sqlite/0017_message_idempotency.sql.
CREATE TABLE message_idempotency_keys (
    key          TEXT    PRIMARY KEY,
    request_hash TEXT    NOT NULL,
    message_id   BIGINT  NOT NULL REFERENCES ticket_messages (id) ON DELETE CASCADE,
    created_at   BIGINT  NOT NULL
);
CREATE INDEX message_idempotency_keys_created ON message_idempotency_keys (created_at);
