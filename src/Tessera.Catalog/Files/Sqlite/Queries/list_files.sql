-- Newest first; a null @owner lists everyone's files.
SELECT * FROM files WHERE @owner IS NULL OR owner = @owner
ORDER BY created_at DESC, id DESC
LIMIT @limit OFFSET @offset;
