-- Issue 14: GET /replies, a mail gateway's list of the team's public replies by delivery status
-- (pending ones, oldest first), across tickets. Only replies have a delivery status, so the index
-- leaves out the customers' messages and the internal notes.
CREATE INDEX ticket_messages_delivery ON ticket_messages (delivery, id) WHERE delivery IS NOT NULL;
