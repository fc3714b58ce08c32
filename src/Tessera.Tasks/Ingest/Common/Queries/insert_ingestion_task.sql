INSERT INTO ingestion_tasks (ingestion_id, task_id, tile, date, scene, step) VALUES (@ingestion, @task, @tile, @date, @scene, @step);
