-- Visible files only: a pending one (not yet published by its task) does not exist for anyone.
SELECT * FROM files WHERE id = @id AND pending_token IS NULL;
