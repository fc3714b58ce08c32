-- Finished tasks: PUBLISH_COMPLETED (7) and the failures (4, 8, 9); their history goes with them.
DELETE FROM tasks
WHERE status IN (4, 7, 8, 9) AND updated_at < @before AND (@owner IS NULL OR owner = @owner)
RETURNING id, result_file_id;
