-- One row per claim: which worker held the task, with which lease token, from when to when, and how the
-- attempt ended (the status it left the task in, "released" or "lease expired"). Times are Unix ms (UTC).
CREATE TABLE task_attempts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id    INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    attempt    INTEGER NOT NULL,
    worker     TEXT    NOT NULL,
    token      TEXT    NOT NULL UNIQUE,
    started_at INTEGER NOT NULL,
    ended_at   INTEGER,
    outcome    TEXT
);

CREATE INDEX task_attempts_task ON task_attempts (task_id, id);
