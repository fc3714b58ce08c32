INSERT INTO task_attempts (task_id, attempt, worker, token, started_at)
VALUES (@task_id, @attempt, @worker, @token, @now);
