SELECT task_id, from_status, to_status, at, attempt, error_message, actor
FROM task_status_history WHERE task_id = @id ORDER BY id;
