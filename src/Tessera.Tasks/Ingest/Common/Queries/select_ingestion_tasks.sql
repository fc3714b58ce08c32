SELECT task_id, tile, date, scene, step FROM ingestion_tasks WHERE ingestion_id = @id ORDER BY tile, date, step;
