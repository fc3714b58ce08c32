DELETE FROM files WHERE id = @id AND pending_token = @token;
