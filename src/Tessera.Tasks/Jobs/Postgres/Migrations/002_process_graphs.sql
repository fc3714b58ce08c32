-- openEO user-defined processes: each user's own, by id (the API's document, with its process graph). Times are
-- Unix milliseconds.
CREATE TABLE openeo_process_graphs (
    owner   TEXT    NOT NULL,
    id      TEXT    NOT NULL,
    process TEXT    NOT NULL,
    created BIGINT  NOT NULL,
    updated BIGINT  NOT NULL,
    PRIMARY KEY (owner, id)
);

-- The user-defined processes a job's graph calls, as they were when the graph was given (an object of documents by
-- id; null: none): a job runs what was asked for even when those processes change or go afterwards.
ALTER TABLE openeo_jobs ADD COLUMN user_processes TEXT;
