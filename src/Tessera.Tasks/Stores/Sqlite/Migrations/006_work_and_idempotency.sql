-- work_token: the lease token of the attempt that computed the task's result; its work folder holds the result
-- until the task is published (a publish retry reads it from there). Every attempt writes in a folder of its own,
-- so an attempt that lost its task (a worker paused past its lease) can never write into the next one's files.
ALTER TABLE tasks ADD COLUMN work_token TEXT;
-- A client's Idempotency-Key for addTask, per owner, with a digest of the request it came with: the same key
-- again gives the same task instead of a second one.
ALTER TABLE tasks ADD COLUMN idempotency_key TEXT;
ALTER TABLE tasks ADD COLUMN request_digest TEXT;
CREATE UNIQUE INDEX tasks_idempotency ON tasks (owner, idempotency_key) WHERE idempotency_key IS NOT NULL;
