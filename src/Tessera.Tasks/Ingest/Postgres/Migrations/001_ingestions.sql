-- Areas of interest ingested (POST /ingest): the request as given, and per tile and date of its scenes the tasks made
-- for it (step 'download' or 'process'). Times are Unix ms (UTC).
CREATE TABLE ingestions (
    id         BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner      TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    request    TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);

CREATE TABLE ingestion_tasks (
    ingestion_id BIGINT  NOT NULL REFERENCES ingestions (id) ON DELETE CASCADE,
    task_id      BIGINT  NOT NULL,
    tile         TEXT    NOT NULL,
    date         TEXT    NOT NULL,
    scene        TEXT    NOT NULL,
    step         TEXT    NOT NULL,
    PRIMARY KEY (ingestion_id, task_id)
);
