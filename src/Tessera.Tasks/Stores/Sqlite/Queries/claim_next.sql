-- The earliest claimable task: NOT_STARTED (and not given back until a later time), or PROCESSING_COMPLETED without
-- a lease (a publish retry).
-- One statement, inside an IMMEDIATE transaction: no two workers can claim the same task.
UPDATE tasks
SET status           = CASE status WHEN 0 THEN 1 ELSE 6 END,
    attempts         = attempts + 1,
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
    WHERE (status = 0 AND (not_before IS NULL OR not_before <= @now)) OR (status = 3 AND lease_token IS NULL)
    ORDER BY created_at, id
    LIMIT 1)
RETURNING *, CASE status WHEN 1 THEN 0 ELSE 3 END AS previous_status;
