-- A file produced by a task attempt is registered "pending" (carrying the attempt's lease token) and
-- becomes visible only when the same transaction that publishes the task clears the token. Pending files
-- of attempts that died are removed by the sweep.
ALTER TABLE files ADD COLUMN pending_token TEXT;

CREATE INDEX files_pending ON files (pending_token) WHERE pending_token IS NOT NULL;
