-- A worker gives a held task back (it is stopping, its database or disk failed under it, or a provider said an input
-- is not available yet: then not claimed again before @not_before): the task waits again, and the attempt is not
-- counted, so restarts, outages and providers never use up a task's attempts.
UPDATE tasks
SET status           = @to,
    error_message    = NULL,
    updated_at       = @now,
    attempts         = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END,
    cancel_requested = 0,
    lease_owner      = NULL,
    lease_token      = NULL,
    lease_expires_at = NULL,
    not_before       = @not_before
WHERE id = @id AND lease_token = @token AND status = @from
RETURNING *;
