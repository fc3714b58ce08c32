-- Renews a held lease from the store's clock; returns the new expiry (nothing when the lease is gone).
UPDATE tasks SET lease_expires_at = @now + @lease_ms
WHERE id = @id AND lease_token = @token
RETURNING lease_expires_at;
