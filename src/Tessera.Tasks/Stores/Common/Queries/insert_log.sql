-- One line of a task's log (nothing when the task is gone).
INSERT INTO task_log (task_id, at, level, message)
SELECT id, @now, @level, @message FROM tasks WHERE id = @task_id;
