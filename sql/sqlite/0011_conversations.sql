-- Issue 14: the conversation on a ticket. The ticket's own text is the customer's opening
-- message; ticket_messages holds everything said after it, in order.

-- Whom to answer: the customer's e-mail address or an integration's id for them, and that
-- integration's reference for the thread (a mail Message-ID, a CRM case id). Without them a
-- mail gateway cannot deliver a reply.
ALTER TABLE tickets ADD COLUMN requester TEXT;
ALTER TABLE tickets ADD COLUMN thread_ref TEXT;

CREATE TABLE ticket_messages (
    id             INTEGER PRIMARY KEY,
    ticket_id      INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    author_kind    TEXT    NOT NULL
                           CHECK (author_kind = 'customer' OR author_kind = 'agent'
                                  OR author_kind = 'integration'),
    -- The user or token that wrote it; empty for the customer.
    author         TEXT    NOT NULL DEFAULT '',
    visibility     TEXT    NOT NULL CHECK (visibility = 'public' OR visibility = 'internal'),
    body           TEXT    NOT NULL,
    -- A public reply to the customer waits for the integration that delivers it to say how it
    -- went; notes and the customer's own messages are not delivered.
    delivery       TEXT    CHECK (delivery = 'pending' OR delivery = 'delivered'
                                  OR delivery = 'failed'),
    delivery_error TEXT,
    -- A reply that began as an AI draft: which provider and model drafted it, and how many
    -- characters the agent changed (an edit distance).
    draft_provider TEXT,
    draft_model    TEXT,
    draft_edits    INTEGER,
    created_at     INTEGER NOT NULL,
    CHECK ((delivery IS NULL) = (visibility = 'internal' OR author_kind = 'customer'))
);
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id, id);

-- An imported ticket's dataset answer is its first agent reply, delivered long ago.
INSERT INTO ticket_messages (ticket_id, author_kind, author, visibility, body, delivery,
                             created_at)
SELECT i.ticket_id, 'agent', 'import', 'public', i.answer, 'delivered', t.created_at
FROM imported_tickets i JOIN tickets t ON t.id = i.ticket_id
WHERE i.answer <> ''
ORDER BY i.ticket_id;
