-- The earliest claimable task for the worker's role: NOT_STARTED (and not given back until a later time) when it
-- downloads (@download); DOWNLOADED without a lease (handed over by a download worker) or PROCESSING_COMPLETED without a
-- lease (a publish retry) when it processes (@process).
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
    SELECT id FROM tasks
    WHERE (@download AND status = 0 AND (not_before IS NULL OR not_before <= @now))
       OR (@process AND status IN (2, 3) AND lease_token IS NULL)
    ORDER BY created_at, id
    LIMIT 1)
RETURNING *, CASE status WHEN 1 THEN 0 WHEN 5 THEN 2 ELSE 3 END AS previous_status;
