SELECT * FROM tasks WHERE lease_token IS NOT NULL AND lease_expires_at < @now ORDER BY id FOR UPDATE SKIP LOCKED;
