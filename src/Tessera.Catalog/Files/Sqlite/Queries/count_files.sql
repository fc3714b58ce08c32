SELECT COUNT(*) FROM files WHERE @owner IS NULL OR owner = @owner;
