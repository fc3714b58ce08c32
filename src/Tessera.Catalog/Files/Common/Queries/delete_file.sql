DELETE FROM files WHERE id = @id;
