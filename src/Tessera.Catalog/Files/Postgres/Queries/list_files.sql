-- Newest first; a null @owner lists everyone's files. Pending files (not yet published) are not listed.
SELECT * FROM files WHERE pending_token IS NULL AND (CAST(@owner AS TEXT) IS NULL OR owner = @owner)
ORDER BY created_at DESC, id DESC
LIMIT @limit OFFSET @offset;
