SELECT COUNT(*) FROM files WHERE pending_token IS NULL AND (CAST(@owner AS TEXT) IS NULL OR owner = @owner);
