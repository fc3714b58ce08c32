SELECT attempt, worker, started_at, ended_at, outcome
FROM task_attempts WHERE task_id = @id ORDER BY id;
