-- A null filter value does not filter; /*order*/ is replaced by one of the fixed sort clauses.
SELECT * FROM tasks
WHERE (CAST(@owner AS TEXT) IS NULL OR owner = @owner)
  AND (CAST(@status AS INTEGER) IS NULL OR status = @status)
  AND (CAST(@type AS INTEGER) IS NULL OR type = @type)
  AND (CAST(@name AS TEXT) IS NULL OR name LIKE '%' || @name || '%')
  AND (CAST(@from AS BIGINT) IS NULL OR created_at >= @from)
  AND (CAST(@to AS BIGINT) IS NULL OR created_at < @to)
ORDER BY /*order*/
LIMIT @limit OFFSET @offset;
