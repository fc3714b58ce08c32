SELECT COUNT(*) FROM tasks
WHERE (@owner IS NULL OR owner = @owner)
  AND (@status IS NULL OR status = @status)
  AND (@type IS NULL OR type = @type)
  AND (@name IS NULL OR name LIKE '%' || @name || '%')
  AND (@from IS NULL OR created_at >= @from)
  AND (@to IS NULL OR created_at < @to);
