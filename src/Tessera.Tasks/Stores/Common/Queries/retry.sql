-- A person's retry of a failed task; the attempt count starts over.
UPDATE tasks
SET status = @to, error_message = NULL, attempts = 0, updated_at = @now,
    progress_stage = NULL, progress_done = NULL, progress_total = NULL
WHERE id = @id AND status = @from AND lease_token IS NULL
RETURNING *;
