-- What a published task produced: the registered output file, and its footprint in WGS 84.
ALTER TABLE tasks ADD COLUMN result_file_id INTEGER;
ALTER TABLE tasks ADD COLUMN result_bounds TEXT;
