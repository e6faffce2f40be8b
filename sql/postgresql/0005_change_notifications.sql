-- Issue 10: every window and node LISTENs on this channel and re-reads what it shows. One
-- notification per statement, and PostgreSQL folds equal notifications of one transaction into
-- one, so a batch of a hundred tickets wakes each listener once, when it commits.
-- Classifications change their ticket's row, so they notify through it.
CREATE FUNCTION notify_tickets_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('support_console_tickets', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER tickets_changed_notify AFTER INSERT OR UPDATE OR DELETE ON tickets
FOR EACH STATEMENT EXECUTE FUNCTION notify_tickets_changed();
