SELECT id, relative_path, pending_token FROM files WHERE pending_token IS NOT NULL ORDER BY id;
