INSERT INTO task_dependencies (task_id, depends_on, kind) VALUES (@task_id, @depends_on, @kind);
