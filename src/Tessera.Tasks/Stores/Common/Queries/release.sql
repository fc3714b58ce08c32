-- A worker gives a held task back (it is stopping, or its database or disk failed under it): the task waits
-- again, and the attempt is not counted, so restarts and outages never use up a task's attempts.
UPDATE tasks
SET status           = @to,
    error_message    = NULL,
    updated_at       = @now,
    attempts         = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END,
    cancel_requested = 0,
    lease_owner      = NULL,
    lease_token      = NULL,
    lease_expires_at = NULL
WHERE id = @id AND lease_token = @token AND status = @from
RETURNING *;
