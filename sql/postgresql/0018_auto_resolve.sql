-- Issue 14: auto-resolve, opt-in per category; see sql/sqlite/0018_auto_resolve.sql.
CREATE TABLE auto_resolve_rules (
    category   TEXT             PRIMARY KEY,
    threshold  DOUBLE PRECISION NOT NULL CHECK (threshold >= 0.5 AND threshold <= 1),
    updated_by TEXT             NOT NULL,
    updated_at BIGINT           NOT NULL
);

CREATE TABLE auto_resolutions (
    ticket_id        BIGINT           PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    category         TEXT             NOT NULL,
    source_ticket_id BIGINT           NOT NULL,
    message_id       BIGINT           NOT NULL REFERENCES ticket_messages (id) ON DELETE CASCADE,
    confidence       DOUBLE PRECISION NOT NULL,
    similarity       DOUBLE PRECISION NOT NULL,
    resolved_at      BIGINT           NOT NULL,
    reopened_at      BIGINT
);
CREATE INDEX auto_resolutions_resolved ON auto_resolutions (resolved_at);
