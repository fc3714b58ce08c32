SELECT depends_on, kind FROM task_dependencies WHERE task_id = @id ORDER BY depends_on, kind;
