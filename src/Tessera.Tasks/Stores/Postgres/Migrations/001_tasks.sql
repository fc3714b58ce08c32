-- Tasks and their status history. Times are Unix milliseconds (UTC).
-- status follows the seed's TaskStatus (0..9); type is checked by the application, so that new types
-- need no schema change.
CREATE TABLE tasks (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             TEXT    NOT NULL,
    type             INTEGER NOT NULL,
    owner            TEXT    NOT NULL,
    inputs           TEXT    NOT NULL,
    output_folder    TEXT,
    output_name      TEXT,
    parameters       TEXT    NOT NULL,
    status           INTEGER NOT NULL CHECK (status BETWEEN 0 AND 9),
    error_message    TEXT,
    attempts         INTEGER NOT NULL DEFAULT 0,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    lease_owner      TEXT,
    lease_token      TEXT,
    lease_expires_at BIGINT,
    progress_stage   TEXT,
    progress_done    BIGINT,
    progress_total   BIGINT,
    CHECK ((lease_token IS NULL) = (lease_expires_at IS NULL))
);

CREATE INDEX tasks_claimable ON tasks (status, created_at, id);
CREATE INDEX tasks_leased ON tasks (lease_expires_at) WHERE lease_token IS NOT NULL;

CREATE TABLE task_status_history (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id       BIGINT  NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    from_status   INTEGER,
    to_status     INTEGER NOT NULL,
    at            BIGINT  NOT NULL,
    attempt       INTEGER NOT NULL,
    error_message TEXT,
    actor         TEXT    NOT NULL
);

CREATE INDEX task_status_history_task ON task_status_history (task_id, id);
