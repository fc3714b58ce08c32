-- History entries and attempt records are only ever read by task, in order: the (task_id, id) indexes
-- serve every query. Their own primary-key and token indexes cost an index insertion per status change
-- and per claim, and are dropped. (SQLite's row ids cost nothing; its tables keep their keys.)
ALTER TABLE task_status_history DROP CONSTRAINT task_status_history_pkey;
ALTER TABLE task_attempts DROP CONSTRAINT task_attempts_pkey;
ALTER TABLE task_attempts DROP CONSTRAINT task_attempts_token_key;
