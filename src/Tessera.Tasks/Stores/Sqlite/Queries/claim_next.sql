-- The earliest claimable task for the worker's role: of the tasks not started that may start (the new side, when it
-- downloads) and those waiting for a process worker (the waiting side, when it processes), the earliest; each side found
-- through its own partial index.
-- One statement, inside an IMMEDIATE transaction: no two workers can claim the same task.
UPDATE tasks
SET status           = CASE status WHEN 0 THEN 1 WHEN 2 THEN 5 ELSE 6 END,
    attempts         = attempts + CASE status WHEN 2 THEN 0 ELSE 1 END, -- processing a handed-over download goes on with its attempt
    lease_owner      = @worker,
    lease_token      = @token,
    lease_expires_at = @now + @lease_ms,
    not_before       = NULL,
    progress_stage   = NULL,
    progress_done    = NULL,
    progress_total   = NULL,
    error_message    = NULL,
    updated_at       = @now
WHERE id = (
    SELECT id FROM (
        SELECT * FROM (SELECT id, created_at FROM tasks WHERE /*new*/ ORDER BY created_at, id LIMIT 1)
        UNION ALL
        SELECT * FROM (SELECT id, created_at FROM tasks WHERE /*waiting*/ ORDER BY created_at, id LIMIT 1))
    ORDER BY created_at, id
    LIMIT 1)
RETURNING *, CASE status WHEN 1 THEN 0 WHEN 5 THEN 2 ELSE 3 END AS previous_status;
