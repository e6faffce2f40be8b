-- Issue 14: auto-resolve, opt-in per category. A category with a rule has its new tickets
-- answered with the reply of a very close, already-resolved ticket and resolved, when both the
-- classification's confidence and the match's similarity reach the threshold. Every such
-- answer is recorded, and a later customer message that reopens the ticket marks it, so that a
-- manager can see the auto-resolve rate and the reopen rate before trusting it further.
CREATE TABLE auto_resolve_rules (
    category   TEXT    PRIMARY KEY,
    threshold  REAL    NOT NULL CHECK (threshold >= 0.5 AND threshold <= 1),
    updated_by TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE auto_resolutions (
    ticket_id        INTEGER PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    category         TEXT    NOT NULL,
    -- The resolved ticket whose reply was reused; kept as a number, since that ticket may go.
    source_ticket_id INTEGER NOT NULL,
    message_id       INTEGER NOT NULL REFERENCES ticket_messages (id) ON DELETE CASCADE,
    confidence       REAL    NOT NULL,
    similarity       REAL    NOT NULL,
    resolved_at      INTEGER NOT NULL,
    reopened_at      INTEGER
);
CREATE INDEX auto_resolutions_resolved ON auto_resolutions (resolved_at);
