-- Fenced by the lease token and the expected current status; a false @keep_lease ends the lease.
-- A result, when given (publishing), is stored by the same update that completes the task.
UPDATE tasks
SET status           = @to,
    error_message    = @error,
    updated_at       = @now,
    result_file_id   = COALESCE(@result_file_id, result_file_id),
    result_bounds    = COALESCE(@result_bounds, result_bounds),
    cancel_requested = CASE WHEN @keep_lease THEN cancel_requested ELSE 0 END,
    lease_owner      = CASE WHEN @keep_lease THEN lease_owner END,
    lease_token      = CASE WHEN @keep_lease THEN lease_token END,
    lease_expires_at = CASE WHEN @keep_lease THEN lease_expires_at END
WHERE id = @id AND lease_token = @token AND status = @from
RETURNING *;
