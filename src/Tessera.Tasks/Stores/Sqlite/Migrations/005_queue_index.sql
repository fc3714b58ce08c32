-- The queue itself: only claimable tasks, in claim order. A claim reads its first row instead of scanning
-- (and sorting) every task, however many finished tasks the table holds. It replaces the index on
-- (status, created_at, id), which every status change had to update and no query needs any more.
CREATE INDEX tasks_queue ON tasks (created_at, id) WHERE status = 0 OR (status = 3 AND lease_token IS NULL);
DROP INDEX tasks_claimable;
