INSERT INTO files (name, owner, size, sha256, created_at, relative_path, raster, min_lon, min_lat, max_lon, max_lat, pending_token, task_id, vector)
VALUES (@name, @owner, @size, @sha, @created, @path, @raster, @minx, @miny, @maxx, @maxy, @pending, @task, @vector)
RETURNING id;
