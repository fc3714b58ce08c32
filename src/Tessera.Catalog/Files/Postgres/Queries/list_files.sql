-- Newest first; a null @owner lists everyone's files.
SELECT * FROM files WHERE CAST(@owner AS TEXT) IS NULL OR owner = @owner
ORDER BY created_at DESC, id DESC
LIMIT @limit OFFSET @offset;
