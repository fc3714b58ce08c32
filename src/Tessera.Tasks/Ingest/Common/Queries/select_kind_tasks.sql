SELECT t.task_id, t.tile, t.date, t.scene, t.step, t.collection
FROM ingestion_tasks t JOIN ingestions i ON i.id = t.ingestion_id
WHERE i.kind = @kind AND (@owner = '' OR i.owner = @owner)
ORDER BY t.task_id;
