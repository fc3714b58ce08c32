UPDATE tasks SET lease_expires_at = @expires
WHERE id = @id AND lease_token = @token;
