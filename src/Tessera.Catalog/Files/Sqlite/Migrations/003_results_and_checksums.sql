-- The task whose result a file is (null for an upload, or for a result stored before this column): cleanup removes
-- a result file once its task is gone and no task uses it. Uploads are found by owner and checksum, so that the same
-- bytes uploaded again by the same owner are not stored twice.
ALTER TABLE files ADD COLUMN task_id INTEGER;

CREATE INDEX files_task ON files (task_id) WHERE task_id IS NOT NULL;
CREATE INDEX files_owner_sha256 ON files (owner, sha256);
