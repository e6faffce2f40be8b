-- Issue 14: Idempotency-Key on POST /requests/{id}/messages, so that a relay retrying after a
-- time-out does not store a customer's message twice. Keys are the sending token's, as for
-- tickets, and answer with their first message for 24 hours.
CREATE TABLE message_idempotency_keys (
    key          TEXT    PRIMARY KEY,
    request_hash TEXT    NOT NULL,
    message_id   INTEGER NOT NULL REFERENCES ticket_messages (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL
);
CREATE INDEX message_idempotency_keys_created ON message_idempotency_keys (created_at);
