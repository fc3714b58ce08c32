-- Fenced by the lease token and the expected current status; a false @keep_lease ends the lease.
-- A result, when given (publishing), is stored by the same update that completes the task. The attempt that
-- ends PROCESSING successfully is recorded as the one whose work folder holds the result (work_token), and a download
-- handed over (DOWNLOADING to DOWNLOADED, the lease ended) as the one whose folder holds the inputs.
UPDATE tasks
SET status           = @to,
    error_message    = @error,
    updated_at       = @now,
    result_file_id   = COALESCE(@result_file_id, result_file_id),
    result_bounds    = COALESCE(@result_bounds, result_bounds),
    work_token       = CASE WHEN (status = 5 AND CAST(@to AS INTEGER) IN (3, 6)) OR (status = 1 AND CAST(@to AS INTEGER) = 2 AND NOT @keep_lease)
                            THEN lease_token ELSE work_token END,
    cancel_requested = CASE WHEN @keep_lease THEN cancel_requested ELSE 0 END,
    lease_owner      = CASE WHEN @keep_lease THEN lease_owner END,
    lease_token      = CASE WHEN @keep_lease THEN lease_token END,
    lease_expires_at = CASE WHEN @keep_lease THEN lease_expires_at END
WHERE id = @id AND lease_token = @token AND status = @from
RETURNING *;
