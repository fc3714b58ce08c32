-- openEO batch jobs: what a user created (a process graph and its description), and the task that runs it once
-- started (null until then). Times are Unix milliseconds.
CREATE TABLE openeo_jobs (
    id          TEXT    PRIMARY KEY,
    owner       TEXT    NOT NULL,
    title       TEXT,
    description TEXT,
    process     TEXT    NOT NULL,
    plan        TEXT,
    budget      REAL,
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    task_id     INTEGER
);

CREATE INDEX openeo_jobs_owner ON openeo_jobs (owner, created);

-- What a job's runs said: what they read, how long each step took, warnings and errors, in order.
CREATE TABLE openeo_job_logs (
    job_id  TEXT    NOT NULL REFERENCES openeo_jobs (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    level   TEXT    NOT NULL,
    message TEXT    NOT NULL,
    time    INTEGER NOT NULL,
    PRIMARY KEY (job_id, seq)
);
