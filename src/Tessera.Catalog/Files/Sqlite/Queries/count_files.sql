SELECT COUNT(*) FROM files WHERE pending_token IS NULL AND (@owner IS NULL OR owner = @owner);
