-- What delete_finished would delete (a dry run).
SELECT id, result_file_id FROM tasks
WHERE status IN (4, 7, 8, 9) AND updated_at < @before AND (CAST(@owner AS TEXT) IS NULL OR owner = @owner);
