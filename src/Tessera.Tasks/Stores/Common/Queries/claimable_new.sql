-- A task not started that may start: not given back until a later time, and every prerequisite ended: a task it takes
-- its input from (kind 'input') done (PUBLISH_COMPLETED), any other (a previous or reference date, a part) done or
-- failed (PROCESSING_FAILED, PUBLISH_FAILED, DOWNLOAD_FAILED too). The claim's new side.
status = 0 AND (not_before IS NULL OR not_before <= @now)
AND NOT EXISTS (SELECT 1 FROM task_dependencies d WHERE d.task_id = tasks.id
                AND CASE WHEN d.kind = 'input' THEN (SELECT p.status FROM tasks p WHERE p.id = d.depends_on) <> 7
                         ELSE (SELECT p.status FROM tasks p WHERE p.id = d.depends_on) NOT IN (4, 7, 8, 9) END)
