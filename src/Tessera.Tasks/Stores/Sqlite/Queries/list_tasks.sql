-- A null filter value does not filter; /*order*/ is replaced by one of the fixed sort clauses.
SELECT * FROM tasks
WHERE (@owner IS NULL OR owner = @owner)
  AND (@status IS NULL OR status = @status)
  AND (@type IS NULL OR type = @type)
  AND (@name IS NULL OR name LIKE '%' || @name || '%')
  AND (@from IS NULL OR created_at >= @from)
  AND (@to IS NULL OR created_at < @to)
ORDER BY /*order*/
LIMIT @limit OFFSET @offset;
