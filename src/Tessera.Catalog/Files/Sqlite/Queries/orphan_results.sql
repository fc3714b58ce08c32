-- Result files whose task no longer exists (the tasks table lives in the same database). Whether another task uses
-- one as an input is for the caller to check: inputs are the tasks' JSON.
SELECT * FROM files f
WHERE f.task_id IS NOT NULL AND f.pending_token IS NULL AND (@owner IS NULL OR f.owner = @owner)
  AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = f.task_id)
ORDER BY f.id;
