-- What happened to a task, a line at a time, as its page shows it: claims, stages and their durations, what a
-- stage found worth saying, failures. Removed with the task.
CREATE TABLE task_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    at      INTEGER NOT NULL,
    level   TEXT    NOT NULL,
    message TEXT    NOT NULL
);

CREATE INDEX task_log_task ON task_log (task_id, id);
