-- A task's log, oldest first (at most the last @limit lines).
SELECT at, level, message FROM (
    SELECT id, at, level, message FROM task_log WHERE task_id = @task_id ORDER BY id DESC LIMIT @limit
) recent ORDER BY id;
