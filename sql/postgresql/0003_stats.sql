-- Issue 4: what /stats tells a manager beyond the daily counts (see sql/sqlite/0003_stats.sql).

CREATE INDEX classifications_agent_created ON classifications (created_at)
WHERE provider = 'agent';

-- Tickets per UTC creation day, category and confidence tenth (0..9, 1.0 in 9) of their latest
-- machine classification. floor(), because a cast to integer rounds here where SQLite truncates.
CREATE TABLE confidence_counts (
    day       BIGINT  NOT NULL,
    category  TEXT    NOT NULL,
    bucket    INTEGER NOT NULL CHECK (bucket >= 0 AND bucket <= 9),
    n         BIGINT  NOT NULL,
    PRIMARY KEY (day, category, bucket)
);

CREATE FUNCTION confidence_bucket(confidence DOUBLE PRECISION) RETURNS INTEGER
LANGUAGE sql IMMUTABLE AS $$ SELECT LEAST(floor(confidence * 10)::INTEGER, 9) $$;

INSERT INTO confidence_counts (day, category, bucket, n)
SELECT t.created_at / 86400000, c.category, confidence_bucket(c.confidence), COUNT(*)
FROM classifications c JOIN tickets t ON t.id = c.ticket_id
WHERE c.provider <> 'agent'
  AND c.id = (SELECT MAX(m.id) FROM classifications m
              WHERE m.ticket_id = c.ticket_id AND m.provider <> 'agent')
GROUP BY 1, 2, 3;

-- A new machine result takes the place of the ticket's previous one, even under an agent's
-- verdict that keeps the ticket's category: the histogram follows the machine, not the ticket.
CREATE FUNCTION classifications_count_confidence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE confidence_counts SET n = n - 1
    WHERE (day, category, bucket) =
          (SELECT t.created_at / 86400000, p.category, confidence_bucket(p.confidence)
           FROM classifications p JOIN tickets t ON t.id = p.ticket_id
           WHERE p.ticket_id = NEW.ticket_id AND p.provider <> 'agent' AND p.id < NEW.id
           ORDER BY p.id DESC LIMIT 1);
    INSERT INTO confidence_counts (day, category, bucket, n)
    SELECT created_at / 86400000, NEW.category, confidence_bucket(NEW.confidence), 1
    FROM tickets WHERE id = NEW.ticket_id
    ON CONFLICT (day, category, bucket) DO UPDATE SET n = confidence_counts.n + 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER classifications_confidence_counted AFTER INSERT ON classifications
FOR EACH ROW WHEN (NEW.provider <> 'agent')
EXECUTE FUNCTION classifications_count_confidence();

-- BEFORE, because the foreign key's cascade removes the classifications with the ticket.
CREATE FUNCTION tickets_uncount_confidence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE confidence_counts SET n = n - 1
    WHERE (day, category, bucket) =
          (SELECT OLD.created_at / 86400000, p.category, confidence_bucket(p.confidence)
           FROM classifications p
           WHERE p.ticket_id = OLD.id AND p.provider <> 'agent'
           ORDER BY p.id DESC LIMIT 1);
    RETURN OLD;
END;
$$;

CREATE TRIGGER tickets_confidence_uncounted_on_delete BEFORE DELETE ON tickets
FOR EACH ROW EXECUTE FUNCTION tickets_uncount_confidence();
