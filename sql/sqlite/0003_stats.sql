-- Issue 4: what /stats tells a manager beyond the daily counts. The backlog's ages come from
-- ticket_counts and tickets_status_created; this adds what the other two answers need.

-- Agent verdicts by the time they were given, for the corrections in a window. Partial, so the
-- machine results, stored by the thousand per second, write no page of it.
CREATE INDEX classifications_agent_created ON classifications (created_at)
WHERE provider = 'agent';

-- Tickets per UTC creation day, category and confidence tenth (0..9, 1.0 in 9) of their latest
-- machine classification, kept by the triggers below like ticket_counts, so that a 90-day
-- histogram reads a few thousand rows instead of joining a million tickets to their results.
-- Machine results only: an agent's verdict carries no model confidence, and the histogram is
-- there to show how sure the classifier was.
CREATE TABLE confidence_counts (
    day       INTEGER NOT NULL,
    category  TEXT    NOT NULL,
    bucket    INTEGER NOT NULL CHECK (bucket >= 0 AND bucket <= 9),
    n         INTEGER NOT NULL,
    PRIMARY KEY (day, category, bucket)
) WITHOUT ROWID;

INSERT INTO confidence_counts (day, category, bucket, n)
SELECT t.created_at / 86400000, c.category, MIN(CAST(c.confidence * 10 AS INTEGER), 9), COUNT(*)
FROM classifications c JOIN tickets t ON t.id = c.ticket_id
WHERE c.provider <> 'agent'
  AND c.id = (SELECT MAX(m.id) FROM classifications m
              WHERE m.ticket_id = c.ticket_id AND m.provider <> 'agent')
GROUP BY 1, 2, 3;

-- A new machine result takes the place of the ticket's previous one, even under an agent's
-- verdict that keeps the ticket's category: the histogram follows the machine, not the ticket.
CREATE TRIGGER classifications_confidence_counted AFTER INSERT ON classifications
WHEN NEW.provider <> 'agent'
BEGIN
    UPDATE confidence_counts SET n = n - 1
    WHERE (day, category, bucket) =
          (SELECT t.created_at / 86400000, p.category, MIN(CAST(p.confidence * 10 AS INTEGER), 9)
           FROM classifications p JOIN tickets t ON t.id = p.ticket_id
           WHERE p.ticket_id = NEW.ticket_id AND p.provider <> 'agent' AND p.id < NEW.id
           ORDER BY p.id DESC LIMIT 1);
    INSERT INTO confidence_counts (day, category, bucket, n)
    SELECT created_at / 86400000, NEW.category, MIN(CAST(NEW.confidence * 10 AS INTEGER), 9), 1
    FROM tickets WHERE id = NEW.ticket_id
    ON CONFLICT (day, category, bucket) DO UPDATE SET n = n + 1;
END;

-- BEFORE, because the foreign key's cascade removes the classifications with the ticket.
CREATE TRIGGER tickets_confidence_uncounted_on_delete BEFORE DELETE ON tickets
BEGIN
    UPDATE confidence_counts SET n = n - 1
    WHERE (day, category, bucket) =
          (SELECT OLD.created_at / 86400000, p.category,
                  MIN(CAST(p.confidence * 10 AS INTEGER), 9)
           FROM classifications p
           WHERE p.ticket_id = OLD.id AND p.provider <> 'agent'
           ORDER BY p.id DESC LIMIT 1);
END;
