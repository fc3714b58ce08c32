-- The claim as one statement (its own transaction): the earliest claimable task for the worker's role (@download:
-- NOT_STARTED; @process: DOWNLOADED or PROCESSING_COMPLETED without a lease) (FOR UPDATE SKIP LOCKED:
-- concurrent workers each take a different row), its history entry and its attempt's record. One round
-- trip instead of a transaction of three.
WITH next AS (
    SELECT id, status FROM tasks
    WHERE (@download AND status = 0 AND (not_before IS NULL OR not_before <= @now))
       OR (@process AND status IN (2, 3) AND lease_token IS NULL)
    ORDER BY created_at, id
    LIMIT 1
    FOR UPDATE SKIP LOCKED),
claimed AS (
    UPDATE tasks AS t
    SET status           = CASE next.status WHEN 0 THEN 1 WHEN 2 THEN 5 ELSE 6 END,
        attempts         = t.attempts + CASE next.status WHEN 2 THEN 0 ELSE 1 END, -- processing a handed-over download goes on with its attempt
        lease_owner      = @worker,
        lease_token      = @token,
        lease_expires_at = @now + @lease_ms,
        not_before       = NULL,
        progress_stage   = NULL,
        progress_done    = NULL,
        progress_total   = NULL,
        error_message    = NULL,
        updated_at       = @now
    FROM next
    WHERE t.id = next.id
    RETURNING t.*, next.status AS previous_status),
history AS (
    INSERT INTO task_status_history (task_id, from_status, to_status, at, attempt, error_message, actor)
    SELECT id, previous_status, status, @now, attempts, NULL, @worker FROM claimed),
attempt AS (
    INSERT INTO task_attempts (task_id, attempt, worker, token, started_at)
    SELECT id, attempts, @worker, @token, @now FROM claimed)
SELECT * FROM claimed;
