-- Fenced by the lease token and the expected current status; a false @keep_lease ends the lease.
UPDATE tasks
SET status           = @to,
    error_message    = @error,
    updated_at       = @now,
    lease_owner      = CASE WHEN @keep_lease THEN lease_owner END,
    lease_token      = CASE WHEN @keep_lease THEN lease_token END,
    lease_expires_at = CASE WHEN @keep_lease THEN lease_expires_at END
WHERE id = @id AND lease_token = @token AND status = @from
RETURNING *;
