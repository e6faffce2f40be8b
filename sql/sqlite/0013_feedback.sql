-- Issue 14: the customer's rating of how a ticket was handled, as a survey integration reports
-- it. One current rating per ticket, which a new one replaces; every rating given stays in the
-- history.
CREATE TABLE ticket_feedback (
    ticket_id  INTEGER PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment    TEXT    NOT NULL DEFAULT '',
    resolved   INTEGER NOT NULL CHECK (resolved IN (0, 1)),
    -- The integration token that recorded it.
    rated_by   TEXT    NOT NULL,
    rated_at   INTEGER NOT NULL
);
-- Satisfaction per day reads the ratings of a window of days.
CREATE INDEX ticket_feedback_rated ON ticket_feedback (rated_at);

CREATE TABLE ticket_feedback_history (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment    TEXT    NOT NULL DEFAULT '',
    resolved   INTEGER NOT NULL CHECK (resolved IN (0, 1)),
    rated_by   TEXT    NOT NULL,
    rated_at   INTEGER NOT NULL
);
CREATE INDEX ticket_feedback_history_ticket ON ticket_feedback_history (ticket_id, id);
