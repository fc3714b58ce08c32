-- A result file uploaded again by its owner: theirs to keep now, whatever becomes of its task.
UPDATE files SET task_id = NULL WHERE id = @id;
