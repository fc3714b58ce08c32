SELECT task_id, tile, date, scene, step, collection FROM ingestion_tasks WHERE ingestion_id = @id ORDER BY tile, date, step;
