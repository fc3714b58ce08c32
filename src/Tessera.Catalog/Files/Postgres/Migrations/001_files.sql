-- Registered rasters. Times are Unix milliseconds (UTC); the raster description is JSON.
CREATE TABLE files (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          TEXT    NOT NULL,
    owner         TEXT    NOT NULL,
    size          BIGINT  NOT NULL,
    sha256        TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    relative_path TEXT    NOT NULL UNIQUE,
    raster        TEXT    NOT NULL,
    min_lon       DOUBLE PRECISION,
    min_lat       DOUBLE PRECISION,
    max_lon       DOUBLE PRECISION,
    max_lat       DOUBLE PRECISION
);

CREATE INDEX files_owner_created ON files (owner, created_at DESC, id DESC);
