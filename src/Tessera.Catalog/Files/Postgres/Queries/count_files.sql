SELECT COUNT(*) FROM files WHERE CAST(@owner AS TEXT) IS NULL OR owner = @owner;
