-- Issue 14: a ticket can wait for the customer, after a reply that asks them something. It is
-- neither the team's work nor done, so the backlog leaves it out until the customer answers.
ALTER TABLE tickets DROP CONSTRAINT tickets_status_check;
ALTER TABLE tickets ADD CONSTRAINT tickets_status_check
    CHECK (status IN ('open', 'in_progress', 'waiting', 'resolved', 'closed'));
