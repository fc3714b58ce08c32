-- The catalog of scenes: collections, their items (scenes at a time) and the items' assets (files). Times are Unix
-- milliseconds (UTC); JSON columns hold STAC fields as given. The searched fields of an item are columns of their own.
CREATE TABLE catalog_collections (
    id            TEXT    PRIMARY KEY,
    title         TEXT,
    description   TEXT    NOT NULL,
    license       TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    bands         TEXT    NOT NULL,
    summaries     TEXT    NOT NULL,
    min_lon       REAL,
    min_lat       REAL,
    max_lon       REAL,
    max_lat       REAL,
    start_at      INTEGER,
    end_at        INTEGER,
    extra         TEXT    NOT NULL,
    source        TEXT,
    rank          INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE catalog_items (
    key           INTEGER PRIMARY KEY AUTOINCREMENT,
    collection_id TEXT    NOT NULL REFERENCES catalog_collections (id) ON DELETE CASCADE,
    id            TEXT    NOT NULL,
    datetime      INTEGER,
    start_at      INTEGER NOT NULL,
    end_at        INTEGER NOT NULL,
    geometry      TEXT,
    min_lon       REAL,
    min_lat       REAL,
    max_lon       REAL,
    max_lat       REAL,
    cloud_cover   REAL,
    platform      TEXT,
    grid_code     TEXT,
    properties    TEXT    NOT NULL,
    links         TEXT,
    extensions    TEXT,
    owner         TEXT,
    task_id       INTEGER,
    file_id       INTEGER REFERENCES files (id) ON DELETE CASCADE,
    updated_at    INTEGER NOT NULL,
    UNIQUE (collection_id, id)
);

CREATE INDEX catalog_items_time ON catalog_items (start_at, end_at);
CREATE INDEX catalog_items_collection_time ON catalog_items (collection_id, start_at);
CREATE INDEX catalog_items_lon ON catalog_items (min_lon, max_lon);
CREATE INDEX catalog_items_task ON catalog_items (task_id);
CREATE INDEX catalog_items_file ON catalog_items (file_id);

CREATE TABLE catalog_assets (
    item_key      INTEGER NOT NULL REFERENCES catalog_items (key) ON DELETE CASCADE,
    key           TEXT    NOT NULL,
    href          TEXT    NOT NULL,
    media_type    TEXT,
    title         TEXT,
    roles         TEXT    NOT NULL,
    band          TEXT,
    checksum      TEXT,
    size          INTEGER,
    local_path    TEXT,
    extra         TEXT    NOT NULL,
    position      INTEGER NOT NULL,
    PRIMARY KEY (item_key, key)
);
