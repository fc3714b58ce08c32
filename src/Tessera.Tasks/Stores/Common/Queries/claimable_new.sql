-- A task not started that may start: not given back until a later time, and every prerequisite ended (PROCESSING_FAILED,
-- PUBLISH_COMPLETED, PUBLISH_FAILED, DOWNLOAD_FAILED). The claim's new side.
status = 0 AND (not_before IS NULL OR not_before <= @now)
AND NOT EXISTS (SELECT 1 FROM task_dependencies d WHERE d.task_id = tasks.id
                AND (SELECT p.status FROM tasks p WHERE p.id = d.depends_on) NOT IN (4, 7, 8, 9))
