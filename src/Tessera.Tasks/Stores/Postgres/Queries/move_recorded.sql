-- A held task's move as one statement (its own transaction): the update fenced by the lease token and the
-- expected status, a history entry per status passed (@froms/@tos/@errors, in order) and, when the lease
-- ends, the end of the attempt. Nothing is written unless the fenced update matched.
WITH moved AS (
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
    RETURNING *),
history AS (
    INSERT INTO task_status_history (task_id, from_status, to_status, at, attempt, error_message, actor)
    SELECT moved.id, step.from_status, step.to_status, @now, @attempt, step.error_message, @actor
    FROM moved, unnest(CAST(@froms AS integer[]), CAST(@tos AS integer[]), CAST(@errors AS text[]))
        WITH ORDINALITY AS step(from_status, to_status, error_message, n)
    ORDER BY step.n),
attempt AS (
    UPDATE task_attempts SET ended_at = @now, outcome = @outcome
    WHERE task_id = @id AND token = @token AND ended_at IS NULL AND NOT @keep_lease AND EXISTS (SELECT 1 FROM moved))
SELECT * FROM moved;
