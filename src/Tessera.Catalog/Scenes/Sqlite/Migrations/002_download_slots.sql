-- Downloads running now, per provider (its settings' URL prefix), held by the worker that runs each until it ends or
-- its hold lapses (Unix milliseconds on the database's clock): what keeps max_parallel_downloads across workers and hosts.
CREATE TABLE download_slots (
    id         TEXT    PRIMARY KEY,
    provider   TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE INDEX download_slots_provider ON download_slots (provider, expires_at);
