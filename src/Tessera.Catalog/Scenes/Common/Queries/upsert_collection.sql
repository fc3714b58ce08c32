INSERT INTO catalog_collections (id, title, description, license, kind, bands, summaries, min_lon, min_lat, max_lon, max_lat,
    start_at, end_at, extra, source, rank, updated_at)
VALUES (@id, @title, @description, @license, @kind, @bands, @summaries, @minx, @miny, @maxx, @maxy, @start, @end, @extra, @source,
    @rank, @updated)
ON CONFLICT (id) DO UPDATE SET title = excluded.title, description = excluded.description, license = excluded.license,
    kind = excluded.kind, bands = excluded.bands, summaries = excluded.summaries, min_lon = excluded.min_lon,
    min_lat = excluded.min_lat, max_lon = excluded.max_lon, max_lat = excluded.max_lat, start_at = excluded.start_at,
    end_at = excluded.end_at, extra = excluded.extra, source = excluded.source, rank = excluded.rank, updated_at = excluded.updated_at;
