-- openEO secondary web services: a user's process graph published lazily (XYZ tiles, WMTS), computed for the pixels a
-- request asks for. Times are Unix milliseconds; configuration is a JSON object.
CREATE TABLE openeo_services (
    id            TEXT    PRIMARY KEY,
    owner         TEXT    NOT NULL,
    type          TEXT    NOT NULL CHECK (type IN ('XYZ', 'WMTS')),
    title         TEXT,
    description   TEXT,
    process       TEXT    NOT NULL,
    enabled       INTEGER NOT NULL,
    configuration TEXT    NOT NULL,
    plan          TEXT,
    budget        REAL,
    log_level     TEXT    NOT NULL CHECK (log_level IN ('debug', 'info', 'warning', 'error')),
    -- the user-defined processes its graph calls, as they were when the graph was given (as a job keeps them; null: none)
    user_processes TEXT,
    created       INTEGER NOT NULL,
    updated       INTEGER NOT NULL
);

CREATE INDEX openeo_services_owner ON openeo_services (owner, created);

-- What a service's evaluations said (the catalog search, tiles that failed), in order.
CREATE TABLE openeo_service_logs (
    service_id TEXT    NOT NULL REFERENCES openeo_services (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    level      TEXT    NOT NULL,
    message    TEXT    NOT NULL,
    time       INTEGER NOT NULL,
    PRIMARY KEY (service_id, seq)
);
