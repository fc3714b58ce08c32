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
    min_lon       DOUBLE PRECISION,
    min_lat       DOUBLE PRECISION,
    max_lon       DOUBLE PRECISION,
    max_lat       DOUBLE PRECISION,
    start_at      BIGINT,
    end_at        BIGINT,
    extra         TEXT    NOT NULL,
    source        TEXT,
    rank          INTEGER NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE catalog_items (
    key           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    collection_id TEXT    NOT NULL REFERENCES catalog_collections (id) ON DELETE CASCADE,
    id            TEXT    NOT NULL,
    datetime      BIGINT,
    start_at      BIGINT NOT NULL,
    end_at        BIGINT NOT NULL,
    geometry      TEXT,
    min_lon       DOUBLE PRECISION,
    min_lat       DOUBLE PRECISION,
    max_lon       DOUBLE PRECISION,
    max_lat       DOUBLE PRECISION,
    cloud_cover   DOUBLE PRECISION,
    platform      TEXT,
    grid_code     TEXT,
    properties    JSONB   NOT NULL,
    links         TEXT,
    extensions    TEXT,
    owner         TEXT,
    task_id       BIGINT,
    file_id       BIGINT REFERENCES files (id) ON DELETE CASCADE,
    updated_at    BIGINT NOT NULL,
    UNIQUE (collection_id, id)
);

CREATE INDEX catalog_items_time ON catalog_items (start_at, end_at);
CREATE INDEX catalog_items_collection_time ON catalog_items (collection_id, start_at);
CREATE INDEX catalog_items_lon ON catalog_items (min_lon, max_lon);
CREATE INDEX catalog_items_task ON catalog_items (task_id);
CREATE INDEX catalog_items_file ON catalog_items (file_id);

CREATE TABLE catalog_assets (
    item_key      BIGINT NOT NULL REFERENCES catalog_items (key) ON DELETE CASCADE,
    key           TEXT    NOT NULL,
    href          TEXT    NOT NULL,
    media_type    TEXT,
    title         TEXT,
    roles         TEXT    NOT NULL,
    band          TEXT,
    checksum      TEXT,
    size          BIGINT,
    local_path    TEXT,
    extra         TEXT    NOT NULL,
    position      INTEGER NOT NULL,
    PRIMARY KEY (item_key, key)
);
