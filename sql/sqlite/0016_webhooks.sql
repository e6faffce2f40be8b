-- Issue 14: webhooks. The outbox is ticket_change_events: every change writes its event there
-- in its own transaction (0015), so a crash can lose no change that committed. Each webhook
-- keeps the position through which it has turned events into deliveries; turning the next ones
-- into deliveries and moving that mark happen in one transaction, so no event is skipped or
-- queued twice, and the events are not trimmed before every live webhook has passed them.
CREATE TABLE webhooks (
    id             INTEGER PRIMARY KEY,
    url            TEXT    NOT NULL,
    -- Space-separated ChangeEvent types.
    event_types    TEXT    NOT NULL,
    -- The signing secret, sealed with the nodes' secrets key (SecretBox): never in clear here.
    sealed_secret  TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    -- Set when an admin removes it; kept for its delivery log.
    removed_at     INTEGER,
    -- The last change event position turned into deliveries (or passed over, for another type).
    queued_through INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    webhook_id      INTEGER NOT NULL REFERENCES webhooks (id),
    -- The change event's position: the id receivers deduplicate on.
    event_id        INTEGER NOT NULL,
    event_type      TEXT    NOT NULL,
    ticket_id       INTEGER NOT NULL,
    -- The JSON sent, fixed when queued so that every attempt sends and signs the same bytes.
    body            TEXT    NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'delivered', 'failed', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    -- While pending: when it may be tried next. Taking it for an attempt moves this past the
    -- attempt's time-out, so a node that dies mid-attempt leaves it to be tried again.
    next_attempt_at INTEGER,
    last_attempt_at INTEGER,
    last_status     INTEGER,
    last_error      TEXT,
    delivered_at    INTEGER,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
WHERE state = 'pending';
-- A webhook's delivery log, newest first.
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, id);
-- Trimming the settled ones by age.
CREATE INDEX webhook_deliveries_created ON webhook_deliveries (created_at);
