UPDATE openeo_jobs SET task_id = @task, updated = @now WHERE id = @id;
