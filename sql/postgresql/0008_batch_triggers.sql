-- Issue 10: classifications are stored a batch at a time, by several nodes at once. The row
-- triggers of 0001-0003 ran five statements for each result (over a millisecond a row at a
-- million tickets) and took counter rows in the order results came, so two nodes' batches
-- deadlocked on them. These run a few statements per batch, each counter change summed per key
-- and applied in key order. The results are the same: see sql/sqlite/0008_batch_triggers.sql.

DROP TRIGGER classifications_set_ticket_category ON classifications;
DROP TRIGGER classifications_confidence_counted ON classifications;
DROP TRIGGER tickets_counted_on_update ON tickets;
DROP FUNCTION classifications_set_ticket_category();
DROP FUNCTION classifications_count_confidence();
DROP FUNCTION tickets_count_update();

-- The category, review flag and classification of a ticket come from its newest result in the
-- statement, unless an agent's verdict stands: an agent's word is final, and a later machine
-- result is kept in the history only.
--
-- The tickets are locked first, in id order, by a statement of their own: a verdict committed
-- meanwhile by another transaction holds them until it commits, and the UPDATE after, with a
-- snapshot of its own, then sees it. Checked in one statement, a machine result that began
-- before the verdict committed would not see it, wait for the row, and overwrite it.
CREATE FUNCTION classifications_set_ticket_categories() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM tickets
    WHERE id IN (SELECT ticket_id FROM new_rows)
    ORDER BY id FOR UPDATE;
    UPDATE tickets t
    SET category = r.category, needs_review = r.needs_review, classification_id = r.id,
        updated_at = GREATEST(t.updated_at, r.created_at)
    FROM (SELECT DISTINCT ON (n.ticket_id) n.*
          FROM new_rows n
          WHERE n.provider = 'agent'
             OR NOT EXISTS (SELECT 1 FROM classifications a
                            WHERE a.ticket_id = n.ticket_id AND a.provider = 'agent')
          ORDER BY n.ticket_id, n.id DESC) r
    WHERE t.id = r.ticket_id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER classifications_set_ticket_categories AFTER INSERT ON classifications
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION classifications_set_ticket_categories();

-- A ticket's newest machine result in the statement takes the place of its newest one before,
-- even under an agent's verdict: the histogram follows the machine, not the ticket.
CREATE FUNCTION classifications_count_confidences() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH batch AS (
        SELECT ticket_id, MIN(id) AS first_id, MAX(id) AS last_id
        FROM new_rows WHERE provider <> 'agent' GROUP BY ticket_id
    ), changes AS (
        SELECT t.created_at / 86400000 AS day, p.category, confidence_bucket(p.confidence) AS bucket,
               -1 AS n
        FROM batch b
        JOIN tickets t ON t.id = b.ticket_id
        CROSS JOIN LATERAL (SELECT c.category, c.confidence FROM classifications c
                            WHERE c.ticket_id = b.ticket_id AND c.provider <> 'agent'
                              AND c.id < b.first_id
                            ORDER BY c.id DESC LIMIT 1) p
        UNION ALL
        SELECT t.created_at / 86400000, r.category, confidence_bucket(r.confidence), 1
        FROM batch b
        JOIN new_rows r ON r.id = b.last_id
        JOIN tickets t ON t.id = b.ticket_id
    )
    INSERT INTO confidence_counts AS cc (day, category, bucket, n)
    SELECT day, category, bucket, SUM(n) FROM changes
    GROUP BY 1, 2, 3 HAVING SUM(n) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (day, category, bucket) DO UPDATE SET n = cc.n + EXCLUDED.n;
    RETURN NULL;
END;
$$;

CREATE TRIGGER classifications_confidences_counted AFTER INSERT ON classifications
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION classifications_count_confidences();

-- A transition table cannot go with a column list, so this runs after every update of tickets
-- and finds the rows whose category or status moved itself.
CREATE FUNCTION tickets_count_updates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH moved AS (
        SELECT o.created_at / 86400000 AS day,
               COALESCE(o.category, '') AS old_category, o.status AS old_status,
               COALESCE(n.category, '') AS new_category, n.status AS new_status
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE o.category IS DISTINCT FROM n.category OR o.status IS DISTINCT FROM n.status
    ), changes AS (
        SELECT day, old_category AS category, old_status AS status, -1 AS n FROM moved
        UNION ALL
        SELECT day, new_category, new_status, 1 FROM moved
    )
    INSERT INTO ticket_counts AS tc (day, category, status, n)
    SELECT day, category, status, SUM(n) FROM changes
    GROUP BY 1, 2, 3 HAVING SUM(n) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (day, category, status) DO UPDATE SET n = tc.n + EXCLUDED.n;
    RETURN NULL;
END;
$$;

CREATE TRIGGER tickets_counted_on_update AFTER UPDATE ON tickets
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION tickets_count_updates();
