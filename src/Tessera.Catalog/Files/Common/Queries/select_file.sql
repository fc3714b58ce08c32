SELECT * FROM files WHERE id = @id;
