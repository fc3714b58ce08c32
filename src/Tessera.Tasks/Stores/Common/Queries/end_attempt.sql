-- Closes the attempt of a lease that just ended; an attempt is closed once.
UPDATE task_attempts SET ended_at = @now, outcome = @outcome
WHERE task_id = @task_id AND token = @token AND ended_at IS NULL;
