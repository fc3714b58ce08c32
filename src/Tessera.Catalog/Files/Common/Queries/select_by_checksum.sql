-- A visible file of this owner with these bytes (the oldest, should there be several from before uploads were deduplicated).
SELECT * FROM files WHERE owner = @owner AND sha256 = @sha AND pending_token IS NULL ORDER BY id LIMIT 1;
