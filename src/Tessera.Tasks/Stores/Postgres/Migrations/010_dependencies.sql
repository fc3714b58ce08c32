-- Tasks that must end before a task may start: done for a task it takes its input from (kind 'input'), done or failed for
-- the others (a tile's previous and reference dates, the parts a final task joins). Until then it is not claimed.
CREATE TABLE task_dependencies (
    task_id    BIGINT  NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    depends_on BIGINT  NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    PRIMARY KEY (task_id, depends_on, kind)
);

CREATE INDEX task_dependencies_on ON task_dependencies (depends_on);

-- The claim looks for tasks not started and for tasks waiting for a process worker (handed-over downloads, publish
-- retries) apart, each through its own partial index.
DROP INDEX tasks_queue;
CREATE INDEX tasks_queue_new ON tasks (created_at, id) WHERE status = 0;
CREATE INDEX tasks_queue_waiting ON tasks (created_at, id) WHERE status IN (2, 3) AND lease_token IS NULL;
