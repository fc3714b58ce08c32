-- Registered rasters. Times are Unix milliseconds (UTC); the raster description is JSON.
CREATE TABLE files (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL,
    owner         TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    relative_path TEXT    NOT NULL UNIQUE,
    raster        TEXT    NOT NULL,
    min_lon       REAL,
    min_lat       REAL,
    max_lon       REAL,
    max_lat       REAL
);

CREATE INDEX files_owner_created ON files (owner, created_at DESC, id DESC);
