-- Newest first; a null filter value does not filter.
SELECT * FROM tasks
WHERE (CAST(@owner AS TEXT) IS NULL OR owner = @owner)
  AND (CAST(@status AS INTEGER) IS NULL OR status = @status)
  AND (CAST(@type AS INTEGER) IS NULL OR type = @type)
  AND (CAST(@name AS TEXT) IS NULL OR name LIKE '%' || @name || '%')
  AND (CAST(@from AS BIGINT) IS NULL OR created_at >= @from)
  AND (CAST(@to AS BIGINT) IS NULL OR created_at < @to)
ORDER BY created_at DESC, id DESC
LIMIT @limit OFFSET @offset;
