INSERT INTO task_status_history (task_id, from_status, to_status, at, attempt, error_message, actor)
VALUES (@task_id, @from, @to, @at, @attempt, @error, @actor);
