UPDATE tasks SET cancel_requested = 1, updated_at = @now
WHERE id = @id AND lease_token IS NOT NULL AND status IN (1, 2, 3, 5, 6);
