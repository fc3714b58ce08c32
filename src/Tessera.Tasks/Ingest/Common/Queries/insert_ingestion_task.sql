INSERT INTO ingestion_tasks (ingestion_id, task_id, tile, date, scene, step, collection) VALUES (@ingestion, @task, @tile, @date, @scene, @step, @collection);
