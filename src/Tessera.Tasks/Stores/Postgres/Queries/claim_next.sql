-- The earliest claimable task: NOT_STARTED, or PROCESSING_COMPLETED without a lease (a publish retry).
-- FOR UPDATE SKIP LOCKED: concurrent workers each take a different row, none waits for another.
WITH next AS (
    SELECT id, status FROM tasks
    WHERE status = 0 OR (status = 3 AND lease_token IS NULL)
    ORDER BY created_at, id
    LIMIT 1
    FOR UPDATE SKIP LOCKED)
UPDATE tasks AS t
SET status           = CASE next.status WHEN 0 THEN 1 ELSE 6 END,
    attempts         = t.attempts + 1,
    lease_owner      = @worker,
    lease_token      = @token,
    lease_expires_at = @expires,
    progress_stage   = NULL,
    progress_done    = NULL,
    progress_total   = NULL,
    error_message    = NULL,
    updated_at       = @now
FROM next
WHERE t.id = next.id
RETURNING t.*, next.status AS previous_status;
