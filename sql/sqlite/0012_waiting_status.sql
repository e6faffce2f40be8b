-- Issue 14: a ticket can wait for the customer, after a reply that asks them something. It is
-- neither the team's work nor done, so the backlog leaves it out until the customer answers.
--
-- SQLite cannot alter a CHECK constraint. Allowing one more value only loosens it, so every
-- stored row stays valid, and SQLite documents editing the schema text for such a change
-- (https://sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema Changes")
-- instead of copying the table and recreating its triggers and indexes.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, 'OR status = ''closed''),', 'OR status = ''closed'' OR status = ''waiting''),')
WHERE type = 'table' AND name = 'tickets';
PRAGMA writable_schema = RESET;
-- DDL changes the schema cookie, which makes other connections read the new schema.
CREATE TABLE schema_cookie (unused INTEGER);
DROP TABLE schema_cookie;
