-- An item by (collection, id), replaced whole when it exists; answers its key (its assets are written after it).
INSERT INTO catalog_items (collection_id, id, datetime, start_at, end_at, geometry, min_lon, min_lat, max_lon, max_lat, cloud_cover,
    platform, grid_code, properties, links, extensions, owner, task_id, file_id, updated_at)
VALUES (@collection, @id, @datetime, @start, @end, @geometry, @minx, @miny, @maxx, @maxy, @cloud, @platform, @grid, CAST(@properties AS JSONB),
    @links, @extensions, @owner, @task, @file, @updated)
ON CONFLICT (collection_id, id) DO UPDATE SET datetime = excluded.datetime, start_at = excluded.start_at, end_at = excluded.end_at,
    geometry = excluded.geometry, min_lon = excluded.min_lon, min_lat = excluded.min_lat, max_lon = excluded.max_lon,
    max_lat = excluded.max_lat, cloud_cover = excluded.cloud_cover, platform = excluded.platform, grid_code = excluded.grid_code,
    properties = excluded.properties, links = excluded.links, extensions = excluded.extensions, owner = excluded.owner, task_id = excluded.task_id,
    file_id = excluded.file_id, updated_at = excluded.updated_at
RETURNING key;
